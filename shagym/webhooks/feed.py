"""The events feed: each event of a complaint, once committed, gets a position; a consumer reads the events after
the last position it saw, and never misses or repeats one.

Positions are drawn in publish order under one lock held until the commit (on PostgreSQL a transaction-level
advisory lock; on SQLite every write transaction is the single writer already), so a position is visible only once
every smaller one is: the order of positions is the order of commits. An event whose hand-off after commit was lost
(a crash) is appended by the sweep's catch-up, at a later position: a consumer still gets it, once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db import connection, transaction
from django.db.models import QuerySet

from shagym.complaints import access
from shagym.complaints.models import ComplaintEvent
from shagym.complaints.states import (
    Action,
    AssignData,
    ConfirmData,
    RecommendData,
    ReportData,
    ReviseData,
)

from .models import FeedEntry, WebhookDelivery

if TYPE_CHECKING:
    from shagym.accounts.models import User

# pg_advisory_xact_lock key of the feed ("SHGF").
FEED_LOCK = 0x53484746

# The steps the applicant never sees (as on the portal's timeline, shagym.portal.timeline): drafts, a returned
# draft, the body's report on a recommendation, a new talon.
INTERNAL_ACTIONS = frozenset(
    {Action.PROPOSE_DECISION, Action.RETURN_DRAFT, Action.REPORT_EXECUTION, Action.REISSUE_TALON}
)

# What the applicant is shown of each action's payload (the rest is internal: the executor, comments, notes).
APPLICANT_DATA: dict[str, tuple[str, ...]] = {
    Action.SUBMIT: ("late", "parent_id"),
    Action.FORWARD: ("to_body",),
    Action.REDIRECT: ("to_body", "reason"),
    Action.REQUEST_CONTENT: ("missing", "days"),
    Action.SUPPLY_CONTENT: ("text", "attachments"),
    Action.EXTEND: ("days", "ground", "reasons"),
    Action.RECORD_EXTENSION_NOTICE: ("channel",),
    Action.RECORD_HEARING: ("held_on",),
    Action.SIGN_DECISION: ("outcome",),
    Action.LEAVE_WITHOUT_CONSIDERATION: ("ground", "notice_due"),
    Action.WITHDRAW: ("reason",),
    Action.DELIVER_ANSWER: ("method", "delivered_on"),
    Action.SATISFY: ("text",),
    Action.MARK_OVERDUE: ("due_date",),
    Action.SECOND_TIER_FILED: ("child",),
    Action.RECOMMEND: ("body", "due"),
    Action.CONFIRM_EXECUTION: ("accepted",),
    Action.REVISE_DUE_DATE: ("proposed",),
}


def is_internal(event: ComplaintEvent) -> bool:
    if event.action in INTERNAL_ACTIONS:
        return True
    payload = event.payload
    if isinstance(payload, AssignData):
        return payload.previous is not None  # a change of executor; the first appointment is shown
    if isinstance(payload, ConfirmData):
        return not payload.accepted
    if isinstance(payload, ReviseData):
        return not payload.applied or event.old.due_date == event.new.due_date
    return False


def addressed_body(event: ComplaintEvent) -> int | None:
    """RULES §24: the body a recommendation is addressed to reads its steps."""
    payload = event.payload
    if isinstance(payload, RecommendData):
        return payload.body
    if isinstance(payload, ReportData | ConfirmData) and payload.recommendation:
        from shagym.complaints.models import Recommendation

        return Recommendation.objects.filter(pk=payload.recommendation).values_list("body_id", flat=True).first()
    return None


def _lock() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [FEED_LOCK])


def append(event: ComplaintEvent) -> list[FeedEntry | WebhookDelivery]:
    """The subscriber: give the event its feed position and its webhook deliveries, once. Returns what it made
    (nothing when the event is in the feed already)."""
    from . import services

    complaint_id = event.complaint_id
    applicant_user_id = event.complaint.applicant_user_id
    holders = {event.old.holder_id, event.new.holder_id}
    addressed = addressed_body(event)
    subscriptions = services.subscriptions_for({*holders, addressed} - {None}, event.action)
    with transaction.atomic():
        _lock()
        if FeedEntry.objects.filter(event_id=event.pk).exists():
            return []  # appended by another process while this one waited for the lock
        entry = FeedEntry.objects.create(
            event_id=event.pk,
            complaint_id=complaint_id,
            action=event.action,
            holder_before_id=event.old.holder_id,
            holder_after_id=event.new.holder_id,
            addressed_id=addressed,
            applicant_user_id=applicant_user_id,
            internal=is_internal(event),
        )
        deliveries = services.make_deliveries(entry, event, subscriptions)
    return [entry, *deliveries]


# ---------------------------------------------------------------------------------------------------------------
# Reading


def visible(user: User | None, *, as_applicant: bool) -> QuerySet[FeedEntry]:
    """The feed entries this caller may read (access.events_scope), in position order."""
    return FeedEntry.objects.filter(access.events_scope(user, as_applicant=as_applicant)).order_by("position")


def page(user: User | None, *, as_applicant: bool, after: int, limit: int) -> list[FeedEntry]:
    return list(visible(user, as_applicant=as_applicant).filter(position__gt=after).select_related("event")[:limit])


def _iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date | dt.datetime) else value


def document(
    entry: FeedEntry | None, event: ComplaintEvent | None = None, *, for_applicant: bool
) -> dict[str, Any]:
    """The event as the feed, the webhooks and an action's answer give it (`position` is null before the event is
    in the feed). The applicant gets the public part of the payload only, and not who acted."""
    if event is None:
        assert entry is not None
        event = entry.event
    data: dict[str, Any] = dict(event.data or {})
    if for_applicant:
        allowed = APPLICANT_DATA.get(event.action, ())
        data = {key: value for key, value in data.items() if key in allowed}
    old, new = event.old, event.new
    return {
        "position": entry.position if entry is not None else None,
        "id": event.pk,
        "type": f"complaint.{event.action}",
        "action": event.action,
        "at": _iso(event.at),
        "complaint": {"id": event.complaint_id, "number": new.number or old.number},
        "status_before": old.status or None,
        "status_after": new.status or None,
        "due_date": _iso(new.due_date),
        "role": None if for_applicant else (event.role or None),
        "actor": None if for_applicant or event.actor_id is None else event.actor_id,
        "data": {key: _iso(value) for key, value in data.items()},
    }


def documents(entries: Iterable[FeedEntry], *, for_applicant: bool) -> list[dict[str, Any]]:
    return [document(entry, for_applicant=for_applicant) for entry in entries]
