"""The database's side of the append-only history (migrations 0002 and 0007): the one legitimate way to empty it.

Only `manage.py flush` (the tests' reset between transactional tests, or an owner emptying a development database on
purpose) and a bench emptying its own database (bench/reports.py) may remove events. It runs inside `purge_allowed()`: on PostgreSQL that sets shagym.purge_history for the
connection, which the TRUNCATE trigger accepts from the tables' owner only (the application's role has no TRUNCATE
privilege anyway); on SQLite the trigger on DELETE asks shagym_history_locked(), registered here on each connection."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from contextvars import ContextVar
from typing import Any

from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper

_purging: ContextVar[bool] = ContextVar("shagym_purging_history", default=False)


def register_sqlite_function(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    """connection_created: the function the SQLite DELETE trigger asks (1: refuse)."""
    if connection.vendor == "sqlite":
        raw: sqlite3.Connection = connection.connection
        raw.create_function("shagym_history_locked", 0, lambda: 0 if _purging.get() else 1)


@contextlib.contextmanager
def purge_allowed(using: str = "default") -> Iterator[None]:
    """Let the owner empty the events table for the duration of the block (flush only)."""
    connection = connections[using]
    token = _purging.set(True)
    postgresql = connection.vendor == "postgresql"
    try:
        if postgresql:
            with connection.cursor() as cursor:
                cursor.execute("SET shagym.purge_history = 'on'")
        yield
    finally:
        _purging.reset(token)
        if postgresql and connection.connection is not None and not connection.needs_rollback:
            with contextlib.suppress(Exception), connection.cursor() as cursor:
                cursor.execute("RESET shagym.purge_history")
