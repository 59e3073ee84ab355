"""Reads. The UI's selectors take the user and return only what that user may see; the sweep's finders use indexed
filters (status, due_date, pk) and never walk every complaint."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet

from shagym.complaints import access
from shagym.complaints.models import Complaint
from shagym.complaints.states import OPEN_STATES, State
from shagym.directory.models import Membership
from shagym.directory.roles import Role

from .models import Audience, Delivery, DeliveryStatus, Medium, Message

if TYPE_CHECKING:
    from shagym.accounts.models import User


# ---- For the portal and the back office -------------------------------------------------------------------------


def messages_for_applicant(user: User | None) -> QuerySet[Message]:
    """The applicant's personal cabinet: every notice sent to this account, newest first."""
    if user is None or not user.is_authenticated:
        return Message.objects.none()
    return Message.objects.filter(recipient=user, audience=Audience.APPLICANT).select_related("complaint")


def messages_for_staff(user: User | None) -> QuerySet[Message]:
    """A staff member's inbox: assignments, reminders, alerts and digests."""
    if user is None or not user.is_authenticated:
        return Message.objects.none()
    return Message.objects.filter(recipient=user, audience=Audience.STAFF).select_related("complaint")


def messages_for_complaint(complaint: Complaint, *, audience: str | None = None) -> QuerySet[Message]:
    """The notices of one complaint with their delivery log, oldest first. The caller has already checked that the
    user may read the complaint (access.get_complaint_for_user); pass audience="applicant" on applicant pages."""
    messages = Message.objects.filter(complaint=complaint).prefetch_related("deliveries")
    if audience is not None:
        messages = messages.filter(audience=audience)
    return messages.order_by("created_at", "pk")


def delivery_problems(complaint: Complaint) -> QuerySet[Delivery]:
    """Issue 6, item 4: the channels that failed for this complaint, to flag on its page for staff."""
    return Delivery.objects.filter(message__complaint=complaint, status=DeliveryStatus.FAILED).select_related(
        "message"
    )


def print_queue(user: User | None) -> QuerySet[Delivery]:
    """The letters the user's offices must print and post (clerks and heads)."""
    offices = access.organisation_ids(user, Role.CLERK, Role.HEAD)
    return (
        Delivery.objects.filter(
            medium=Medium.PAPER, status=DeliveryStatus.AWAITING_PRINT, organisation_id__in=offices
        )
        .select_related("message", "message__complaint")
        .order_by("message__notice_due", "created_at")
    )


def unread_count(user: User | None) -> int:
    if user is None or not user.is_authenticated:
        return 0
    return Message.objects.filter(recipient=user, read_at__isnull=True).count()


# ---- For the services and the sweep -----------------------------------------------------------------------------


def overdue_candidates(today: dt.date, *, limit: int) -> list[Complaint]:
    """RULES §15: open, past the due date, not yet marked. The status and due_date indexes serve it."""
    return list(
        Complaint.objects.filter(
            status__in=OPEN_STATES - {State.RECEIVED}, due_date__lt=today, overdue_since__isnull=True
        ).order_by("due_date", "pk")[:limit]
    )


def due_between(first: dt.date, last: dt.date, *, limit: int) -> list[Complaint]:
    """Open complaints whose review term ends between the two days (both included)."""
    return list(
        Complaint.objects.filter(
            status__in=OPEN_STATES, due_date__gte=first, due_date__lte=last, overdue_since__isnull=True
        )
        .select_related("holder", "reviewing_body", "respondent", "executor")
        .order_by("due_date", "pk")[:limit]
    )


def extension_notices_due(last: dt.date, *, limit: int) -> list[Complaint]:
    """RULES §14: extended complaints whose notice to the applicant is not recorded, due on or before `last`."""
    return list(
        Complaint.objects.filter(
            status__in=OPEN_STATES,
            extension_notice_due__isnull=False,
            extension_notice_due__lte=last,
            extension_notice_sent_at__isnull=True,
        )
        .select_related("holder", "reviewing_body", "respondent", "executor")
        .order_by("extension_notice_due", "pk")[:limit]
    )


def forwarding_due(last: dt.date, *, limit: int) -> list[Complaint]:
    """RULES §8: complaints waiting at the appealed body to be forwarded, due on or before `last`."""
    return list(
        Complaint.objects.filter(status=State.FORWARDING, forward_due__isnull=False, forward_due__lte=last)
        .select_related("holder", "reviewing_body", "respondent", "executor")
        .order_by("forward_due", "pk")[:limit]
    )


def deliveries_to_retry(now: dt.datetime, *, limit: int) -> list[int]:
    return list(
        Delivery.objects.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )


def stale_claims(before: dt.datetime, *, limit: int) -> list[int]:
    """Deliveries claimed by a worker before `before` and never finished: the worker died while sending."""
    return list(
        Delivery.objects.filter(status=DeliveryStatus.SENDING, claimed_at__lt=before)
        .order_by("claimed_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )


def staff_of(organisation_id: int, *roles: str) -> list[User]:
    """Active members of a body in any of these roles, each once."""
    from shagym.accounts.models import User

    return list(
        User.objects.filter(
            is_active=True, memberships__organisation_id=organisation_id, memberships__role__in=roles
        )
        .distinct()
        .order_by("pk")
    )


def heads_by_user() -> dict[int, set[int]]:
    """For the daily digest: each active head and the bodies he heads."""
    rows = Membership.objects.filter(
        role=Role.HEAD, organisation__is_active=True, user__is_active=True
    ).values_list("user_id", "organisation_id")
    heads: dict[int, set[int]] = {}
    for user_id, organisation_id in rows:
        heads.setdefault(user_id, set()).add(organisation_id)
    return heads


def digest_figures(organisation_ids: set[int], today: dt.date, next_day: dt.date) -> dict[str, tuple[int, list[str]]]:
    """The head's daily summary: counts per heading, and the numbers of the complaints whose term is at stake."""
    held = Complaint.objects.filter(holder_id__in=organisation_ids, status__in=OPEN_STATES)
    headings = {
        "overdue": Q(due_date__lt=today),
        "due_today": Q(due_date=today),
        "due_next": Q(due_date=next_day),
        "unassigned": Q(status=State.REGISTERED, executor__isnull=True),
        "awaiting_signature": Q(status=State.AWAITING_SIGNATURE),
        "extension_notices": Q(extension_notice_due__isnull=False, extension_notice_sent_at__isnull=True),
        "forwarding": Q(status=State.FORWARDING),
    }
    counts = held.aggregate(**{name: Count("pk", filter=condition) for name, condition in headings.items()})
    numbers: dict[str, list[str]] = {"overdue": [], "due_today": [], "due_next": []}
    for number, due in held.filter(due_date__lte=next_day).order_by("due_date", "pk").values_list(
        "number", "due_date"
    )[:60]:
        if due is None:
            continue
        heading = "overdue" if due < today else "due_today" if due == today else "due_next"
        numbers[heading].append(number or "—")
    figures = {name: (counts[name] or 0, numbers.get(name, [])[:20]) for name in headings}
    letters = Delivery.objects.filter(
        medium=Medium.PAPER, status=DeliveryStatus.AWAITING_PRINT, organisation_id__in=organisation_ids
    ).count()
    figures["letters"] = (letters, [])
    return figures
