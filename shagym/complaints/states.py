"""The complaint lifecycle in one table: states, actions, who may take each, the preconditions that the complaint's
situation must meet, the guards on the input, and the typed payload each action's event carries. No database writes.

Services (`services/`) call `check()` before they change anything; nothing else decides a status. The pages ask
`why_not()` to explain an action the law rules out now, so they never repeat a rule."""

from __future__ import annotations

import dataclasses
import datetime as dt
import typing
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Protocol, Self

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from shagym.directory import dates
from shagym.directory.models import OrganisationKind
from shagym.directory.roles import Role


class State(models.TextChoices):
    RECEIVED = "received", pgettext_lazy("complaint status", "received")  # delivered, awaiting registration by the office
    FORWARDING = "forwarding", pgettext_lazy("complaint status", "registered at the appealed body, to be forwarded")  # RULES §8
    REGISTERED = "registered", pgettext_lazy("complaint status", "registered")
    AWAITING_CONTENT = "awaiting_content", pgettext_lazy("complaint status", "missing content requested")  # RULES §4
    UNDER_REVIEW = "under_review", pgettext_lazy("complaint status", "under review")
    EXTENDED = "extended", pgettext_lazy("complaint status", "under review, term extended")  # RULES §14
    AWAITING_SIGNATURE = "awaiting_signature", pgettext_lazy("complaint status", "answer awaiting signature")
    DECIDED = "decided", pgettext_lazy("complaint status", "decided")
    ANSWER_DELIVERED = "answer_delivered", pgettext_lazy("complaint status", "answer delivered")
    SATISFIED_BY_RESPONDENT = "satisfied", pgettext_lazy("complaint status", "satisfied in full by the appealed body")  # RULES §8
    RETURNED = "returned", pgettext_lazy("complaint status", "returned")  # RULES §4
    LEFT_WITHOUT_CONSIDERATION = "left", pgettext_lazy("complaint status", "left without consideration")  # RULES §21
    WITHDRAWN = "withdrawn", pgettext_lazy("complaint status", "withdrawn")  # RULES §22
    CLOSED = "closed", pgettext_lazy("complaint status", "closed")


class Action(models.TextChoices):
    SUBMIT = "submit", pgettext_lazy("complaint event", "filed")
    REGISTER = "register", pgettext_lazy("complaint event", "registered")
    FORWARD = "forward", pgettext_lazy("complaint event", "forwarded to the reviewing body")
    SATISFY = "satisfy", pgettext_lazy("complaint event", "satisfied in full by the appealed body")
    REDIRECT = "redirect", pgettext_lazy("complaint event", "redirected to the competent body")
    REQUEST_CONTENT = "request_content", pgettext_lazy("complaint event", "missing content requested")
    SUPPLY_CONTENT = "supply_content", pgettext_lazy("complaint event", "missing content supplied")
    RETURN = "return", pgettext_lazy("complaint event", "returned for missing content")
    ASSIGN = "assign", pgettext_lazy("complaint event", "executor appointed")
    EXTEND = "extend", pgettext_lazy("complaint event", "term extended")
    RECORD_EXTENSION_NOTICE = "extension_notice", pgettext_lazy("complaint event", "extension notice sent")
    RECORD_HEARING = "hearing", pgettext_lazy("complaint event", "hearing held")
    PROPOSE_DECISION = "propose_decision", pgettext_lazy("complaint event", "answer drafted")
    RETURN_DRAFT = "return_draft", pgettext_lazy("complaint event", "draft returned to the executor")
    SIGN_DECISION = "sign_decision", pgettext_lazy("complaint event", "decision signed")
    LEAVE_WITHOUT_CONSIDERATION = "leave", pgettext_lazy("complaint event", "left without consideration")
    WITHDRAW = "withdraw", pgettext_lazy("complaint event", "withdrawn by the applicant")
    DELIVER_ANSWER = "deliver_answer", pgettext_lazy("complaint event", "answer delivered")
    CLOSE = "close", pgettext_lazy("complaint event", "closed")
    MARK_OVERDUE = "mark_overdue", pgettext_lazy("complaint event", "term passed without a decision")
    SECOND_TIER_FILED = "second_tier_filed", pgettext_lazy("complaint event", "complaint filed with the quality authority")
    RECOMMEND = "recommend", pgettext_lazy("complaint event", "recommendation issued")
    REPORT_EXECUTION = "report_execution", pgettext_lazy("complaint event", "execution of the recommendation reported")
    CONFIRM_EXECUTION = "confirm_execution", pgettext_lazy("complaint event", "execution of the recommendation confirmed")
    REVISE_DUE_DATE = "revise_due_date", pgettext_lazy("complaint event", "due date revised after a calendar change")
    REISSUE_TALON = "reissue_talon", pgettext_lazy("complaint event", "new talon issued (the old access code stops working)")


