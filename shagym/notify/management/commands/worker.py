"""Run the background worker: deliver the messages and run the deadline sweep (issue 6)."""

from __future__ import annotations

import dataclasses
import logging
import signal
from argparse import ArgumentParser, BooleanOptionalAction
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import autoreload

from shagym.notify.runner import Runner
from shagym.notify.sweep import SweepReport


class Command(BaseCommand):
    help = (
        "Run the task worker and the periodic sweep in one process: messages are delivered, terms watched. "
        "--once runs one sweep and every ready task, then exits (tests, CI, cron)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--once", action="store_true", help="One sweep and every ready task, then exit.")
        parser.add_argument(
            "--sweep-every",
            type=int,
            default=settings.SHAGYM_SWEEP_INTERVAL,
            help="Seconds between sweeps (default: SHAGYM_SWEEP_INTERVAL, %(default)s).",
        )
        parser.add_argument("--poll", type=float, default=1.0, help="Seconds between looks at the queue.")
        parser.add_argument(
            "--reload",
            action=BooleanOptionalAction,
            default=settings.DEBUG,
            help="Restart on code changes (default: on with SHAGYM_DEBUG).",
        )

    def handle(self, *args: Any, once: bool, sweep_every: int, poll: float, reload: bool, **options: Any) -> None:
        if options["verbosity"] < 2:
            # The database worker logs every drain of the queue; keep its warnings and errors only.
            logging.getLogger("django_tasks_db").setLevel(logging.WARNING)
        runner = Runner(sweep_every=max(sweep_every, 1), poll=max(poll, 0.1))
        if once:
            result = runner.tick()
            report = _report(result)
            self.stdout.write(f"Sweep done: {report}" if report else "Sweep already waiting in the queue; tasks run.")
            return

        def stop(signum: int, frame: object) -> None:
            runner.stop()
            if reload:
                # Under the reloader the loop runs in a thread; leave at once (development only).
                raise SystemExit(0)

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        self.stdout.write(f"Worker started: sweep every {sweep_every} s. Stop with Ctrl+C.")
        if reload:
            autoreload.run_with_reloader(runner.run)
        else:
            runner.run()


def _report(result: Any) -> str:
    if result is None:
        return ""
    if not result.is_finished:
        result.refresh()
    if not result.is_finished:
        return ""
    if result.errors:
        return f"failed: {result.errors[-1].traceback.strip().splitlines()[-1]}"
    # In the report's own order: the database may store the task's result with its keys reordered (jsonb).
    values = result.return_value or {}
    return ", ".join(f"{f.name}={values.get(f.name, 0)}" for f in dataclasses.fields(SweepReport))
