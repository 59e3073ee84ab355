"""Each document the system issues, built from the event that issued it (its typed payload, its before and after),
so a letter says exactly what was done, in the language of the complaint (RULES §23)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils import timezone, translation

from shagym import workdays
from shagym.complaints import public
from shagym.complaints.models import Complaint, ComplaintEvent
from shagym.complaints.states import (
    Channel,
    ContentRequestData,
    ExtendData,
    ExtensionGround,
    MoveData,
    Outcome,
)
from shagym.directory import dates
from shagym.directory.models import Organisation, OrganisationKind

from . import pdf
from .links import status_url, verify_url
from .models import Letter
from .pdf import qr_svg

if TYPE_CHECKING:
    from shagym.accounts.models import User


def _local(moment: dt.datetime | None) -> dt.date | None:
    return timezone.localtime(moment, workdays.ALMATY).date() if moment else None


def _common(complaint: Complaint, issuer: Organisation, signer: User | None, at: dt.datetime) -> dict[str, Any]:
    return {
        "complaint": complaint,
        "issuer": issuer,
        "signer": signer,
        "date": _local(at),
        "officials": list(complaint.officials.all()),
        "attachments": list(complaint.attachments.all()),
    }


@dataclass(frozen=True)
class AnswerText:
    """The reasoned answer's content (RULES §20, §23): from the executor's draft, or from the complaint once sent."""

    outcome: str
    facts: str
    reasons: str
    legal_references: str

    @classmethod
    def of(cls, complaint: Complaint) -> AnswerText:
        return cls(complaint.outcome, complaint.decision_facts, complaint.decision_reasons, complaint.legal_references)

    def context(self, complaint: Complaint) -> dict[str, Any]:
        return {
            "answer": {
                "outcome": self.outcome,
                "outcome_label": Outcome(self.outcome).label if self.outcome in Outcome.values else "",
                "facts": self.facts,
                "reasons": self.reasons,
                "legal_references": self.legal_references,
            },
            # RULES §24-§25 (Law Art. 25; АППК 136): a first-tier answer may go to the quality authority; every
            # answer may go to court within 1 month of receipt.
            "to_quality_authority": complaint.reviewing_body.kind != OrganisationKind.QUALITY_AUTHORITY,
        }


def issuer_of(event: ComplaintEvent) -> Organisation:
    """The body that issued a letter with this action: the one holding the complaint when it acted (before a
    forward or redirect moved it)."""
    return Organisation.objects.get(pk=event.old.holder_id or event.complaint.holder_id)


def _doc(document: str | None, language: str) -> dict[str, Any]:
    return {"number": document, "verify_url": verify_url(document, language) if document else None}


def letter(kind: str, *, event: ComplaintEvent, issuer: Organisation, signer: User | None,
           document: str | None = None) -> tuple[bytes, str]:
    """The PDF of a letter issued with `event`, and to whom it is addressed."""
    complaint = event.complaint
    context = _common(complaint, issuer, signer, event.at)
    context["event"] = event
    addressee = complaint.applicant_name
    payload = event.payload
    if kind == Letter.Kind.FORWARDING:
        assert isinstance(payload, MoveData)
        target = Organisation.objects.get(pk__in=[payload.to_body])
        context["target"] = target
        addressee = target.name_in(complaint.language)
    elif kind == Letter.Kind.REDIRECT:
        assert isinstance(payload, MoveData)
        context["target"] = Organisation.objects.filter(pk__in=[payload.to_body]).first()
        context["reason"] = payload.reason
    elif kind == Letter.Kind.CONTENT:
        assert isinstance(payload, ContentRequestData)
        context["missing"] = [line for line in payload.missing.splitlines() if line.strip()]
        context["content_due"] = event.new.content_due
    elif kind == Letter.Kind.EXTENSION:
        assert isinstance(payload, ExtendData)
        context.update(
            days=payload.days,
            ground=ExtensionGround(payload.ground).label if payload.ground in ExtensionGround.values else payload.ground,
            reasons=payload.reasons,
            previous_due=event.old.due_date,
            new_due=event.new.due_date,
        )
    elif kind == Letter.Kind.ANSWER:
        context.update(AnswerText.of(complaint).context(complaint))
        context["draft"] = False
    else:  # pragma: no cover - the kinds are a closed list; the talon has its own function
        raise ValueError(kind)
    return pdf.render_pdf(f"documents/pdf/{kind}.html", context, language=complaint.language,
                          **_doc(document, complaint.language)), addressee


def answer(complaint: Complaint, *, text: AnswerText, signer: User | None, draft: bool, document: str | None = None,
           signed_on: dt.date | None = None) -> bytes:
    """The answer as it reads: a draft (marked so) while written, or the letter as signed (dated the day it is
    signed: `signed_on`, or the decision's day)."""
    signed_on = signed_on or (_local(complaint.decided_at) if not draft else None)
    context = _common(complaint, complaint.holder, signer, timezone.now())
    context.update(text.context(complaint))
    context["draft"] = draft
    if signed_on:
        context["date"] = signed_on
    return pdf.render_pdf("documents/pdf/answer.html", context, language=complaint.language,
                          **_doc(document, complaint.language))


def talon(complaint: Complaint, *, issuer: Organisation, access_code: str | None, document: str | None = None) -> bytes:
    """RULES §5 (АППК 64(2)): the talon (number, date and time, surname, initials and position of the receiver)
    and the registration stamp text for the second copy or the covering letter (incoming number and date).
    The QR code opens the portal's status page (with the access code for a paper complaint)."""
    url = status_url(complaint, access_code=access_code)
    context = {
        "complaint": complaint,
        "issuer": issuer,
        "received": timezone.localtime(complaint.received_at, workdays.ALMATY),
        "registered": timezone.localtime(complaint.registered_at, workdays.ALMATY) if complaint.registered_at else None,
        "receiver": complaint.received_by,
        "officials": list(complaint.officials.all()),
        "attachments": list(complaint.attachments.all()),
        "access_code": access_code,
        "status_url": url,
        "qr": qr_svg(url, scale=2),
    }
    return pdf.render_pdf("documents/pdf/talon.html", context, language=complaint.language,
                          **_doc(document, complaint.language))


def receipt(complaint: Complaint, *, document: str | None = None) -> bytes:
    """The portal's receipt (RULES §5): number (or, before registration, the delivery reference and the expected
    registration day), date and time, the body, the due date, and a QR code to the complaint in the cabinet."""
    with translation.override(complaint.language):
        url = status_url(complaint)
        context = {
            "complaint": complaint,
            "deadline": public.deadline(complaint),
            "status": public.status_label(complaint),
            "office": complaint.channel != Channel.PORTAL,
            "qr": qr_svg(url, scale=3),
            "url": url,
            "printed_at": timezone.localtime(),
        }
        return pdf.render_pdf("documents/pdf/receipt.html", context, language=complaint.language,
                              **_doc(document, complaint.language))


def notice(
    *,
    language: str,
    sender: Organisation | None,
    date: dt.date,
    number: str,
    addressee: str,
    postal_address: str,
    subject: str,
    body: str,
    legal_reference: str,
    document: str | None = None,
) -> bytes:
    """A notification as a letter on paper (the print queue) or as the PDF an e-mail carries."""
    address = ""
    if sender is not None:
        address = sender.address_ru if language == "ru" else (sender.address_kk or sender.address_ru)
    context = {
        "sender_name": sender.name_in(language) if sender else "",
        "sender_address": address,
        "date": dates.numeric(date),
        "number": number,
        "addressee": addressee,
        "postal_address": postal_address,
        "subject": subject,
        "body": body,
        "legal_reference": legal_reference,
    }
    return pdf.render_pdf("documents/pdf/notice.html", context, language=language, **_doc(document, language))