class ApplicantKind(models.TextChoices):
    INDIVIDUAL = "individual", _("individual")
    LEGAL_ENTITY = "legal", _("legal entity")


class Channel(models.TextChoices):
    # RULES §1: every channel ends in the same registered case.
    PORTAL = "portal", _("portal")
    OFFICE = "office", _("in person at the office")
    POST = "post", _("by post")
    CON = "con", _("at a public service centre")


class Language(models.TextChoices):
    KAZAKH = "kk", _("Kazakh")
    RUSSIAN = "ru", _("Russian")


class AddresseeKind(models.TextChoices):
    # RULES §2: chosen by the applicant.
    PROVIDER_HEAD = "provider_head", _("head of the service provider")
    AKIM = "akim", _("akim of the territory")
    CENTRAL = "central", _("ministry or central state body")
    CON_HEAD = "con_head", _("head of the public service centre")
    STATE_CORPORATION = "state_corporation", _("State Corporation")
    QUALITY_AUTHORITY = "quality_authority", _("quality authority")


class TermType(models.TextChoices):
    PUBLIC_SERVICE = "public_service", _("public service complaint: 5 working days")  # RULES §11, Law 25(2)
    QUALITY_AUTHORITY = "quality_authority", _("quality authority: 15 working days")  # RULES §12, Law 25(2)
    ADMINISTRATIVE = "administrative", _("other administrative complaint: 20 working days")  # RULES §13, АППК 99


# Working days per term type, with the law beside each (RULES §11-§13).
TERM_DAYS: Mapping[str, int] = {
    TermType.PUBLIC_SERVICE: 5,  # Law "On public services" Art. 25(2), first part
    TermType.QUALITY_AUTHORITY: 15,  # Law "On public services" Art. 25(2), second part
    TermType.ADMINISTRATIVE: 20,  # АППК Art. 99
}


def term_type_for(addressee_kind: str, *, public_service: bool) -> TermType:
    """RULES §11-§13: the quality authority has 15 working days; every other addressee of a public-service
    complaint has 5; an administrative complaint outside public services has 20."""
    if addressee_kind == AddresseeKind.QUALITY_AUTHORITY:
        return TermType.QUALITY_AUTHORITY
    return TermType.PUBLIC_SERVICE if public_service else TermType.ADMINISTRATIVE


class AppealedAct(models.TextChoices):
    DECISION = "decision", pgettext_lazy("appealed act", "decision")
    ACTION = "action", pgettext_lazy("appealed act", "action")
    INACTION = "inaction", _("inaction")


class Outcome(models.TextChoices):
    # RULES §20 (АППК 100(1)). Partial satisfaction is a partial cancellation.
    CANCEL = "cancel", _("cancel the appealed act in full or in part")
    CANCEL_AND_ADOPT = "cancel_adopt", _("cancel the act and adopt a new one")
    PERFORM_ACTION = "perform", _("perform the action")
    REFUSE = "refuse", _("refuse: leave the complaint unsatisfied")
    SEND_BACK = "send_back", _("send the case back to the body, with the violations and proposals")


SATISFYING_OUTCOMES = frozenset({Outcome.CANCEL, Outcome.CANCEL_AND_ADOPT, Outcome.PERFORM_ACTION})


class WithoutConsiderationGround(models.TextChoices):
    # RULES §21 (АППК 95).
    ALREADY_DECIDED = "already_decided", _("the body already decided the same subject on the same grounds")
    COURT_ACT = "court_act", _("a court act in force on the same subject")
    RETURNED = "returned", _("the complaint was returned")
    WITHDRAWN = "withdrawn", _("the complaint was withdrawn")


class ExtensionGround(models.TextChoices):
    # RULES §14 (Law Art. 25(4)).
    FURTHER_STUDY = "further_study", _("further study or inspection, including an on-site check")
    MORE_INFORMATION = "more_information", _("obtaining additional information")


class DeliveryMethod(models.TextChoices):
    # RULES §23 (seed 004).
    POST = "post", _("by post")
    IN_PERSON = "in_person", _("in person at the office")
    ELECTRONIC = "electronic", _("electronically, to the personal cabinet")


class RecommendationState(models.TextChoices):
    # RULES §24 (Law Art. 25(3)): issued, its execution reported by the body, confirmed by the inspector.
    ISSUED = "issued", pgettext_lazy("recommendation status", "issued")
    REPORTED = "reported", pgettext_lazy("recommendation status", "execution reported")
    EXECUTED = "executed", pgettext_lazy("recommendation status", "executed")


