"""The `worker` command's loop: the database task worker and the periodic sweep in one process (issue 6, item 3).

Every SHAGYM_SWEEP_INTERVAL seconds it puts a sweep on the queue (unless one is already waiting there, put by
another worker), then runs every ready task: sweeps, announcements, deliveries. Several workers may run against one
database; django_tasks_db hands each task to one of them, and the tasks themselves claim their work."""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from django.utils.crypto import get_random_string
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, TaskResult, task_backends
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from . import tasks

logger = logging.getLogger(__name__)


def uses_database_backend() -> bool:
    return isinstance(task_backends[DEFAULT_TASK_BACKEND_ALIAS], DatabaseBackend)


def enqueue_sweep() -> TaskResult[Any] | None:
    """Put a sweep on the queue, unless one is already waiting for a worker."""
    if uses_database_backend() and DBTaskResult.objects.ready().filter(task_path=tasks.sweep.module_path).exists():
        return None
    return tasks.sweep.enqueue()


class Runner:
    def __init__(self, *, sweep_every: float, poll: float, worker_id: str | None = None) -> None:
        self.sweep_every = sweep_every
        self.poll = poll
        self.worker_id = worker_id or get_random_string(32)
        self._stop = threading.Event()
        self._next_sweep = 0.0
        self._worker: Worker | None = None

    def stop(self, *_args: object) -> None:
        """Finish the task at hand, then leave (SIGINT, SIGTERM)."""
        self._stop.set()
        if self._worker is not None:
            self._worker.running = False

    def run(self) -> None:
        logger.info("Worker %s: sweep every %ss", self.worker_id, self.sweep_every)
        while not self._stop.is_set():
            self.tick()
            self._stop.wait(self.poll)

    def tick(self) -> TaskResult[Any] | None:
        result = None
        if time.monotonic() >= self._next_sweep:
            result = enqueue_sweep()
            self._next_sweep = time.monotonic() + self.sweep_every
        self.drain()
        return result

    def drain(self) -> None:
        """Run every task that is ready. Other backends (immediate) ran them when they were enqueued."""
        if not uses_database_backend():
            return
        self._worker = Worker(
            queue_names=["*"],
            interval=0,
            batch=True,
            backend_name=DEFAULT_TASK_BACKEND_ALIAS,
            startup_delay=False,
            max_tasks=None,
            worker_id=self.worker_id,
            excluded_queue_names=[],
        )
        if not self._stop.is_set():
            self._worker.run()
