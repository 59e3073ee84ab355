"""What the back office reads of the notifications (shagym.notify, issue 6): the staff member's messages, the
office's print queue, the letters as PDF, the administrator's outbox. Always scoped through the access door;
a letter outside the user's offices is "not found", the same as one that does not exist. Writes stay in
shagym.notify.services."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Exists, F, OuterRef, QuerySet
from django.http import Http404

from shagym.complaints import access
from shagym.complaints.selectors import LIST_DEFERRED
from shagym.notify import selectors as notify_selectors
from shagym.notify.models import Delivery, Medium, Message

if TYPE_CHECKING:
    from shagym.accounts.models import User
    from shagym.complaints.models import Complaint

# A list of messages needs the complaint's number, not its long texts.
_COMPLAINT_DEFERRED = [f"complaint__{name}" for name in LIST_DEFERRED]


def staff_messages(user: User) -> QuerySet[Message]:
    """The user's staff notices, newest first (assignments, reminders, overdue alerts, digests)."""
    return notify_selectors.messages_for_staff(user).defer(*_COMPLAINT_DEFERRED).order_by("-created_at", "-pk")


def print_queue(user: User) -> QuerySet[Delivery]:
    """The letters the user's offices must print and post: the nearest legal term first (RULES §9, §14, §21), then
    the letters without one, oldest first. Nulls are put last explicitly: SQLite and PostgreSQL disagree."""
    return (
        notify_selectors.print_queue(user)
        .defer("message__body", "message__sms_text", *[f"message__{name}" for name in _COMPLAINT_DEFERRED])
        .order_by(F("message__notice_due").asc(nulls_last=True), "created_at", "pk")
    )


def staff_letter(user: User, pk: int) -> Delivery:
    """A paper letter printed by one of the user's offices (in any role), whatever its status; otherwise 404."""
    delivery = (
        Delivery.objects.filter(pk=pk, medium=Medium.PAPER, organisation_id__in=access.organisation_ids(user))
        .select_related("message", "message__complaint")
        .first()
    )
    if delivery is None:
        raise Http404
    return delivery


def readable_complaint_ids(user: User, complaint_ids: set[int]) -> set[int]:
    """Which of these complaints the user may open: a notice may outlive the complaint's stay at the user's body."""
    if not complaint_ids:
        return set()
    return set(access.complaints_for_staff(user).filter(pk__in=complaint_ids).values_list("pk", flat=True))


def outbox(*, status: str = "", medium: str = "") -> QuerySet[Message]:
    """Every message with its delivery log, newest first (administrators only: the view checks). With a status
    or a channel, the messages that have a delivery matching both."""
    messages = Message.objects.select_related("complaint").defer(*_COMPLAINT_DEFERRED)
    if status or medium:
        deliveries = Delivery.objects.filter(message=OuterRef("pk"))
        if status:
            deliveries = deliveries.filter(status=status)
        if medium:
            deliveries = deliveries.filter(medium=medium)
        messages = messages.filter(Exists(deliveries))
    return messages.prefetch_related("deliveries").order_by("-created_at", "-pk")


@dataclass(frozen=True)
class DeliveryProblem:
    failed: Delivery
    fallbacks: list[Delivery]  # the channels tried instead of this one (issue 6, item 4)
    others: list[Delivery]  # the notice's other channels, e.g. the cabinet that carries it all the same


def delivery_problems(complaint: Complaint) -> list[DeliveryProblem]:
    """Issue 6, item 4: the failed channels of a complaint, each with the fallback tried instead and the notice's
    other channels, so staff see at once whether the addressee was told. The caller has checked that the user may
    read the complaint. Two queries however many notices."""
    failed = notify_selectors.delivery_problems(complaint).prefetch_related("message__deliveries").order_by(
        "created_at", "pk"
    )
    problems = []
    for delivery in failed:
        siblings = [other for other in delivery.message.deliveries.all() if other.pk != delivery.pk]
        problems.append(
            DeliveryProblem(
                failed=delivery,
                fallbacks=[other for other in siblings if other.fallback_from_id == delivery.pk],
                others=[other for other in siblings if other.fallback_from_id != delivery.pk],
            )
        )
    return problems