REVIEW_STATES = frozenset({State.UNDER_REVIEW, State.EXTENDED})
# Before the decision: withdrawal allowed (RULES §22), the term runs (RULES §15).
OPEN_STATES = frozenset(
    {
        State.RECEIVED,
        State.FORWARDING,
        State.REGISTERED,
        State.AWAITING_CONTENT,
        State.UNDER_REVIEW,
        State.EXTENDED,
        State.AWAITING_SIGNATURE,
    }
)
FINAL_STATES = frozenset(
    {
        State.SATISFIED_BY_RESPONDENT,
        State.RETURNED,
        State.LEFT_WITHOUT_CONSIDERATION,
        State.WITHDRAWN,
        State.CLOSED,
    }
)
ANSWERED_STATES = frozenset({State.DECIDED, State.ANSWER_DELIVERED, State.CLOSED})
REGISTERED_STATES = frozenset(State) - {State.RECEIVED}

STAFF = frozenset({Role.CLERK, Role.HEAD})
DECIDERS = frozenset({Role.EXECUTOR, Role.HEAD, Role.INSPECTOR})


# ---------------------------------------------------------------------------------------------------------------
# Refusals


class Refused(Exception):
    """The action is not possible: wrong state or situation (`code="state"`) or bad input (`code="invalid"`).
    The message is translated and says what to do."""

    def __init__(self, message: str, *, code: str = "invalid", field: str | None = None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.field = field


class NotAllowed(Exception):
    """The actor has no role that may take this action on this complaint."""


# ---------------------------------------------------------------------------------------------------------------
# What the rules read


class ComplaintLike(Protocol):
    """The fields of a complaint the table reads (a Complaint, or a stand-in in the tests)."""

    status: str
    channel: str
    addressee_kind: str
    number: str | None
    extension_days: int
    content_due: dt.date | None
    extension_notice_sent_at: dt.datetime | None
    overdue_since: dt.date | None
    executor_id: int | None

    def is_overdue(self, today: dt.date) -> bool: ...


@dataclass(frozen=True)
class Situation:
    """What the preconditions see besides the complaint's own fields: today, the body holding it, and the legal
    settings in force. Built in one place (services.situation) from the locked complaint and the settings."""

    today: dt.date
    holder_kind: str
    # RULES §8: a complaint held by a body other than the one addressed is forwarded, not reviewed, there.
    holder_is_reviewer: bool
    holder_is_respondent: bool
    # RULES §14 (Law Art. 25(4)): the body kinds that may extend, and the longest extension.
    extension_body_kinds: frozenset[str]
    max_extension_days: int
    # RULES §24: one open second-tier complaint at a time. Only SECOND_TIER_FILED reads it; None = not looked up.
    open_second_tier: bool | None = None


# ---------------------------------------------------------------------------------------------------------------
# Typed payloads: the `data` of each action's event, and the snapshot written as its `before` and `after`.


def _to_json(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_to_json(item) for item in value]
    return value


_FIELD_TYPES: dict[type, dict[str, Any]] = {}


def _field_types(cls: type) -> dict[str, Any]:
    if cls not in _FIELD_TYPES:
        _FIELD_TYPES[cls] = typing.get_type_hints(cls)
    return _FIELD_TYPES[cls]


def _from_json(kind: Any, value: Any) -> Any:
    if value is None:
        return None
    options = typing.get_args(kind) or (kind,)
    if dt.date in options and isinstance(value, str):
        return dt.date.fromisoformat(value[:10])
    return value


class Schema:
    """A frozen dataclass stored as JSON: dates as ISO strings. Built in code, it takes exactly its fields (a
    misspelt one is a TypeError); read back from the database, it ignores keys it does not know."""

    def as_json(self) -> dict[str, Any]:
        return {f.name: _to_json(getattr(self, f.name)) for f in dataclasses.fields(self)}  # type: ignore[arg-type]

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | None) -> Self:
        data = data or {}
        types = _field_types(cls)
        values = {f.name: _from_json(types[f.name], data[f.name])
                  for f in dataclasses.fields(cls) if f.name in data}  # type: ignore[arg-type]
        return cls(**values)


@dataclass(frozen=True)
class Snapshot(Schema):
    """The fields the lifecycle changes, as an event's `before` and `after` (Complaint.snapshot())."""

    FIELDS: ClassVar[tuple[str, ...]] = (
        "status", "holder_id", "reviewing_body_id", "forwarded_from_id", "number", "registered_on", "term_type",
        "term_days", "due_date", "calendar_version", "forward_due", "content_due", "extension_days",
        "extension_notice_due", "overdue_since", "executor_id", "outcome", "delivery_method", "delivered_on",
    )

    status: str = ""
    holder_id: int | None = None
    reviewing_body_id: int | None = None
    forwarded_from_id: int | None = None
    number: str | None = None
    registered_on: dt.date | None = None
    term_type: str = ""
    term_days: int = 0
    due_date: dt.date | None = None
    calendar_version: str = ""
    forward_due: dt.date | None = None
    content_due: dt.date | None = None
    extension_days: int = 0
    extension_notice_due: dt.date | None = None
    overdue_since: dt.date | None = None
    executor_id: int | None = None
    outcome: str = ""
    delivery_method: str = ""
    delivered_on: dt.date | None = None


