"""Background work through Django's Tasks API (database backend by default; immediate in tests).

Every task is safe to run twice or at the same time as itself: the services it calls claim their work."""

from __future__ import annotations

from django_tasks import task

from shagym.complaints.models import ComplaintEvent

from . import services
from . import sweep as sweeping


@task()
def announce(event_id: int) -> int:
    """Write the messages for one lifecycle event, handed over after its commit."""
    event = ComplaintEvent.objects.select_related("complaint").get(pk=event_id)
    return len(services.announce_event(event))


@task()
def deliver(delivery_id: int) -> str:
    """Send one delivery, or schedule its retry, or fall back to the next channel."""
    return services.deliver(delivery_id)


@task()
def sweep() -> dict[str, int]:
    """The periodic sweep; the `worker` command enqueues it every SHAGYM_SWEEP_INTERVAL seconds."""
    return sweeping.run().as_dict()
