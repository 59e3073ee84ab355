"""Calendar changes (RULES §18): a legal deadline never moves silently. After the administrator changes the
calendar, each open complaint whose due date would move is revised by an administrator's choice, with an event."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import transaction

from ..models import Complaint, ComplaintEvent
from ..states import Action, ReviseData
from .common import check, due, lock, now_or

if TYPE_CHECKING:
    from shagym.accounts.models import User


@dataclass(frozen=True)
class DueDateChange:
    complaint: Complaint
    current: dt.date
    proposed: dt.date

    @property
    def moves(self) -> bool:
        return self.current != self.proposed


def recompute_due(complaint: Complaint) -> tuple[dt.date | None, str]:
    """The due date the calendar in force gives this complaint, and that calendar's version."""
    if complaint.registered_on is None or complaint.due_date is None:
        return None, ""
    return due(complaint.registered_on, complaint.term_days, complaint.extension_days)


@transaction.atomic
def revise_due_date(
    *, actor: User, complaint: Complaint, apply: bool, reason: str, now: dt.datetime | None = None
) -> ComplaintEvent:
    """The administrator applies the date under the new calendar, or keeps the old one; an event either way."""
    at = now_or(now)
    lock(complaint)
    checked = check(complaint, Action.REVISE_DUE_DATE, actor=actor, at=at, reason=reason)
    proposed, version = recompute_due(complaint)
    changes: dict[str, Any] = {"calendar_version": version}
    if apply and proposed is not None:
        changes["due_date"] = proposed
    return checked.apply(changes=changes, payload=ReviseData(applied=apply, reason=reason.strip(), proposed=proposed))