@dataclass(frozen=True)
class Payload(Schema):
    """An action's own data. The base carries nothing (register, return, close)."""


@dataclass(frozen=True)
class SubmitData(Payload):
    late: bool = False  # RULES §7: filed more than 3 months after the applicant learned of it
    # RULES §3: how the applicant signed: "digital" (EDS, the Signature row of this event), "paper" (the clerk
    # received it signed on paper), "" (the portal account only, where the setting allows it).
    signed: str = ""
    parent_id: int | None = None  # RULES §24: the first-tier complaint of a second-tier one


@dataclass(frozen=True)
class MoveData(Payload):
    """Forward (RULES §8) or redirect (§9): from which body to which."""

    from_body: int | None = None
    to_body: int | None = None
    reason: str = ""


@dataclass(frozen=True)
class TextData(Payload):
    text: str = ""


@dataclass(frozen=True)
class ContentRequestData(Payload):
    missing: str = ""
    days: int = 0


@dataclass(frozen=True)
class SupplyData(Payload):
    text: str = ""
    attachments: list[str] = dataclasses.field(default_factory=list)


@dataclass(frozen=True)
class AssignData(Payload):
    executor: int | None = None
    previous: int | None = None


@dataclass(frozen=True)
class ExtendData(Payload):
    days: int = 0
    ground: str = ""
    reasons: str = ""


@dataclass(frozen=True)
class NoticeData(Payload):
    channel: str = ""
    on_time: bool = False


@dataclass(frozen=True)
class HearingData(Payload):
    held_on: dt.date | None = None
    notes: str = ""


@dataclass(frozen=True)
class OutcomeData(Payload):
    outcome: str = ""


@dataclass(frozen=True)
class CommentData(Payload):
    comment: str = ""


@dataclass(frozen=True)
class LeaveData(Payload):
    ground: str = ""
    comment: str = ""
    notice_due: dt.date | None = None  # RULES §21: the applicant is told within 3 working days


@dataclass(frozen=True)
class WithdrawData(Payload):
    reason: str = ""


@dataclass(frozen=True)
class DeliverData(Payload):
    method: str = ""
    delivered_on: dt.date | None = None


@dataclass(frozen=True)
class OverdueData(Payload):
    due_date: dt.date | None = None


@dataclass(frozen=True)
class SecondTierData(Payload):
    child: int | None = None


@dataclass(frozen=True)
class RecommendData(Payload):
    recommendation: int | None = None
    body: int | None = None
    due: dt.date | None = None


@dataclass(frozen=True)
class ReportData(Payload):
    recommendation: int | None = None
    report: str = ""


@dataclass(frozen=True)
class ConfirmData(Payload):
    recommendation: int | None = None
    accepted: bool = False
    comment: str = ""


@dataclass(frozen=True)
class ReviseData(Payload):
    applied: bool = False
    reason: str = ""
    proposed: dt.date | None = None


# ---------------------------------------------------------------------------------------------------------------
# Preconditions (the situation; each raises Refused with code "state") and guards (the input; code "invalid").


def _require(value: str | None, message: str, field: str) -> None:
    if not (value or "").strip():
        raise Refused(message, field=field)


def _may_extend(complaint: ComplaintLike, situation: Situation) -> None:
    # RULES §14, Law Art. 25(4): only the listed body kinds, and only once.
    if situation.holder_kind not in situation.extension_body_kinds:
        raise Refused(
            gettext("The law does not allow this body to extend the review term (Law on public services, Art. 25(4))."),
            code="state",
        )
    if complaint.extension_days:
        raise Refused(gettext("The term has already been extended once."), code="state")


def _guard_extend(complaint: ComplaintLike, situation: Situation, *, days: int, ground: str, reasons: str) -> None:
    # RULES §14: at most 10 working days (the setting may only lower it), with a ground and reasons.
    if not 1 <= days <= situation.max_extension_days:
        raise Refused(
            gettext("An extension is from 1 to %(max)d working days.") % {"max": situation.max_extension_days},
            field="days",
        )
    if ground not in ExtensionGround.values:
        raise Refused(gettext("Choose the ground for the extension."), field="ground")
    _require(reasons, gettext("Write the reasons for the extension: the applicant will be told them."), "reasons")


def _notice_not_recorded(complaint: ComplaintLike, situation: Situation) -> None:
    if complaint.extension_notice_sent_at is not None:
        raise Refused(gettext("The extension notice has already been recorded."), code="state")


def _guard_notice(complaint: ComplaintLike, situation: Situation, *, channel: str) -> None:
    _require(channel, gettext("Say how the applicant was told."), "channel")


