"""What the applicant is told of a complaint, wherever it is shown (the cabinet, the status page, the receipt, the
API): the status in the words of the seeds (RULES §26), the deadline explained, and the term to go to court."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone
from django.utils.translation import pgettext_lazy

from shagym import workdays
from shagym.directory.calendar import ExplainedDay, current_calendar, explain_days

from .models import Complaint
from .states import State

# The status in the applicant's words, and its tone for the tag (ok / warn / bad / plain).
STATUS = {
    State.RECEIVED: (pgettext_lazy("applicant status", "delivered"), ""),
    State.FORWARDING: (pgettext_lazy("applicant status", "registered, being sent to the reviewing body"), ""),
    State.REGISTERED: (pgettext_lazy("applicant status", "registered"), ""),
    State.AWAITING_CONTENT: (pgettext_lazy("applicant status", "registered: information requested from you"), "warn"),
    State.UNDER_REVIEW: (pgettext_lazy("applicant status", "in execution"), ""),
    State.EXTENDED: (pgettext_lazy("applicant status", "in execution, term extended"), "warn"),
    State.AWAITING_SIGNATURE: (pgettext_lazy("applicant status", "in execution"), ""),
    State.DECIDED: (pgettext_lazy("applicant status", "result of review: decision taken"), "ok"),
    State.ANSWER_DELIVERED: (pgettext_lazy("applicant status", "result of review: answer delivered"), "ok"),
    State.CLOSED: (pgettext_lazy("applicant status", "result of review: answer delivered"), "ok"),
    State.SATISFIED_BY_RESPONDENT: (pgettext_lazy("applicant status", "result of review: satisfied by the body"), "ok"),
    State.RETURNED: (pgettext_lazy("applicant status", "returned: information not supplied"), "bad"),
    State.LEFT_WITHOUT_CONSIDERATION: (pgettext_lazy("applicant status", "refusal to review (left without consideration)"), "bad"),
    State.WITHDRAWN: (pgettext_lazy("applicant status", "withdrawn by you"), ""),
}


def status_label(complaint: Complaint) -> str:
    return str(STATUS[State(complaint.status)][0])


def status_tone(complaint: Complaint) -> str:
    if complaint.overdue_since and complaint.is_open:
        return "bad"
    return STATUS[State(complaint.status)][1]


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
