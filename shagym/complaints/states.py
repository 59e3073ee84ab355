"""The complaint lifecycle: states, actions, who may do what, and the guards. One table, no database writes.

Services (services.py) call `check()` before they change anything; nothing else decides a status.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from django.db import models
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    RECEIVED = "received", _("received")  # delivered, awaiting registration by the office
    FORWARDING = "forwarding", _("registered at the appealed body, to be forwarded")  # RULES §8
    REGISTERED = "registered", _("registered")
    AWAITING_CONTENT = "awaiting_content", _("missing content requested")  # RULES §4
    UNDER_REVIEW = "under_review", _("under review")
    EXTENDED = "extended", _("under review, term extended")  # RULES §14
    AWAITING_SIGNATURE = "awaiting_signature", _("answer awaiting signature")
    DECIDED = "decided", pgettext_lazy("complaint state", "decided")
    ANSWER_DELIVERED = "answer_delivered", _("answer delivered")
    SATISFIED_BY_RESPONDENT = "satisfied", _("satisfied in full by the appealed body")  # RULES §8
    RETURNED = "returned", _("returned")  # RULES §4
    LEFT_WITHOUT_CONSIDERATION = "left", _("left without consideration")  # RULES §21
    WITHDRAWN = "withdrawn", _("withdrawn")  # RULES §22
    CLOSED = "closed", _("closed")


class Action(models.TextChoices):
    SUBMIT = "submit", _("filed")
    REGISTER = "register", _("registered")
    FORWARD = "forward", _("forwarded to the reviewing body")
    SATISFY = "satisfy", _("satisfied in full by the appealed body")
    REDIRECT = "redirect", _("redirected to the competent body")
    REQUEST_CONTENT = "request_content", _("missing content requested")
    SUPPLY_CONTENT = "supply_content", _("missing content supplied")
    RETURN = "return", _("returned for missing content")
    ASSIGN = "assign", _("executor appointed")
    EXTEND = "extend", _("term extended")
    RECORD_EXTENSION_NOTICE = "extension_notice", _("extension notice sent")
    RECORD_HEARING = "hearing", _("hearing held")
    PROPOSE_DECISION = "propose_decision", _("answer drafted")
    RETURN_DRAFT = "return_draft", _("draft returned to the executor")
    SIGN_DECISION = "sign_decision", _("decision signed")
    LEAVE_WITHOUT_CONSIDERATION = "leave", _("left without consideration")
    WITHDRAW = "withdraw", _("withdrawn by the applicant")
    DELIVER_ANSWER = "deliver_answer", _("answer delivered")
    CLOSE = "close", _("closed")
    MARK_OVERDUE = "mark_overdue", _("term passed without a decision")
    SECOND_TIER_FILED = "second_tier_filed", _("complaint filed with the quality authority")
    RECOMMEND = "recommend", _("recommendation issued")
    REPORT_EXECUTION = "report_execution", _("execution of the recommendation reported")
    CONFIRM_EXECUTION = "confirm_execution", _("execution of the recommendation confirmed")
    REVISE_DUE_DATE = "revise_due_date", _("due date revised after a calendar change")


class Role(models.TextChoices):
    APPLICANT = "applicant", _("applicant")
    CLERK = "clerk", _("clerk (office)")
    HEAD = "head", pgettext_lazy("role", "head")
    EXECUTOR = "executor", _("executor")
    INSPECTOR = "inspector", _("inspector")
    ADMINISTRATOR = "administrator", _("administrator")
    SYSTEM = "system", _("system")


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

STAFF = frozenset({Role.CLERK, Role.HEAD})
DECIDERS = frozenset({Role.EXECUTOR, Role.HEAD, Role.INSPECTOR})


@dataclass(frozen=True)
class Transition:
    sources: frozenset[State]
    roles: frozenset[Role]
    target: State | None  # None: the status stays as it is


def _t(sources: Collection[State], roles: Collection[Role], target: State | None) -> Transition:
    return Transition(frozenset(sources), frozenset(roles), target)


# The whole lifecycle. RULES § references per row.
TRANSITIONS: Mapping[Action, Transition] = {
    # §1, §5, §6: received on any channel, then registered on the day of receipt.
    # A complaint received by a body other than the one addressed opens the forwarding window (§8).
    Action.REGISTER: _t({State.RECEIVED}, STAFF, None),
    # §8: the appealed body forwards within 3 working days, or satisfies the demands in full.
    Action.FORWARD: _t({State.FORWARDING}, STAFF, State.RECEIVED),
    Action.SATISFY: _t({State.FORWARDING}, {Role.HEAD}, State.SATISFIED_BY_RESPONDENT),
    # §9: outside competence, redirected to the competent body, applicant told.
    Action.REDIRECT: _t({State.RECEIVED, State.REGISTERED}, STAFF, State.RECEIVED),
    # §4: missing content named, a term to fix it; returned if not fixed.
    Action.REQUEST_CONTENT: _t(
        {State.REGISTERED, State.UNDER_REVIEW, State.EXTENDED}, STAFF | {Role.EXECUTOR}, State.AWAITING_CONTENT
    ),
    Action.SUPPLY_CONTENT: _t({State.AWAITING_CONTENT}, {Role.APPLICANT, Role.CLERK}, None),
    Action.RETURN: _t({State.AWAITING_CONTENT}, STAFF, State.RETURNED),
    # §10: the head appoints the executor (or changes him).
    Action.ASSIGN: _t({State.REGISTERED, State.UNDER_REVIEW, State.EXTENDED}, {Role.HEAD}, None),
    # §14: one extension, at most 10 working days, by the body kinds allowed.
    Action.EXTEND: _t({State.UNDER_REVIEW}, {Role.EXECUTOR, Role.HEAD, Role.INSPECTOR}, State.EXTENDED),
    Action.RECORD_EXTENSION_NOTICE: _t({State.EXTENDED}, STAFF | {Role.EXECUTOR, Role.SYSTEM}, None),
    Action.RECORD_HEARING: _t(REVIEW_STATES, DECIDERS, None),
    # §20, §23: the executor drafts the reasoned answer; the head signs it.
    Action.PROPOSE_DECISION: _t(REVIEW_STATES, DECIDERS, State.AWAITING_SIGNATURE),
    Action.RETURN_DRAFT: _t({State.AWAITING_SIGNATURE}, {Role.HEAD}, None),
    Action.SIGN_DECISION: _t({State.AWAITING_SIGNATURE}, {Role.HEAD}, State.DECIDED),
    # §21: only on the grounds of АППК 95.
    Action.LEAVE_WITHOUT_CONSIDERATION: _t(
        {State.REGISTERED, State.UNDER_REVIEW, State.EXTENDED, State.AWAITING_SIGNATURE},
        {Role.HEAD},
        State.LEFT_WITHOUT_CONSIDERATION,
    ),
    # §22: by written request, before the decision; a clerk records a paper request.
    Action.WITHDRAW: _t(OPEN_STATES, {Role.APPLICANT, Role.CLERK}, State.WITHDRAWN),
    # §23: by post, at the office, or electronically.
    Action.DELIVER_ANSWER: _t({State.DECIDED}, STAFF | {Role.EXECUTOR, Role.SYSTEM}, State.ANSWER_DELIVERED),
    Action.CLOSE: _t({State.ANSWER_DELIVERED}, STAFF | {Role.SYSTEM}, State.CLOSED),
    # §15: silence counts as refusal; the flag is set once, the status stays.
    Action.MARK_OVERDUE: _t(OPEN_STATES - {State.RECEIVED}, {Role.SYSTEM}, None),
    # §24: the second tier, and the quality authority's recommendation and control.
    Action.SECOND_TIER_FILED: _t(
        ANSWERED_STATES | OPEN_STATES | {State.LEFT_WITHOUT_CONSIDERATION}, {Role.APPLICANT}, None
    ),
    Action.RECOMMEND: _t(REVIEW_STATES | {State.AWAITING_SIGNATURE, State.DECIDED}, {Role.INSPECTOR}, None),
    Action.REPORT_EXECUTION: _t(frozenset(State), {Role.HEAD}, None),
    Action.CONFIRM_EXECUTION: _t(frozenset(State), {Role.INSPECTOR}, None),
    # §18: a legal deadline never moves silently.
    Action.REVISE_DUE_DATE: _t(OPEN_STATES, {Role.ADMINISTRATOR}, None),
}


class Refused(Exception):
    """The action is not possible: wrong state (`code="state"`) or bad input (`code="invalid"`).
    The message is translated and says what to do."""

    def __init__(self, message: str, *, code: str = "invalid", field: str | None = None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.field = field


class NotAllowed(Exception):
    """The actor has no role that may take this action on this complaint."""


class ComplaintLike(Protocol):
    status: str
    extension_days: int


def allowed_actions(status: str, roles: Collection[str]) -> list[Action]:
    """The actions these roles may take in this state (to show the next steps in the UI)."""
    return [
        action
        for action, rule in TRANSITIONS.items()
        if status in rule.sources and rule.roles & {Role(r) for r in roles} and action not in _HIDDEN
    ]


# Not offered as a next step on a complaint's page: done by the system, from another page, or about a recommendation.
_HIDDEN = frozenset(
    {
        Action.MARK_OVERDUE,
        Action.REVISE_DUE_DATE,
        Action.SECOND_TIER_FILED,
        Action.REPORT_EXECUTION,
        Action.CONFIRM_EXECUTION,
    }
)


def require_allowed(complaint: ComplaintLike, action: Action, *, roles: Collection[str]) -> Transition:
    """The role and state part of `check`, without the guard: for work that prepares an action (a draft)."""
    rule = TRANSITIONS[action]
    if not rule.roles & {Role(r) for r in roles}:
        raise NotAllowed(action)
    if complaint.status not in rule.sources:
        raise Refused(
            gettext("This cannot be done while the complaint is “%(state)s”.")
            % {"state": State(complaint.status).label},
            code="state",
        )
    return rule


def check(complaint: ComplaintLike, action: Action, *, roles: Collection[str], **context: Any) -> State:
    """Raise NotAllowed or Refused, or return the status the complaint will have after the action."""
    rule = require_allowed(complaint, action, roles=roles)
    guard = GUARDS.get(action)
    if guard is not None:
        guard(complaint, **context)
    if rule.target is not None:
        return rule.target
    if action == Action.REGISTER:
        return State.FORWARDING if context.get("forwarding") else State.REGISTERED
    if action == Action.SUPPLY_CONTENT:
        return resume_state(complaint, **context)
    if action == Action.ASSIGN and complaint.status == State.REGISTERED:
        return State.UNDER_REVIEW
    if action == Action.RETURN_DRAFT:
        return State.EXTENDED if complaint.extension_days else State.UNDER_REVIEW
    return State(complaint.status)


def resume_state(complaint: ComplaintLike, *, has_executor: bool = False, **_: Any) -> State:
    """Where a complaint goes back to once the missing content is supplied."""
    if not has_executor:
        return State.REGISTERED
    return State.EXTENDED if complaint.extension_days else State.UNDER_REVIEW


# ---- Guards: each raises Refused with a translated message that says how to fix the input. ----


def _require(value: str | None, message: str, field: str) -> None:
    if not (value or "").strip():
        raise Refused(message, field=field)


def _guard_extend(
    complaint: ComplaintLike,
    *,
    body_kind: str,
    allowed_kinds: Collection[str],
    days: int,
    max_days: int,
    ground: str,
    reasons: str,
    **_: Any,
) -> None:
    # RULES §14, Law Art. 25(4): only the listed body kinds, once, at most 10 working days, with a ground and reasons.
    if body_kind not in allowed_kinds:
        raise Refused(
            gettext("The law does not allow this body to extend the review term (Law on public services, Art. 25(4))."),
            code="state",
        )
    if complaint.extension_days:
        raise Refused(gettext("The term has already been extended once."), code="state")
    if not 1 <= days <= max_days:
        raise Refused(
            gettext("An extension is from 1 to %(max)d working days.") % {"max": max_days}, field="days"
        )
    if ground not in ExtensionGround.values:
        raise Refused(gettext("Choose the ground for the extension."), field="ground")
    _require(reasons, gettext("Write the reasons for the extension: the applicant will be told them."), "reasons")


def _guard_propose(
    complaint: ComplaintLike, *, outcome: str, reasons: str, facts: str = "", **_: Any
) -> None:
    if outcome not in Outcome.values:
        raise Refused(gettext("Choose the outcome of the review."), field="outcome")
    if outcome == Outcome.REFUSE:
        # RULES §20 (АППК 100(4)): a refusal must be reasoned.
        _require(reasons, gettext("A refusal must give its reasons (АППК Art. 100(4))."), "reasons")
    # RULES §23 (АППК 101): every answer gives the reasons with references to the law.
    _require(reasons, gettext("Write the reasons for the decision, with references to the law."), "reasons")


def _guard_leave(complaint: ComplaintLike, *, ground: str, **_: Any) -> None:
    if ground not in WithoutConsiderationGround.values:
        raise Refused(
            gettext("Choose one of the grounds of АППК Art. 95 for leaving the complaint without consideration."),
            field="ground",
        )


def _guard_request_content(complaint: ComplaintLike, *, missing: str, **_: Any) -> None:
    _require(missing, gettext("List what is missing from the complaint, so the applicant can supply it."), "missing")


def _guard_supply(complaint: ComplaintLike, *, text: str, **_: Any) -> None:
    _require(text, gettext("Write the missing information or attach it."), "text")


def _guard_return(complaint: ComplaintLike, *, today: dt.date, content_due: dt.date | None, **_: Any) -> None:
    # RULES §4 (АППК 64(6)): returned only once the term given to fix the content has passed.
    if content_due is not None and today <= content_due:
        raise Refused(
            gettext("The applicant has until %(date)s to supply the missing content.")
            % {"date": content_due.strftime("%d.%m.%Y")},
            code="state",
        )


def _guard_redirect(complaint: ComplaintLike, *, target_id: int | None, holder_id: int, **_: Any) -> None:
    if target_id is None:
        raise Refused(gettext("Choose the competent body."), field="target")
    if target_id == holder_id:
        raise Refused(gettext("Choose a body other than your own."), field="target")


def _guard_assign(complaint: ComplaintLike, *, executor_ok: bool, executor_is_appealed: bool, **_: Any) -> None:
    if not executor_ok:
        raise Refused(gettext("Choose an executor of your body."), field="executor")
    if executor_is_appealed:
        # RULES §10 (АППК 97(2)): the official whose act is appealed may not review the complaint.
        raise Refused(
            gettext("This official's own act is appealed: appoint another executor (АППК Art. 97(2))."),
            field="executor",
        )


def _guard_deliver(complaint: ComplaintLike, *, method: str, **_: Any) -> None:
    if method not in DeliveryMethod.values:
        raise Refused(gettext("Choose how the answer was delivered."), field="method")


def _guard_satisfy(complaint: ComplaintLike, *, text: str, **_: Any) -> None:
    _require(text, gettext("Describe the decision or action that satisfies the demands in full."), "text")


def _guard_hearing(complaint: ComplaintLike, *, notes: str, **_: Any) -> None:
    _require(notes, gettext("Write down what was heard."), "notes")


def _guard_recommend(complaint: ComplaintLike, *, text: str, **_: Any) -> None:
    _require(text, gettext("Write the recommendation: which rights to restore and how."), "text")


def _guard_return_draft(complaint: ComplaintLike, *, comment: str, **_: Any) -> None:
    _require(comment, gettext("Tell the executor what to change."), "comment")


GUARDS: Mapping[Action, Callable[..., None]] = {
    Action.EXTEND: _guard_extend,
    Action.PROPOSE_DECISION: _guard_propose,
    Action.LEAVE_WITHOUT_CONSIDERATION: _guard_leave,
    Action.REQUEST_CONTENT: _guard_request_content,
    Action.SUPPLY_CONTENT: _guard_supply,
    Action.RETURN: _guard_return,
    Action.REDIRECT: _guard_redirect,
    Action.ASSIGN: _guard_assign,
    Action.DELIVER_ANSWER: _guard_deliver,
    Action.SATISFY: _guard_satisfy,
    Action.RECORD_HEARING: _guard_hearing,
    Action.RECOMMEND: _guard_recommend,
    Action.RETURN_DRAFT: _guard_return_draft,
}