def _guard_propose(complaint: ComplaintLike, situation: Situation, *, outcome: str, reasons: str) -> None:
    if outcome not in Outcome.values:
        raise Refused(gettext("Choose the outcome of the review."), field="outcome")
    if outcome == Outcome.REFUSE:
        # RULES §20 (АППК 100(4)): a refusal must be reasoned.
        _require(reasons, gettext("A refusal must give its reasons (АППК Art. 100(4))."), "reasons")
    # RULES §23 (АППК 101): every answer gives the reasons with references to the law.
    _require(reasons, gettext("Write the reasons for the decision, with references to the law."), "reasons")


def _guard_leave(complaint: ComplaintLike, situation: Situation, *, ground: str) -> None:
    if ground not in WithoutConsiderationGround.values:
        raise Refused(
            gettext("Choose one of the grounds of АППК Art. 95 for leaving the complaint without consideration."),
            field="ground",
        )


def _guard_request_content(complaint: ComplaintLike, situation: Situation, *, missing: str, days: int) -> None:
    _require(missing, gettext("List what is missing from the complaint, so the applicant can supply it."), "missing")
    # RULES §4 (АППК 64(6)): a "reasonable term"; the office chooses it within these bounds.
    if not 1 <= days <= 30:
        raise Refused(gettext("The term to supply the content is from 1 to 30 working days."), field="days")


def _guard_supply(complaint: ComplaintLike, situation: Situation, *, text: str, files: int) -> None:
    if not text.strip() and not files:
        raise Refused(gettext("Write the missing information or attach it."), field="text")


def _content_term_passed(complaint: ComplaintLike, situation: Situation) -> None:
    # RULES §4 (АППК 64(6)): returned only once the term given to fix the content has passed.
    if complaint.content_due is not None and situation.today <= complaint.content_due:
        raise Refused(
            gettext("The applicant has until %(date)s to supply the missing content.")
            % {"date": dates.numeric(complaint.content_due)},
            code="state",
        )


def _guard_redirect(
    complaint: ComplaintLike, situation: Situation, *, target_id: int | None, holder_id: int, reason: str
) -> None:
    if target_id is None:
        raise Refused(gettext("Choose the competent body."), field="target")
    if target_id == holder_id:
        raise Refused(gettext("Choose a body other than your own."), field="target")
    # RULES §9 (АППК 65): the applicant is told, and told why.
    _require(reason, gettext("Say why the complaint is outside your competence: the applicant will read it."), "reason")


def _guard_assign(
    complaint: ComplaintLike, situation: Situation, *, executor_ok: bool, executor_is_appealed: bool
) -> None:
    if not executor_ok:
        raise Refused(gettext("Choose an executor of your body."), field="executor")
    if executor_is_appealed:
        # RULES §10 (АППК 97(2)): the official whose act is appealed may not review the complaint.
        raise Refused(
            gettext("This official's own act is appealed: appoint another executor (АППК Art. 97(2))."),
            field="executor",
        )


def _guard_deliver(
    complaint: ComplaintLike, situation: Situation, *, method: str, delivered_on: dt.date, decided_on: dt.date | None
) -> None:
    if method not in DeliveryMethod.values:
        raise Refused(gettext("Choose how the answer was delivered."), field="method")
    if delivered_on > situation.today:
        raise Refused(gettext("The delivery date cannot be in the future."), field="delivered_on")
    if decided_on is not None and delivered_on < decided_on:
        raise Refused(gettext("The answer cannot be delivered before it was signed (%(date)s).")
                      % {"date": dates.numeric(decided_on)}, field="delivered_on")


def _held_by_respondent(complaint: ComplaintLike, situation: Situation) -> None:
    # RULES §8: only the body whose act is appealed may itself satisfy the demands within the 3 working days.
    if not situation.holder_is_respondent:
        raise Refused(gettext("Only the body whose act is appealed can satisfy the complaint here."), code="state")


def _guard_satisfy(complaint: ComplaintLike, situation: Situation, *, text: str) -> None:
    _require(text, gettext("Describe the decision or action that satisfies the demands in full."), "text")


def _guard_hearing(complaint: ComplaintLike, situation: Situation, *, held_on: dt.date, notes: str) -> None:
    if held_on > situation.today:
        raise Refused(gettext("The hearing cannot be dated in the future."), field="held_on")
    _require(notes, gettext("Write down what was heard."), "notes")


def _held_by_quality_authority(complaint: ComplaintLike, situation: Situation) -> None:
    # RULES §24 (Law Art. 25(3)): recommendations are the quality authority's.
    if situation.holder_kind != OrganisationKind.QUALITY_AUTHORITY:
        raise Refused(gettext("Only the quality authority issues recommendations."), code="state")


