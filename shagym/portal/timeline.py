"""What the applicant sees of a complaint, in the words of the seeds (RULES §26): delivered, registered, in
execution, result of review, refusal to review. Staff-internal steps (drafts, a returned draft, the executor's
name, internal comments) are never shown."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from shagym import workdays
from shagym.complaints import selectors, services
from shagym.complaints.models import Complaint, ComplaintEvent
from shagym.complaints.states import (
    ANSWERED_STATES,
    OPEN_STATES,
    Action,
    Channel,
    DeliveryMethod,
    ExtensionGround,
    Outcome,
    State,
    WithoutConsiderationGround,
)
from shagym.directory.calendar import ExplainedDay, current_calendar, explain_days
from shagym.directory.models import Organisation

# The status in the applicant's words, and its tone for the tag (ok / warn / bad / plain).
STATUS = {
    State.RECEIVED: (_("delivered"), ""),
    State.FORWARDING: (_("registered, being sent to the reviewing body"), ""),
    State.REGISTERED: (_("registered"), ""),
    State.AWAITING_CONTENT: (_("registered: information requested from you"), "warn"),
    State.UNDER_REVIEW: (_("in execution"), ""),
    State.EXTENDED: (_("in execution, term extended"), "warn"),
    State.AWAITING_SIGNATURE: (_("in execution"), ""),
    State.DECIDED: (_("result of review: decision taken"), "ok"),
    State.ANSWER_DELIVERED: (_("result of review: answer delivered"), "ok"),
    State.CLOSED: (_("result of review: answer delivered"), "ok"),
    State.SATISFIED_BY_RESPONDENT: (_("result of review: satisfied by the body"), "ok"),
    State.RETURNED: (_("returned: information not supplied"), "bad"),
    State.LEFT_WITHOUT_CONSIDERATION: (_("refusal to review (left without consideration)"), "bad"),
    State.WITHDRAWN: (_("withdrawn by you"), ""),
}


def status_label(complaint: Complaint) -> str:
    return str(STATUS[State(complaint.status)][0])


def status_tone(complaint: Complaint) -> str:
    if complaint.overdue_since and complaint.is_open:
        return "bad"
    return STATUS[State(complaint.status)][1]


@dataclass
class Entry:
    at: dt.datetime
    title: str
    text: str | Promise = ""  # a choice's label stays lazy, translated when shown


def _body_name(pk: int | str | None) -> str:
    body = Organisation.objects.filter(pk=pk).first() if pk else None
    return body.name if body else ""


def _date(value: str | None) -> str:
    return dt.date.fromisoformat(value).strftime("%d.%m.%Y") if value else ""


def _entry(event: ComplaintEvent, complaint: Complaint, seen: set[str]) -> Entry | None:
    action, data, after = event.action, event.data or {}, event.after or {}
    at = event.at
    if action == Action.SUBMIT:
        return Entry(at, gettext("Delivered"), gettext("The complaint was received by %(body)s.")
                     % {"body": _body_name(after.get("holder_id")) or complaint.holder.name})
    if action == Action.REGISTER:
        text = gettext("Registration number %(number)s.") % {"number": after.get("number") or ""}
        if after.get("status") == State.FORWARDING:
            text += " " + gettext("The body whose act you appeal must send it to the reviewing body by %(date)s.") % {
                "date": _date(after.get("forward_due"))}
        elif after.get("due_date"):
            text += " " + gettext("The answer is due by %(date)s.") % {"date": _date(after.get("due_date"))}
        return Entry(at, gettext("Registered"), text)
    if action == Action.FORWARD:
        return Entry(at, gettext("Sent to the reviewing body"), _body_name(data.get("to")))
    if action == Action.REDIRECT:
        return Entry(at, gettext("Sent to the competent body"),
                     gettext("The questions you raise are for %(body)s; the complaint was sent there.")
                     % {"body": _body_name(data.get("to"))})
    if action == Action.REQUEST_CONTENT:
        return Entry(at, gettext("Information requested from you"),
                     gettext("Missing: %(missing)s. Supply it by %(date)s.")
                     % {"missing": data.get("missing", ""), "date": _date(after.get("content_due"))})
    if action == Action.SUPPLY_CONTENT:
        return Entry(at, gettext("Information supplied"))
    if action == Action.RETURN:
        return Entry(at, gettext("Returned"),
                     gettext("The missing information was not supplied in time. You may file the complaint again."))
    if action == Action.ASSIGN:
        # Only the first appointment matters to the applicant; the executor's name is internal.
        if "assign" in seen:
            return None
        seen.add("assign")
        return Entry(at, gettext("In execution"), gettext("An official has been appointed to review the complaint."))
    if action == Action.EXTEND:
        ground = data.get("ground", "")
        label = ExtensionGround(ground).label if ground in ExtensionGround.values else ""
        return Entry(at, gettext("Term extended"),
                     gettext("Extended by %(days)s working days, to %(date)s. Ground: %(ground)s. Reasons: %(reasons)s")
                     % {"days": data.get("days", ""), "date": _date(after.get("due_date")), "ground": label,
                        "reasons": data.get("reasons", "")})
    if action == Action.RECORD_EXTENSION_NOTICE:
        return Entry(at, gettext("Notice of the extension sent to you"))
    if action == Action.RECORD_HEARING:
        return Entry(at, gettext("You were heard"), _date(data.get("held_on")))
    if action == Action.SIGN_DECISION:
        return Entry(at, gettext("Result of review: decision taken"),
                     gettext("The answer will be delivered to you."))
    if action == Action.DELIVER_ANSWER:
        method = data.get("method", "")
        how = DeliveryMethod(method).label if method in DeliveryMethod.values else ""
        return Entry(at, gettext("Result of review: answer delivered"), how)
    if action == Action.SATISFY:
        return Entry(at, gettext("Result of review: satisfied by the body"), data.get("text", ""))
    if action == Action.LEAVE_WITHOUT_CONSIDERATION:
        ground = data.get("ground", "")
        label = WithoutConsiderationGround(ground).label if ground in WithoutConsiderationGround.values else ""
        return Entry(at, gettext("Refusal to review"),
                     gettext("Left without consideration: %(ground)s.") % {"ground": label})
    if action == Action.WITHDRAW:
        return Entry(at, gettext("Withdrawn at your request"))
    if action == Action.CLOSE:
        return Entry(at, gettext("Closed"))
    if action == Action.MARK_OVERDUE:
        return Entry(at, gettext("Term passed without an answer"),
                     gettext("This counts as a refusal. You may complain to the quality authority or go to court."))
    if action == Action.SECOND_TIER_FILED:
        return Entry(at, gettext("You complained to the quality authority"))
    if action == Action.RECOMMEND:
        return Entry(at, gettext("The quality authority recommended that your rights be restored"),
                     _body_name(data.get("body")))
    if action == Action.CONFIRM_EXECUTION and data.get("accepted"):
        return Entry(at, gettext("The quality authority confirmed the recommendation was carried out"))
    if action == Action.REVISE_DUE_DATE and data.get("applied") and event.before.get("due_date") != after.get("due_date"):
        return Entry(at, gettext("Due date changed"),
                     gettext("The official calendar of days off changed; the answer is now due by %(date)s.")
                     % {"date": _date(after.get("due_date"))})
    # PROPOSE_DECISION, RETURN_DRAFT, REPORT_EXECUTION, a second ASSIGN and the rest are internal.
    return None


def timeline(complaint: Complaint) -> list[Entry]:
    seen: set[str] = set()
    entries = (_entry(event, complaint, seen) for event in selectors.public_timeline(complaint))
    return [entry for entry in entries if entry is not None]


@dataclass
class Deadline:
    """The deadline explained: from which day, how many working days, which days were not counted."""

    registered_on: dt.date | None
    expected_registration: dt.date | None
    working_days: int
    extension_days: int
    due: dt.date | None
    skipped: list[ExplainedDay] = field(default_factory=list)
    overdue: bool = False
    estimated: bool = False


def deadline(complaint: Complaint, *, today: dt.date | None = None) -> Deadline:
    """RULES §6, §11-§17. Before registration the due date is an estimate from the day of receipt."""
    today = today or timezone.localdate()
    cal = current_calendar()
    registered, estimated, expected = complaint.registered_on, False, None
    due = complaint.due_date
    if registered is None and complaint.status == State.RECEIVED:
        expected = workdays.registration_day(cal, complaint.received_at)
        registered, estimated = expected, True
        due = workdays.due_date(cal, registered=expected, working_days=complaint.term_days,
                                day_one_after_registration=settings.SHAGYM_DAY_ONE_AFTER_REGISTRATION)
    skipped = explain_days(cal, registered, due) if registered and due else []
    return Deadline(
        registered_on=complaint.registered_on,
        expected_registration=expected,
        working_days=complaint.term_days,
        extension_days=complaint.extension_days,
        due=due,
        skipped=skipped,
        overdue=complaint.is_overdue(today),
        estimated=estimated,
    )


def court_until(complaint: Complaint) -> dt.date | None:
    """RULES §23 (АППК 136): one month from receiving the answer."""
    if complaint.delivered_on is None:
        return None
    day = complaint.delivered_on
    month = day.month - 1 + settings.SHAGYM_COURT_TERM_MONTHS
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    return None


@dataclass
class Actions:
    withdraw: bool
    supply: bool
    second_tier: bool
    second_tier_child: Complaint | None
    talon: bool
    answer: bool
    extension_notice: bool
    court: bool


def actions(complaint: Complaint, *, today: dt.date | None = None) -> Actions:
    today = today or timezone.localdate()
    child = complaint.second_tier.order_by("-received_at").first()
    open_child = child is not None and child.status in OPEN_STATES
    return Actions(
        withdraw=complaint.status in OPEN_STATES,  # RULES §22: before the decision
        supply=complaint.status == State.AWAITING_CONTENT,
        second_tier=services.second_tier_allowed(complaint, today) and not open_child
        and complaint.addressee_kind != "quality_authority",
        second_tier_child=child,
        talon=complaint.channel == Channel.PORTAL or complaint.number is not None,
        answer=complaint.status in {State.ANSWER_DELIVERED, State.CLOSED},
        extension_notice=bool(complaint.extension_days),
        court=complaint.status in ANSWERED_STATES or complaint.is_overdue(today)
        or complaint.status in {State.LEFT_WITHOUT_CONSIDERATION, State.SATISFIED_BY_RESPONDENT},
    )


# Keyed by the stored value: Outcome members are equal to (and hash as) their strings.
OUTCOME_WORDS: dict[str, Promise] = {
    Outcome.CANCEL: _("The appealed decision is cancelled, in full or in part."),
    Outcome.CANCEL_AND_ADOPT: _("The appealed decision is cancelled and a new one adopted."),
    Outcome.PERFORM_ACTION: _("The body is to perform the action you asked for."),
    Outcome.REFUSE: _("Your complaint is refused (left unsatisfied)."),
    Outcome.SEND_BACK: _("The case is sent back to the body, with the violations found."),
}
