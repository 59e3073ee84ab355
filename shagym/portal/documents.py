"""The portal talon (receipt) as PDF, in the complaint's language, and the status page's address for QR codes.
Letters the body issues (the extension notice, the answer) are served as issued: shagym.backoffice.letters."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from shagym.complaints.models import Complaint
from shagym.complaints.states import Channel
from shagym.documents import qr_svg, render_pdf

from . import timeline


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def status_url(complaint: Complaint, *, access_code: str | None = None) -> str:
    """Where the QR code leads: the status check with the number and code filled in (paper talons), or the
    complaint's page in the personal cabinet (portal complaints, whose applicant has an account)."""
    with translation.override(complaint.language):
        if access_code and complaint.number:
            return _absolute(reverse("status-check") + "?" + urlencode({"number": complaint.number,
                                                                         "code": access_code}))
        return _absolute(reverse("cabinet-complaint", args=[complaint.pk]))


def render_talon(complaint: Complaint, *, access_code: str | None = None) -> bytes:
    """RULES §5 (АППК 64(2)): number, date and time, the receiver (office intake), the body, the due date, and a
    QR code to the status page. The back office passes the code from codes.issue_access_code for paper talons."""
    with translation.override(complaint.language):
        url = status_url(complaint, access_code=access_code)
        context = {
            "complaint": complaint,
            "deadline": timeline.deadline(complaint),
            "status": timeline.status_label(complaint),
            "access_code": access_code,
            "office": complaint.channel != Channel.PORTAL,
            "qr": qr_svg(url, scale=3),
            "url": url,
            "printed_at": timezone.localtime(),
            "LANGUAGE_CODE": complaint.language,
        }
        return render_pdf("portal/pdf/talon.html", context, language=complaint.language)
