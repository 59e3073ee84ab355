"""The events' outbox, run by the worker (see events.py): one task per event, written with the event."""

from __future__ import annotations

from django_tasks import task

from . import events
from .models import ComplaintEvent


@task()
def publish(event_id: int) -> int:
    """Hand one committed event to every subscriber. Safe to run twice: each handler is idempotent."""
    event = ComplaintEvent.objects.select_related("complaint").filter(pk=event_id).first()
    if event is None:  # cannot happen (the task commits with its event); nothing to publish
        return 0
    return events.handle_all(event)
