"""Put webhook retries that are due, and claims of a worker that died, back on the queue (run from cron)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from shagym.webhooks import services


class Command(BaseCommand):
    help = "Requeue due webhook retries and stale claims; tell organisations of disabled subscriptions."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"Requeued {services.sweep()} webhook deliveries.")
