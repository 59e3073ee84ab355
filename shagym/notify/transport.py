"""Put one delivery on the wire: e-mail through Django's mail backend (SMTP in production), SMS through the gateway,
a paper letter as a PDF for the office to print. Each returns a reference to keep as proof, or raises
GatewayError (retry) / PermanentError (next channel)."""

from __future__ import annotations

import smtplib
from collections.abc import Callable

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage
from django.core.mail.message import make_msgid
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from shagym.documents import selectors, services
from shagym.documents.models import Letter

from .gateways import GatewayError, PermanentError, sms_gateway
from .models import Delivery, Kind, Medium, Message


def send(delivery: Delivery) -> str:
    return _SENDERS[delivery.medium](delivery)


def send_email(delivery: Delivery) -> str:
    message = delivery.message
    message_id = make_msgid(domain="shagym.kz")
    email = EmailMessage(
        subject=message.subject,
        body=message.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[delivery.address],
        headers={"Message-ID": message_id, "Content-Language": message.language, "X-Shagym-Notice": str(message.pk)},
    )
    if message.kind == Kind.DECIDED:
        # Issue 6: the decision goes out with the answer attached: the reasoned answer as the body signed it
        # (RULES §23), or this notice as a letter when no answer letter exists.
        email.attach(_attachment_name(message), decision_document(message), "application/pdf")
    try:
        email.send(fail_silently=False)
    except smtplib.SMTPRecipientsRefused as exc:
        raise PermanentError(f"address refused: {exc.recipients}") from exc
    except smtplib.SMTPResponseException as exc:
        text = f"SMTP {exc.smtp_code}: {exc.smtp_error!r}"
        if 500 <= exc.smtp_code < 600:
            raise PermanentError(text) from exc
        raise GatewayError(text) from exc
    except (smtplib.SMTPException, OSError) as exc:
        raise GatewayError(f"SMTP: {exc}") from exc
    return message_id


def send_sms(delivery: Delivery) -> str:
    text = delivery.message.sms_text or delivery.message.subject
    return sms_gateway().send(to=delivery.address, text=text)


def queue_letter(delivery: Delivery) -> str:
    """The letter goes to the office's print queue; the clerk records the posting (services.record_letter_posted)."""
    return ensure_document(delivery.message).name or ""


def _cabinet(delivery: Delivery) -> str:
    return str(delivery.message.pk)  # the message row is the cabinet entry


_SENDERS: dict[str, Callable[[Delivery], str]] = {
    Medium.EMAIL: send_email,
    Medium.SMS: send_sms,
    Medium.PAPER: queue_letter,
    Medium.CABINET: _cabinet,
}


def decision_document(message: Message) -> bytes:
    """The PDF a decision e-mail carries: the reasoned answer as the body signed it (RULES §23), or this notice as a
    letter when no answer letter exists. The notice is kept as a letter either way (ensure_document), as proof."""
    document = ensure_document(message)
    answer = selectors.applicant_copy(message.complaint, Letter.Kind.ANSWER) if message.complaint else None
    if answer is not None:
        return bytes(answer.pdf)
    with document.open("rb") as fh:
        return fh.read()


def ensure_document(message: Message) -> FieldFile:
    """The message as a PDF letter, made once. Two workers may race to make it; the first one stored wins."""
    if message.document:
        return message.document
    complaint = message.complaint
    pdf = services.issue_notice(
        complaint=complaint,
        language=message.language,
        sender=message.sender,
        date=timezone.localtime(message.created_at).date(),
        number=complaint.number or "" if complaint else "",
        addressee=message.addressee,
        postal_address=complaint.postal_address if complaint else "",
        subject=message.subject,
        body=message.body,
        legal_reference=message.legal_reference,
    )
    field = message.document
    name = field.storage.save(field.field.generate_filename(message, _attachment_name(message)), ContentFile(pdf))
    if Message.objects.filter(pk=message.pk, document="").update(document=name) == 0:
        field.storage.delete(name)
    message.refresh_from_db(fields=["document"])
    return message.document


def _attachment_name(message: Message) -> str:
    number = message.complaint.number if message.complaint and message.complaint.number else str(message.pk)
    return f"{message.kind}-{number}.pdf"
