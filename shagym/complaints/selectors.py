"""Reads. Every staff read starts from access.complaints_for_staff, so it is scoped to the user's bodies."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from shagym.directory.calendar import current_calendar

from . import access, services
from .models import Complaint
from .states import OPEN_STATES

if TYPE_CHECKING:
    from shagym.accounts.models import User


def staff_complaints(user: User) -> QuerySet[Complaint]:
    return access.complaints_for_staff(user).select_related("holder", "reviewing_body", "service", "executor")


def open_complaints_by_due_date(user: User) -> QuerySet[Complaint]:
    return staff_complaints(user).filter(status__in=OPEN_STATES).order_by("due_date", "received_at")


def due_date_changes(user: User, *, limit: int = 500) -> list[services.DueDateChange]:
    """RULES §18: open complaints whose due date was computed with another calendar version, with the date the
    current calendar gives. Only for administrators; the others get an empty list."""
    if not access.is_administrator(user):
        return []
    version = current_calendar().version
    candidates = (
        Complaint.objects.filter(status__in=OPEN_STATES, due_date__isnull=False)
        .exclude(calendar_version=version)
        .select_related("holder")
        .order_by("due_date")[:limit]
    )
    changes = []
    for complaint in candidates:
        proposed, _ = services.recompute_due(complaint)
        assert complaint.due_date is not None and proposed is not None
        changes.append(services.DueDateChange(complaint=complaint, current=complaint.due_date, proposed=proposed))
    return changes
