"""What the applicant sees of a complaint, in the words of the seeds (RULES §26): delivered, registered, in
execution, result of review, refusal to review. Staff-internal steps (drafts, a returned draft, the executor's
name, internal comments) are never shown."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from shagym.complaints import selectors, states
from shagym.complaints.models import Complaint, ComplaintEvent
from shagym.complaints.situation import situation_of
from shagym.complaints.states import (
    ANSWERED_STATES,
    OPEN_STATES,
    Action,
    Channel,
    ConfirmData,
    ContentRequestData,
    DeliverData,
    DeliveryMethod,
    ExtendData,
    ExtensionGround,
    HearingData,
    LeaveData,
    MoveData,
    Outcome,
    RecommendData,
    ReviseData,
    State,
    TextData,
    WithoutConsiderationGround,
)
from shagym.directory import dates
from shagym.directory.models import Organisation
from shagym.directory.roles import Role


@dataclass
class Entry:
    at: dt.datetime
    title: str
    text: str | Promise = ""  # a choice's label stays lazy, translated when shown


def _bodies(events: list[ComplaintEvent]) -> dict[int, str]:
    """The names of every body the events mention, in one query (not one per event)."""
    ids: set[int] = set()
    for event in events:
        payload = event.payload
        if event.action == Action.SUBMIT and event.new.holder_id:
            ids.add(event.new.holder_id)
        for name in ("to_body", "body"):
            value = getattr(payload, name, None)
            if isinstance(value, int):
                ids.add(value)
    return {body.pk: body.name for body in Organisation.objects.filter(pk__in=ids).order_by()} if ids else {}


def _date(value: dt.date | None) -> str:
    return dates.numeric(value) if value else ""


def _entry(event: ComplaintEvent, complaint: Complaint, seen: set[str], names: dict[int, str]) -> Entry | None:
    """The event in the applicant's words, from its typed payload and its snapshot after the action."""
    action, payload, after = event.action, event.payload, event.new
    at = event.at
    if action == Action.SUBMIT:
        return Entry(at, gettext("Delivered"), gettext("The complaint was received by %(body)s.")
                     % {"body": names.get(after.holder_id or 0, "") or complaint.holder.name})
    if action == Action.REGISTER:
        text = gettext("Registration number %(number)s.") % {"number": after.number or ""}
        if after.status == State.FORWARDING:
            text += " " + gettext("The body whose act you appeal must send it to the reviewing body by %(date)s.") % {
                "date": _date(after.forward_due)}
        elif after.due_date:
            text += " " + gettext("The answer is due by %(date)s.") % {"date": _date(after.due_date)}
        return Entry(at, gettext("Registered"), text)
    if isinstance(payload, MoveData) and action == Action.FORWARD:
        return Entry(at, gettext("Sent to the reviewing body"), names.get(payload.to_body or 0, ""))
    if isinstance(payload, MoveData) and action == Action.REDIRECT:
        return Entry(at, gettext("Sent to the competent body"),
                     gettext("The questions you raise are for %(body)s; the complaint was sent there.")
                     % {"body": names.get(payload.to_body or 0, "")})
    if isinstance(payload, ContentRequestData):
        return Entry(at, gettext("Information requested from you"),
                     gettext("Missing: %(missing)s. Supply it by %(date)s.")
                     % {"missing": payload.missing, "date": _date(after.content_due)})
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
    if isinstance(payload, ExtendData):
        label = ExtensionGround(payload.ground).label if payload.ground in ExtensionGround.values else ""
        return Entry(at, gettext("Term extended"),
                     gettext("Extended by %(days)s working days, to %(date)s. Ground: %(ground)s. Reasons: %(reasons)s")
                     % {"days": payload.days, "date": _date(after.due_date), "ground": label,
                        "reasons": payload.reasons})
    if action == Action.RECORD_EXTENSION_NOTICE:
        return Entry(at, gettext("Notice of the extension sent to you"))
    if isinstance(payload, HearingData):
        return Entry(at, gettext("You were heard"), _date(payload.held_on))
    if action == Action.SIGN_DECISION:
        return Entry(at, gettext("Result of review: decision taken"),
                     gettext("The answer will be delivered to you."))
    if isinstance(payload, DeliverData):
        how = DeliveryMethod(payload.method).label if payload.method in DeliveryMethod.values else ""
        return Entry(at, gettext("Result of review: answer delivered"), how)
    if isinstance(payload, TextData) and action == Action.SATISFY:
        return Entry(at, gettext("Result of review: satisfied by the body"), payload.text)
    if isinstance(payload, LeaveData):
        ground = payload.ground
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
    if isinstance(payload, RecommendData):
        return Entry(at, gettext("The quality authority recommended that your rights be restored"),
                     names.get(payload.body or 0, ""))
    if isinstance(payload, ConfirmData) and payload.accepted:
        return Entry(at, gettext("The quality authority confirmed the recommendation was carried out"))
    if isinstance(payload, ReviseData) and payload.applied and event.old.due_date != after.due_date:
        return Entry(at, gettext("Due date changed"),
                     gettext("The official calendar of days off changed; the answer is now due by %(date)s.")
                     % {"date": _date(after.due_date)})
    # PROPOSE_DECISION, RETURN_DRAFT, REPORT_EXECUTION, REISSUE_TALON, a second ASSIGN and the rest are internal.
    return None


def timeline(complaint: Complaint) -> list[Entry]:
    seen: set[str] = set()
    events = list(selectors.public_timeline(complaint))
    names = _bodies(events)
    entries = (_entry(event, complaint, seen, names) for event in events)
    return [entry for entry in entries if entry is not None]


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
    """What the applicant may do with the complaint now. The second tier is the state table's answer
    (states.why_not), so this page never repeats the rule."""
    today = today or timezone.localdate()
    child = complaint.second_tier.order_by("-received_at").first()
    open_child = child is not None and child.status in OPEN_STATES
    situation = situation_of(complaint, today=today, open_second_tier=open_child)
    second_tier = states.why_not(complaint, Action.SECOND_TIER_FILED, roles={Role.APPLICANT},
                                 situation=situation) is None
    return Actions(
        withdraw=complaint.status in OPEN_STATES,  # RULES §22: before the decision
        supply=complaint.status == State.AWAITING_CONTENT,
        second_tier=second_tier,
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