def _guard_recommend(complaint: ComplaintLike, situation: Situation, *, text: str, due_date: dt.date) -> None:
    _require(text, gettext("Write the recommendation: which rights to restore and how."), "text")
    if due_date <= situation.today:
        raise Refused(gettext("The date to execute the recommendation must be in the future."), field="due_date")


def _guard_return_draft(complaint: ComplaintLike, situation: Situation, *, comment: str) -> None:
    _require(comment, gettext("Tell the executor what to change."), "comment")


def _guard_revise(complaint: ComplaintLike, situation: Situation, *, reason: str) -> None:
    _require(reason, gettext("Give the reason, e.g. the order that changed the calendar."), "reason")


def _term_passed(complaint: ComplaintLike, situation: Situation) -> None:
    # RULES §15: marked once, when the term has ended without a decision.
    if complaint.overdue_since is not None or not complaint.is_overdue(situation.today):
        raise Refused(gettext("The term has not passed, or the complaint is already marked."), code="state")


def _second_tier_open(complaint: ComplaintLike, situation: Situation) -> None:
    # RULES §15, §21, §24: after an answer, a refusal to consider, or silence past the term; one at a time.
    if complaint.addressee_kind == AddresseeKind.QUALITY_AUTHORITY:
        raise Refused(gettext("The quality authority's answer is appealed in court (АППК Art. 136)."), code="state")
    answered = complaint.status in ANSWERED_STATES | {State.LEFT_WITHOUT_CONSIDERATION}
    if not (answered or complaint.is_overdue(situation.today)):
        raise Refused(
            gettext("You can complain to the quality authority once you have the answer or the term has passed."),
            code="state",
        )
    if situation.open_second_tier is None:
        raise TypeError("SECOND_TIER_FILED needs Situation.open_second_tier")
    if situation.open_second_tier:
        raise Refused(gettext("A complaint about this answer is already with the quality authority."), code="state")


def _paper_with_number(complaint: ComplaintLike, situation: Situation) -> None:
    # RULES §5: the talon carries the registration number; the access code is for complaints without an account.
    if not complaint.number:
        raise Refused(gettext("Register the complaint first: the talon carries its number."), code="state")
    if complaint.channel == Channel.PORTAL:
        raise Refused(gettext("A portal complaint is followed in the applicant's cabinet: it has no access code."),
                      code="state")


# ---------------------------------------------------------------------------------------------------------------
# Where an action leads, when it depends on the complaint


def _registered_or_forwarding(complaint: ComplaintLike, situation: Situation) -> State:
    # RULES §6, §8: registered where it is reviewed; at another body (the appealed one) the forwarding window opens.
    return State.REGISTERED if situation.holder_is_reviewer else State.FORWARDING


def resume_state(complaint: ComplaintLike, situation: Situation | None = None) -> State:
    """Where a complaint goes back to once the missing content is supplied."""
    if complaint.executor_id is None:
        return State.REGISTERED
    return State.EXTENDED if complaint.extension_days else State.UNDER_REVIEW


def _under_review_once_assigned(complaint: ComplaintLike, situation: Situation) -> State:
    return State.UNDER_REVIEW if complaint.status == State.REGISTERED else State(complaint.status)


def _back_to_review(complaint: ComplaintLike, situation: Situation) -> State:
    return State.EXTENDED if complaint.extension_days else State.UNDER_REVIEW


# ---------------------------------------------------------------------------------------------------------------
# The table

Target = State | Callable[[ComplaintLike, Situation], State] | None
Check = Callable[[ComplaintLike, Situation], None]


@dataclass(frozen=True)
class Transition:
    sources: frozenset[State]
    roles: frozenset[Role]
    target: Target  # None: the status stays as it is
    payload: type[Payload] = Payload
    precondition: Check | None = None
    guard: Callable[..., None] | None = None
    offered: bool = True  # a next step on the case page (False: the system's, or from another page)


def _t(
    sources: Collection[State], roles: Collection[Role], target: Target, payload: type[Payload] = Payload, **kw: Any
) -> Transition:
    return Transition(frozenset(sources), frozenset(roles), target, payload, **kw)


