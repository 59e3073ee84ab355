"""Put a message into words: the facts of the complaint at the time of the event, in the addressee's language.

Applicant messages are written in the language of the complaint (RULES §23); staff messages in the site's first
language. Facts come from the event's `after` snapshot, so a message that is sent late still tells what happened
then, not what the complaint looks like now."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from shagym import workdays
from shagym.complaints.models import Complaint, ComplaintEvent, Recommendation
from shagym.complaints.states import (
    AppealedAct,
    Channel,
    CommentData,
    ConfirmData,
    ContentRequestData,
    ExtendData,
    ExtensionGround,
    LeaveData,
    MoveData,
    Outcome,
    Payload,
    State,
    TermType,
    TextData,
    WithdrawData,
    WithoutConsiderationGround,
)
from shagym.directory import dates
from shagym.directory.models import Organisation, OrganisationKind

from .catalog import SPECS
from .models import Kind

if TYPE_CHECKING:
    from shagym.accounts.models import User

NO_VALUE = "—"

# The law that sets each term (RULES §11-§13), for the sentence that announces the due date.
TERM_BASIS: dict[str, Promise] = {
    TermType.PUBLIC_SERVICE: _("Law “On public services”, Art. 25(2)"),
    TermType.QUALITY_AUTHORITY: _("Law “On public services”, Art. 25(2)"),
    TermType.ADMINISTRATIVE: _("АППК Art. 99"),
}


@dataclass(frozen=True)
class Composed:
    subject: str
    body: str
    sms_text: str
    legal_reference: str


def applicant_message(kind: str, *, complaint: Complaint, event: ComplaintEvent) -> Composed:
    """RULES §23: in the language of the complaint."""
    with translation.override(complaint.language):
        context = _event_context(complaint, event, language=complaint.language)
        # RULES §8, §9: a forwarding or a redirection is told by the body that sent the complaint on.
        moved = kind in {Kind.FORWARDED, Kind.REDIRECTED}
        context["sender_name"] = context["moved_from"] if moved else context["body"]
        return _render(kind, context)


def staff_message(
    kind: str,
    *,
    complaint: Complaint,
    user: User,
    event: ComplaintEvent | None = None,
    recommendation: Recommendation | None = None,
) -> Composed:
    language = settings.LANGUAGE_CODE
    with translation.override(language):
        context = _event_context(complaint, event, language=language)
        context.update(addressee=person(user), actor=person(event.actor) if event and event.actor else NO_VALUE)
        if recommendation is not None:
            context.update(
                recommendation_text=recommendation.text,
                recommendation_due=_day(recommendation.due_date),
                recommendation_body=recommendation.body.name_in(language),
            )
        return _render(kind, context)


# The head's daily summary, one line per heading (selectors.digest_figures).
DIGEST_LINES = {
    "overdue": _("Review term passed without a decision: %(count)s"),
    "due_today": _("Review term ends today: %(count)s"),
    "due_next": _("Review term ends on %(day)s, the next working day: %(count)s"),
    "unassigned": _("Registered and waiting for an executor: %(count)s"),
    "awaiting_signature": _("Answers waiting for your signature: %(count)s"),
    "extension_notices": _("Extension notices not yet sent to the applicant: %(count)s"),
    "forwarding": _("To forward to the reviewing body: %(count)s"),
    "letters": _("Letters waiting in the office's print queue: %(count)s"),
}


def digest_message(
    *, user: User, day: dt.date, next_day: dt.date, figures: dict[str, tuple[int, list[str]]]
) -> Composed:
    with translation.override(settings.LANGUAGE_CODE):
        rows = [
            {"text": str(line) % {"count": figures[name][0], "day": _day(next_day)}, "numbers": figures[name][1]}
            for name, line in DIGEST_LINES.items()
            if figures.get(name, (0, []))[0]
        ]
        context = {"addressee": person(user), "date": _day(day), "rows": rows, "site": settings.SITE_URL}
        return _render("digest", context)


def language_of(kind: str, complaint: Complaint | None) -> str:
    if SPECS[kind].audience == "applicant" and complaint is not None:
        return complaint.language
    return settings.LANGUAGE_CODE


# ---------------------------------------------------------------------------------------------------------------


def _render(kind: str, context: dict[str, Any]) -> Composed:
    spec = SPECS[kind]
    body = render_to_string(spec.template(kind), context)
    return Composed(
        subject=" ".join((str(spec.subject) % context).split())[:300],
        body=_tidy(body),
        sms_text=(str(spec.sms) % context)[:400] if spec.sms else "",
        legal_reference=str(spec.legal_reference or ""),
    )


def _tidy(text: str) -> str:
    lines = [line.strip() for line in text.strip().splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines))


def _event_context(complaint: Complaint, event: ComplaintEvent | None, *, language: str) -> dict[str, Any]:
    # The event's typed snapshot after the action, and its payload (states.PAYLOADS); without an event (a reminder),
    # the complaint as it stands.
    after = event.new if event is not None else complaint.snapshot()
    payload: Payload = event.payload if event is not None else Payload()
    at = event.at if event is not None else timezone.now()
    holder = _organisation(after.holder_id) or complaint.holder
    reviewer = _organisation(after.reviewing_body_id) or complaint.reviewing_body
    moved_from = (_organisation(payload.from_body) if isinstance(payload, MoveData) else None) or complaint.forwarded_from
    term_type = after.term_type or complaint.term_type
    context: dict[str, Any] = {
        "number": after.number or complaint.number or NO_VALUE,
        "addressee": complaint.applicant_name,
        "applicant": complaint.applicant_name,
        "body": holder.name_in(language),
        "reviewer": reviewer.name_in(language),
        "moved_from": moved_from.name_in(language) if moved_from else NO_VALUE,
        "respondent": complaint.respondent.name_in(language),
        "date": _day(_local(at).date()),
        "time": _local(at).strftime("%H:%M"),
        "received": _day(_local(complaint.received_at).date()),
        "registered": _day(after.registered_on),
        "due": _day(after.due_date),
        "forward_due": _day(after.forward_due),
        "content_due": _day(after.content_due),
        "notice_due": _day(after.extension_notice_due),
        "extended_on": _day(complaint.extended_on),
        "extension_days": after.extension_days or complaint.extension_days,
        "term_days": after.term_days or complaint.term_days,
        "term_basis": TERM_BASIS.get(term_type, TERM_BASIS[TermType.PUBLIC_SERVICE]),
        "status": State(after.status or complaint.status).label,
        "portal": complaint.channel == Channel.PORTAL,
        "forwarding": after.status == State.FORWARDING,
        # RULES §24, §15: after a first-tier answer (or silence) the applicant may go to the quality authority.
        "second_tier": holder.kind != OrganisationKind.QUALITY_AUTHORITY and term_type != TermType.ADMINISTRATIVE,
        "site": settings.SITE_URL,
        "missing": payload.missing if isinstance(payload, ContentRequestData) else "",
        "reason": payload.reason if isinstance(payload, MoveData | WithdrawData) else "",
        "comment": payload.comment if isinstance(payload, CommentData | LeaveData | ConfirmData) else "",
        "text": payload.text if isinstance(payload, TextData) else "",
        "extension_ground": _label(ExtensionGround,
                                   payload.ground if isinstance(payload, ExtendData) else complaint.extension_ground),
        "extension_reasons": payload.reasons if isinstance(payload, ExtendData) else complaint.extension_reasons,
        "ground": _label(WithoutConsiderationGround,
                         payload.ground if isinstance(payload, LeaveData) else complaint.without_consideration_ground),
        "outcome": _label(Outcome, after.outcome or complaint.outcome),
        "facts": complaint.decision_facts,
        "reasons": complaint.decision_reasons,
        "legal_references": complaint.legal_references,
        "demands": complaint.demands,
        "appealed_act": _label(AppealedAct, complaint.appealed_act),
        # RULES §23 (АППК 136): the term to go to court, from the answer's delivery.
        "court_months": getattr(settings, "SHAGYM_COURT_TERM_MONTHS", 1),
        "signer": person(complaint.signed_by) if complaint.signed_by_id else NO_VALUE,
        "executor": person(complaint.executor) if complaint.executor_id else NO_VALUE,
        "overdue_since": _day(after.overdue_since),
    }
    return context


def _organisation(pk: Any) -> Organisation | None:
    if not pk:
        return None
    return Organisation.objects.filter(pk=pk).first()


def _label(choices: Any, value: str | None) -> str:
    if not value or value not in choices.values:
        return NO_VALUE
    return str(choices(value).label)


def person(user: User | None) -> str:
    if user is None:
        return NO_VALUE
    return user.get_full_name() or user.get_username()


def _local(moment: dt.datetime) -> dt.datetime:
    return timezone.localtime(moment, workdays.ALMATY)


def _day(value: dt.date | str | None) -> str:
    if not value:
        return NO_VALUE
    if isinstance(value, str):
        value = dt.date.fromisoformat(value[:10])
    return dates.numeric(value)
