"""Background work through Django's Tasks API (database backend by default; immediate in tests).

Every task is safe to run twice or at the same time as itself: the services it calls claim their work."""

from __future__ import annotations

from typing import Any

from django_tasks import task

from . import services
from . import sweep as sweeping


@task()
def announce(kind: str, complaint_id: int, extra: dict[str, Any]) -> int:
    """Write the messages for a lifecycle event the complaints services handed over."""
    return len(services.announce(kind=kind, complaint_id=complaint_id, extra=extra))


@task()
def deliver(delivery_id: int) -> str:
    """Send one delivery, or schedule its retry, or fall back to the next channel."""
    return services.deliver(delivery_id)


@task()
def sweep() -> dict[str, int]:
    """The periodic sweep; the `worker` command enqueues it every SHAGYM_SWEEP_INTERVAL seconds."""
    return sweeping.run().as_dict()
