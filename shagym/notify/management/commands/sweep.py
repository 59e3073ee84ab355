"""Run the deadline sweep once, now (or put it on the task queue with --enqueue)."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from shagym.notify import sweep, tasks


class Command(BaseCommand):
    help = (
        "Mark overdue complaints, send reminders, alerts and digests, catch up lost notices and requeue deliveries. "
        "Safe to run twice or beside a running worker: nothing is sent twice."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--enqueue", action="store_true", help="Put the sweep on the task queue instead of running it here."
        )

    def handle(self, *args: Any, enqueue: bool, **options: Any) -> None:
        if enqueue:
            result = tasks.sweep.enqueue()
            self.stdout.write(f"Sweep enqueued: {result.id}")
            return
        report = sweep.run()
        self.stdout.write("Sweep done: " + ", ".join(f"{k}={v}" for k, v in report.as_dict().items()))