# The whole lifecycle. RULES § references per row.
TRANSITIONS: Mapping[Action, Transition] = {
    # §1, §5, §6: received on any channel, then registered on the day of receipt. A complaint received by a body
    # other than the one addressed opens the forwarding window (§8).
    Action.REGISTER: _t({State.RECEIVED}, STAFF, _registered_or_forwarding),
    # §8: the appealed body forwards within 3 working days, or satisfies the demands in full.
    Action.FORWARD: _t({State.FORWARDING}, STAFF, State.RECEIVED, MoveData),
    Action.SATISFY: _t({State.FORWARDING}, {Role.HEAD}, State.SATISFIED_BY_RESPONDENT, TextData,
                       precondition=_held_by_respondent, guard=_guard_satisfy),
    # §9: outside competence, redirected to the competent body, applicant told.
    Action.REDIRECT: _t({State.RECEIVED, State.REGISTERED}, STAFF, State.RECEIVED, MoveData, guard=_guard_redirect),
    # §4: missing content named, a term to fix it; returned if not fixed.
    Action.REQUEST_CONTENT: _t({State.REGISTERED, State.UNDER_REVIEW, State.EXTENDED}, STAFF | {Role.EXECUTOR},
                               State.AWAITING_CONTENT, ContentRequestData, guard=_guard_request_content),
    Action.SUPPLY_CONTENT: _t({State.AWAITING_CONTENT}, {Role.APPLICANT, Role.CLERK}, resume_state, SupplyData,
                              guard=_guard_supply),
    Action.RETURN: _t({State.AWAITING_CONTENT}, STAFF, State.RETURNED, precondition=_content_term_passed),
    # §10: the head appoints the executor (or changes him).
    Action.ASSIGN: _t({State.REGISTERED, State.UNDER_REVIEW, State.EXTENDED}, {Role.HEAD},
                      _under_review_once_assigned, AssignData, guard=_guard_assign),
    # §14: one extension, at most 10 working days, by the body kinds allowed.
    Action.EXTEND: _t({State.UNDER_REVIEW}, DECIDERS, State.EXTENDED, ExtendData, precondition=_may_extend,
                      guard=_guard_extend),
    Action.RECORD_EXTENSION_NOTICE: _t({State.EXTENDED}, STAFF | {Role.EXECUTOR, Role.SYSTEM}, None, NoticeData,
                                       precondition=_notice_not_recorded, guard=_guard_notice),
    # АППК 73: the applicant's right to be heard.
    Action.RECORD_HEARING: _t(REVIEW_STATES, DECIDERS, None, HearingData, guard=_guard_hearing),
    # §20, §23: the executor drafts the reasoned answer; the head signs it.
    Action.PROPOSE_DECISION: _t(REVIEW_STATES, DECIDERS, State.AWAITING_SIGNATURE, OutcomeData, guard=_guard_propose),
    Action.RETURN_DRAFT: _t({State.AWAITING_SIGNATURE}, {Role.HEAD}, _back_to_review, CommentData,
                            guard=_guard_return_draft),
    Action.SIGN_DECISION: _t({State.AWAITING_SIGNATURE}, {Role.HEAD}, State.DECIDED, OutcomeData),
    # §21: only on the grounds of АППК 95.
    Action.LEAVE_WITHOUT_CONSIDERATION: _t(
        {State.REGISTERED, State.UNDER_REVIEW, State.EXTENDED, State.AWAITING_SIGNATURE}, {Role.HEAD},
        State.LEFT_WITHOUT_CONSIDERATION, LeaveData, guard=_guard_leave,
    ),
    # §22: by written request, before the decision; a clerk records a paper request.
    Action.WITHDRAW: _t(OPEN_STATES, {Role.APPLICANT, Role.CLERK}, State.WITHDRAWN, WithdrawData),
    # §23: by post, at the office, or electronically.
    Action.DELIVER_ANSWER: _t({State.DECIDED}, STAFF | {Role.EXECUTOR, Role.SYSTEM}, State.ANSWER_DELIVERED,
                              DeliverData, guard=_guard_deliver),
    Action.CLOSE: _t({State.ANSWER_DELIVERED}, STAFF | {Role.SYSTEM}, State.CLOSED),
    # §15: silence counts as refusal; the mark is set once, the status stays.
    Action.MARK_OVERDUE: _t(OPEN_STATES - {State.RECEIVED}, {Role.SYSTEM}, None, OverdueData,
                            precondition=_term_passed, offered=False),
    # §24: the second tier, and the quality authority's recommendation.
    Action.SECOND_TIER_FILED: _t(ANSWERED_STATES | OPEN_STATES | {State.LEFT_WITHOUT_CONSIDERATION}, {Role.APPLICANT},
                                 None, SecondTierData, precondition=_second_tier_open, offered=False),
    Action.RECOMMEND: _t(REVIEW_STATES | {State.AWAITING_SIGNATURE, State.DECIDED}, {Role.INSPECTOR}, None,
                         RecommendData, precondition=_held_by_quality_authority, guard=_guard_recommend),
    # §18: a legal deadline never moves silently.
    Action.REVISE_DUE_DATE: _t(OPEN_STATES, {Role.ADMINISTRATOR}, None, ReviseData, guard=_guard_revise,
                               offered=False),
    # §5: a lost talon is replaced with a new access code; the event records who did it.
    Action.REISSUE_TALON: _t(REGISTERED_STATES, STAFF, None, precondition=_paper_with_number, offered=False),
}


# ---- The recommendation's own lifecycle (RULES §24: control of timeliness and completeness) ----


