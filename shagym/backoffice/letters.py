"""The paper the back office prints: the talon and stamp text (RULES §5), the covering letter (§8), the notices to
the applicant (§4, §9, §14) and the reasoned answer (§20, §23). Always in the language of the complaint.

Letters issued with an action are rendered from the event the action wrote (its before/after and data), so
the letter says exactly what was done; services.py keeps them as printed."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.utils import timezone, translation

from shagym import workdays
from shagym.complaints import access
from shagym.complaints.models import Complaint, ComplaintEvent
from shagym.complaints.states import ANSWERED_STATES, REVIEW_STATES, Action, ExtensionGround, Outcome
from shagym.directory.models import Organisation, OrganisationKind
from shagym.documents import qr_svg, render_pdf
from shagym.portal.documents import status_url

from .models import AnswerDraft, Letter

if TYPE_CHECKING:
    from shagym.accounts.models import User


def letters_for_staff(user: User) -> QuerySet[Letter]:
    """Letters the user may read: issued by one of the user's bodies (even after the complaint left it), or on
    a complaint the user may read."""
    return (
        Letter.objects.filter(
            Q(organisation_id__in=access.organisation_ids(user)) | Q(complaint__in=access.complaints_for_staff(user))
        )
        .select_related("complaint", "organisation", "created_by")
        .defer("pdf")
    )


def _day(value: Any) -> dt.date | None:
    if isinstance(value, str) and value:
        return dt.date.fromisoformat(value[:10])
    return value if isinstance(value, dt.date) else None


def _local(moment: dt.datetime | None) -> dt.date | None:
    return timezone.localtime(moment, workdays.ALMATY).date() if moment else None


def _common(complaint: Complaint, organisation: Organisation, signer: User | None, at: dt.datetime) -> dict[str, Any]:
    return {
        "complaint": complaint,
        "issuer": organisation,
        "signer": signer,
        "date": _local(at),
        "officials": list(complaint.officials.all()),
        "attachments": list(complaint.attachments.all()),
    }


def _answer_context(complaint: Complaint, draft: AnswerDraft | None) -> dict[str, Any]:
    source: Any = draft if draft is not None else complaint
    outcome = draft.outcome if draft is not None else complaint.outcome
    return {
        "answer": {
            "outcome": outcome,
            "outcome_label": Outcome(outcome).label if outcome in Outcome.values else "",
            "facts": source.facts if draft is not None else complaint.decision_facts,
            "reasons": source.reasons if draft is not None else complaint.decision_reasons,
            "legal_references": source.legal_references,
        },
        # RULES §24-§25 (Law Art. 25; АППК 136): a first-tier answer may go to the quality authority; every
        # answer may go to court within 1 month of receipt.
        "to_quality_authority": complaint.reviewing_body.kind != OrganisationKind.QUALITY_AUTHORITY,
    }


def render(
    kind: str, *, complaint: Complaint, organisation: Organisation, signer: User, event: ComplaintEvent
) -> tuple[bytes, str]:
    """The PDF of a letter issued with `event`, and to whom it is addressed."""
    context = _common(complaint, organisation, signer, event.at)
    context["event"] = event
    addressee = complaint.applicant_name
    if kind == Letter.Kind.FORWARDING:
        context["target"] = complaint.reviewing_body
        with translation.override(complaint.language):
            addressee = complaint.reviewing_body.name
    elif kind == Letter.Kind.REDIRECT:
        context["target"] = Organisation.objects.filter(pk=event.after.get("holder_id")).first()
        context["reason"] = event.data.get("reason", "")
    elif kind == Letter.Kind.CONTENT:
        context["missing"] = [line for line in event.data.get("missing", "").splitlines() if line.strip()]
        context["content_due"] = _day(event.after.get("content_due"))
    elif kind == Letter.Kind.EXTENSION:
        ground = event.data.get("ground", "")
        context.update(
            days=event.data.get("days"),
            ground=ExtensionGround(ground).label if ground in ExtensionGround.values else ground,
            reasons=event.data.get("reasons", ""),
            previous_due=_day(event.before.get("due_date")),
            new_due=_day(event.after.get("due_date")),
        )
    elif kind == Letter.Kind.ANSWER:
        context.update(_answer_context(complaint, None))
        context["draft"] = False
    else:  # pragma: no cover - the kinds are a closed list
        raise ValueError(kind)
    pdf = render_pdf(f"backoffice/pdf/{kind}.html", context, language=complaint.language)
    return pdf, addressee


# The lifecycle action each letter to the applicant is issued with.
LETTER_ACTIONS: dict[str, Action] = {
    Letter.Kind.ANSWER: Action.SIGN_DECISION,
    Letter.Kind.EXTENSION: Action.EXTEND,
    Letter.Kind.CONTENT: Action.REQUEST_CONTENT,
    Letter.Kind.REDIRECT: Action.REDIRECT,
}


def applicant_copy(complaint: Complaint, kind: str) -> bytes | None:
    """The letter the applicant receives, as issued: the copy kept when the back office issued it (the signed
    answer, the extension notice), otherwise rendered the same way from the event of the action. None when the
    action has not happened."""
    stored = Letter.objects.filter(complaint=complaint, kind=kind).order_by("-pk").values_list("pdf", flat=True).first()
    if stored is not None:
        return bytes(stored)
    event = ComplaintEvent.objects.filter(complaint=complaint, action=LETTER_ACTIONS[kind]).order_by("-pk").first()
    if event is None or event.actor is None:
        return None
    organisation = Organisation.objects.get(pk=event.before.get("holder_id") or complaint.holder_id)
    pdf, _ = render(kind, complaint=complaint, organisation=organisation, signer=event.actor, event=event)
    return pdf


def answer_preview(complaint: Complaint, *, signer: User | None) -> bytes:
    """The answer as it will read: from the executor's draft while under review, from the complaint once sent
    for signature (marked as a draft until signed)."""
    signed = complaint.status in ANSWERED_STATES
    draft = None
    if complaint.status in REVIEW_STATES:
        draft = AnswerDraft.objects.filter(complaint=complaint).first() or AnswerDraft(complaint=complaint)
    context = _common(complaint, complaint.holder, complaint.signed_by if signed else signer, timezone.now())
    context.update(_answer_context(complaint, draft))
    context["draft"] = not signed
    if signed:
        context["date"] = _local(complaint.decided_at)
    return render_pdf("backoffice/pdf/answer.html", context, language=complaint.language)


def talon(complaint: Complaint, *, access_code: str | None) -> bytes:
    """RULES §5 (АППК 64(2)): the talon (number, date and time, surname, initials and position of the receiver)
    and the registration stamp text for the second copy or the covering letter (incoming number and date).
    The QR code opens the portal's status page (with the access code for a paper complaint)."""
    url = status_url(complaint, access_code=access_code)
    context = {
        "complaint": complaint,
        "issuer": complaint.holder,
        "received": timezone.localtime(complaint.received_at, workdays.ALMATY),
        "registered": timezone.localtime(complaint.registered_at, workdays.ALMATY) if complaint.registered_at else None,
        "receiver": complaint.received_by,
        "officials": list(complaint.officials.all()),
        "attachments": list(complaint.attachments.all()),
        "access_code": access_code,
        "status_url": url,
        "qr": qr_svg(url, scale=2),
    }
    return render_pdf("backoffice/pdf/talon.html", context, language=complaint.language)
