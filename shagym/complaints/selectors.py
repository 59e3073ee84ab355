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


# ---- Applicant reads (the citizen portal, shagym.portal) ----


def applicant_complaints(user: User) -> QuerySet[Complaint]:
    """The applicant's own complaints, newest first, with what the cabinet list shows."""
    return access.complaints_for_applicant(user).select_related("reviewing_body", "holder").order_by("-received_at")


def applicant_complaint(user: User, pk: int) -> Complaint:
    """One of the applicant's own complaints; 404 for any other (the same as a missing one)."""
    from django.http import Http404

    complaint = (
        access.complaints_for_applicant(user)
        .select_related("reviewing_body", "holder", "respondent", "service", "received_by", "parent")
        .filter(pk=pk)
        .first()
    )
    if complaint is None:
        raise Http404
    return complaint


def complaint_by_number(number: str) -> Complaint | None:
    """For the status check by number and access code (shagym.portal.codes); the caller checks the code."""
    if not number:
        return None
    return Complaint.objects.select_related("reviewing_body", "holder").filter(number=number).first()


def public_timeline(complaint: Complaint) -> QuerySet:
    """The complaint's events in order, for the applicant's timeline (shagym.portal.timeline filters them)."""
    return complaint.events.order_by("at", "pk")
