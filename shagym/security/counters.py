"""Counters of attempts in fixed windows, shared by every process and raised atomically.

One statement per count: an upsert that adds one in the current window (or starts the window again) and returns the
new count, so that sixty requests at once get sixty different counts; a read followed by a write would let them all
read the same one. It runs in the database on SQLite and PostgreSQL alike, whichever cache is configured (the
database cache's incr is a read and a write): PostgreSQL locks the row for the upsert, SQLite serialises writers."""

from __future__ import annotations

import random
import time

from django.db import connection
from django.db.models import F

from .models import AttemptCounter

_UPSERT = """
INSERT INTO security_attemptcounter (key, started, count) VALUES (%s, %s, 1)
ON CONFLICT (key) DO UPDATE SET
  count = CASE WHEN security_attemptcounter.started = excluded.started
               THEN security_attemptcounter.count + 1 ELSE 1 END,
  started = excluded.started
RETURNING count
"""
# Old windows are removed now and then by the requests themselves (no sweep to run): about one hit in 500.
_CLEAN_ONE_IN = 500
_KEEP_SECONDS = 86_400


def window_start(seconds: int, now: float | None = None) -> int:
    now = now if now is not None else time.time()
    return int(now // seconds) * seconds


def hit(key: str, *, seconds: int, now: float | None = None) -> int:
    """Count one attempt for this key in the current window of `seconds`; return the count so far, this one in."""
    # One statement: its own transaction under autocommit (part of the caller's if there is one), without BEGIN and
    # COMMIT round trips around it.
    with connection.cursor() as cursor:
        cursor.execute(_UPSERT, [key[:200], window_start(seconds, now)])
        row = cursor.fetchone()
    if random.randrange(_CLEAN_ONE_IN) == 0:  # nosec B311 # not a secret: only when to clean up
        clean(now=now)
    return int(row[0]) if row else 1


def take_back(*keys: str, seconds: int, now: float | None = None) -> None:
    """Undo one count of each key in the current window (an attempt that turned out right counts against nobody).
    One single-row statement per key, in the order given (the order hit() counted them): one statement over several
    rows locks them in the order it finds them, which differs between concurrent statements after updates move the
    rows, and PostgreSQL then found deadlocks under load (bench/web.py's status page: errors, p99 1 s)."""
    started = window_start(seconds, now)
    for key in keys:
        AttemptCounter.objects.filter(key=key[:200], started=started, count__gt=0).update(count=F("count") - 1)


def current(key: str, *, seconds: int, now: float | None = None) -> int:
    rows = AttemptCounter.objects.filter(key=key[:200], started=window_start(seconds, now))
    return next(iter(rows.values_list("count", flat=True)), 0)


def clean(*, now: float | None = None) -> int:
    """Remove the counters of windows that started over a day ago; return how many."""
    now = now if now is not None else time.time()
    deleted, _ = AttemptCounter.objects.filter(started__lt=now - _KEEP_SECONDS).delete()
    return deleted
