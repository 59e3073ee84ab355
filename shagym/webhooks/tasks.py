"""Webhook work on the task queue (Django's Tasks API; the `worker` command runs it with the rest)."""

from __future__ import annotations

from django_tasks import task

from . import services


@task()
def deliver(delivery_id: int) -> str:
    """Send one webhook delivery, or schedule its retry."""
    return services.deliver(delivery_id)


@task()
def sweep() -> int:
    """Retries due and stale claims back on the queue (`manage.py webhooks_sweep` enqueues or runs it)."""
    return services.sweep()
