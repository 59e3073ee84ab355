"""Every document the system issues, as PDF: the receipt and the talon, the covering letter, the notices to the
applicant, the reasoned answer, and the letters the notifications post. Below the faces and the notifications,
above the complaints: it reads the complaints' events (a subscriber) and never changes a complaint.

`pdf.py` is the one renderer (WeasyPrint, one font setup, one base template); `render.py` builds each document;
`services.py` issues the letters of an event once, after commit; `selectors.py` reads them through the access door."""