def _guard_report(*, report: str) -> None:
    _require(report, gettext("Describe how the recommendation was executed."), "report")


def _guard_confirm(*, accepted: bool, comment: str) -> None:
    if not accepted:
        _require(comment, gettext("Say what is still to be done: the body will read it."), "comment")


@dataclass(frozen=True)
class RecommendationTransition:
    sources: frozenset[RecommendationState]
    roles: frozenset[Role]
    target: Callable[..., RecommendationState]
    payload: type[Payload]
    guard: Callable[..., None]
    refusal: Promise  # why not, in the wrong state


RECOMMENDATION_TRANSITIONS: Mapping[Action, RecommendationTransition] = {
    # The head of the body addressed reports how the recommendation was executed.
    Action.REPORT_EXECUTION: RecommendationTransition(
        frozenset({RecommendationState.ISSUED}), frozenset({Role.HEAD}),
        lambda **_: RecommendationState.REPORTED, ReportData, _guard_report,
        _("Execution has already been reported."),
    ),
    # The inspector accepts the report (executed) or sends it back (issued again).
    Action.CONFIRM_EXECUTION: RecommendationTransition(
        frozenset({RecommendationState.REPORTED}), frozenset({Role.INSPECTOR}),
        lambda *, accepted, **_: RecommendationState.EXECUTED if accepted else RecommendationState.ISSUED,
        ConfirmData, _guard_confirm, _("There is no report on execution to confirm."),
    ),
}

# Every action's payload type, in one place (SUBMIT is the only action without a row: it creates the complaint).
PAYLOADS: Mapping[str, type[Payload]] = {
    Action.SUBMIT: SubmitData,
    **{action: rule.payload for action, rule in TRANSITIONS.items()},
    **{action: rule.payload for action, rule in RECOMMENDATION_TRANSITIONS.items()},
}


def payload_type(action: str) -> type[Payload]:
    return PAYLOADS[action]


# ---------------------------------------------------------------------------------------------------------------
# Asking the table


def _as_roles(roles: Collection[str]) -> set[Role]:
    return {Role(r) for r in roles}


def allowed_actions(status: str, roles: Collection[str]) -> list[Action]:
    """The actions these roles may take in this state, as next steps in the UI (before the situation is asked)."""
    held = _as_roles(roles)
    return [
        action for action, rule in TRANSITIONS.items() if status in rule.sources and rule.roles & held and rule.offered
    ]


def require_allowed(complaint: ComplaintLike, action: Action, *, roles: Collection[str]) -> Transition:
    """The role and state part of `check`, without the situation or the input: for work that prepares an action
    (a draft answer)."""
    rule = TRANSITIONS[action]
    if not rule.roles & _as_roles(roles):
        raise NotAllowed(action)
    if complaint.status not in rule.sources:
        raise Refused(
            gettext("This cannot be done while the complaint is “%(state)s”.")
            % {"state": State(complaint.status).label},
            code="state",
        )
    return rule


def _precheck(complaint: ComplaintLike, action: Action, *, roles: Collection[str], situation: Situation) -> Transition:
    rule = require_allowed(complaint, action, roles=roles)
    if rule.precondition is not None:
        rule.precondition(complaint, situation)
    return rule


def check(
    complaint: ComplaintLike, action: Action, *, roles: Collection[str], situation: Situation, **given: Any
) -> State:
    """Raise NotAllowed or Refused, or return the status the complaint will have after the action. `given` is the
    action's input, exactly as its guard names it: a missing or misspelt name is a TypeError, never a check off."""
    rule = _precheck(complaint, action, roles=roles, situation=situation)
    if rule.guard is not None:
        rule.guard(complaint, situation, **given)
    elif given:
        raise TypeError(f"{action} takes no input, got {sorted(given)}")
    if rule.target is None:
        return State(complaint.status)
    if isinstance(rule.target, State):
        return rule.target
    return rule.target(complaint, situation)


def why_not(
    complaint: ComplaintLike, action: Action, *, roles: Collection[str], situation: Situation
) -> Refused | NotAllowed | None:
    """None if the action is open to these roles in this situation (its input still to be checked), else the
    refusal a page shows instead of the action."""
    try:
        _precheck(complaint, action, roles=roles, situation=situation)
    except (Refused, NotAllowed) as exc:
        return exc
    return None


def check_recommendation(status: str, action: Action, *, roles: Collection[str], **given: Any) -> RecommendationState:
    """The recommendation's table: raise NotAllowed or Refused, or return its status after the action."""
    rule = RECOMMENDATION_TRANSITIONS[action]
    if not rule.roles & _as_roles(roles):
        raise NotAllowed(action)
    if status not in rule.sources:
        raise Refused(str(rule.refusal), code="state")
    rule.guard(**given)
    return rule.target(**given)
