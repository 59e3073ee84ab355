"""The seam: every change of a complaint is one event, published by its id to the subscribers, which registered in their
AppConfig.ready(). The lifecycle never knows who reads its events.

Two ways to publish, by SHAGYM_EVENTS_OUTBOX:
- the outbox (production): the publication is a task row (`tasks.publish`) written in the same transaction as the
  event, so an action is one commit and a crash right after it loses nothing; a worker hands the event to every
  subscriber's `handle`;
- after commit (development and tests without a worker): the process that acted publishes right after commit; a
  subscriber's `hand_off(event_id)`, when it gives one, is called instead of `handle` to keep slow work off the request
  (it puts a task on the queue).
An exception in a subscriber is logged and reaches neither the person who acted nor the other subscribers.
`handle(event)` is idempotent by the subscriber's own unique key per event: the sweep calls `catch_up()`, which reads
for each subscriber the events after its cursor and hands them to `handle`, so whatever was lost (a failed
subscriber, an outage of the queue) is made good; running it twice does nothing."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Collection, Sized
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import ComplaintEvent, EventCursor

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Subscriber:
    name: str
    handle: Callable[[ComplaintEvent], Sized]  # returns what it made (nothing when it had been done)
    hand_off: Callable[[int], object] | None = None  # default: load the event and handle it at once
    actions: frozenset[str] | None = None  # None: every action


_subscribers: dict[str, Subscriber] = {}


def subscribe(
    name: str,
    *,
    handle: Callable[[ComplaintEvent], Sized],
    hand_off: Callable[[int], object] | None = None,
    actions: Collection[str] | None = None,
) -> None:
    """Register a reader of the events (from AppConfig.ready(); registering the same name again replaces it)."""
    _subscribers[name] = Subscriber(name, handle, hand_off, frozenset(actions) if actions is not None else None)


def subscribers() -> list[Subscriber]:
    return list(_subscribers.values())


def _wants(subscriber: Subscriber, action: str) -> bool:
    return subscriber.actions is None or action in subscriber.actions


def publish_on_commit(event: ComplaintEvent) -> None:
    """Publish the event once the transaction that wrote it commits (never if it rolls back): through the outbox, a
    task row in this same transaction, or right after commit in this process."""
    if settings.SHAGYM_EVENTS_OUTBOX:
        from . import tasks

        tasks.publish.enqueue(event_id=event.pk)
    else:
        transaction.on_commit(partial(publish, event.pk, event.action), robust=True)


def publish(event_id: int, action: str) -> None:
    """After commit, in the process that acted: quick hand-offs, and the handlers of the subscribers without one."""
    event: ComplaintEvent | None = None
    for subscriber in subscribers():
        if not _wants(subscriber, action):
            continue
        try:
            if subscriber.hand_off is not None:
                subscriber.hand_off(event_id)
            else:
                event = event or ComplaintEvent.objects.select_related("complaint").get(pk=event_id)
                subscriber.handle(event)
        except Exception:
            # The action has committed; the person who took it must not see an error for a reader's failure.
            logger.exception("Subscriber %s failed on event %s; the sweep's catch-up will retry it",
                             subscriber.name, event_id)


def handle_all(event: ComplaintEvent) -> int:
    """In the worker, from the outbox: every subscriber's handler in turn. Returns how many things they made."""
    made = 0
    for subscriber in subscribers():
        if not _wants(subscriber, event.action):
            continue
        try:
            made += len(subscriber.handle(event))
        except Exception:
            logger.exception("Subscriber %s failed on event %s; the sweep's catch-up will retry it",
                             subscriber.name, event.pk)
    return made


def _last_event_before(moment: dt.datetime) -> int:
    pk = ComplaintEvent.objects.filter(at__lt=moment).order_by("-pk").values_list("pk", flat=True).first()
    return pk or 0


def catch_up(*, now: dt.datetime | None = None, batch: int = 500, settle_seconds: int = 600) -> tuple[int, int]:
    """Hand every subscriber the events after its cursor. Returns (things made: messages, letters; failures).

    A cursor moves only past events older than `settle_seconds`: an event whose transaction commits late, with a
    lower id than one already read, is still read next time. A failing event stops its subscriber's cursor there."""
    at = now or timezone.now()
    settled_before = at - dt.timedelta(seconds=settle_seconds)
    made = failed = 0
    for subscriber in subscribers():
        # A new subscriber starts a day back: older history is not handed out again after an upgrade.
        cursor, _ = EventCursor.objects.get_or_create(
            name=subscriber.name, defaults={"position": _last_event_before(at - dt.timedelta(days=1))}
        )
        events = ComplaintEvent.objects.filter(pk__gt=cursor.position)
        if subscriber.actions is not None:
            events = events.filter(action__in=sorted(subscriber.actions))
        settled, blocked = cursor.position, False
        for event in events.select_related("complaint").order_by("pk")[:batch]:
            try:
                made += len(subscriber.handle(event))
            except Exception:
                failed += 1
                blocked = True
                logger.exception("Catch-up: %s failed on event %s; it stays after the cursor", subscriber.name, event.pk)
                continue
            if blocked or event.at > settled_before:
                blocked = True
            else:
                settled = event.pk
        if settled != cursor.position:
            # Only forward: two sweeps at once never move a cursor back.
            EventCursor.objects.filter(pk=cursor.pk, position__lt=settled).update(position=settled)
    return made, failed
