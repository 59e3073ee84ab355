"""Counters of attempts in fixed windows, shared by every process and raised atomically.

One statement per count: an upsert that adds one in the current window (or starts the window again) and returns the
new count, so that sixty requests at once get sixty different counts; a read followed by a write would let them all
read the same one. It runs in the database on SQLite and PostgreSQL alike, whichever cache is configured (the
database cache's incr is a read and a write): PostgreSQL locks the row for the upsert, SQLite serialises writers."""

from __future__ import annotations

import random
import time

from django.db import connection

from shagym.redis_cache import counter

from .models import AttemptCounter

_UPSERT = """
INSERT INTO security_attemptcounter (key, started, count) VALUES {rows}
ON CONFLICT (key) DO UPDATE SET
  count = CASE WHEN security_attemptcounter.started = excluded.started
               THEN security_attemptcounter.count + 1 ELSE 1 END,
  started = excluded.started
RETURNING key, count
"""
# Taking back is an upsert too (a row missing is left at nought): an INSERT takes its rows in the order of VALUES,
# so several keys are locked in the order they were counted. An UPDATE over several rows locks them in the order it
# finds them, which differs between concurrent statements once updates have moved the rows, and PostgreSQL then found
# deadlocks under load (bench/web.py's status page: errors, p99 1 s).
_TAKE_BACK = """
INSERT INTO security_attemptcounter (key, started, count) VALUES {rows}
ON CONFLICT (key) DO UPDATE SET
  count = CASE WHEN security_attemptcounter.started = excluded.started AND security_attemptcounter.count > 0
               THEN security_attemptcounter.count - 1 ELSE security_attemptcounter.count END
"""
# Old windows are removed now and then by the requests themselves (no sweep to run): about one hit in 500.
_CLEAN_ONE_IN = 500
_KEEP_SECONDS = 86_400


def window_start(seconds: int, now: float | None = None) -> int:
    now = now if now is not None else time.time()
    return int(now // seconds) * seconds


def _rows(count: int) -> str:
    return ", ".join(["(%s, %s, %s)"] * count)


def _redis_keys(keys: tuple[str, ...], started: int) -> list[str]:
    return [f"shagym:attempts:{key}:{started}" for key in keys]


def hit_many(*keys: str, seconds: int, now: float | None = None) -> list[int]:
    """Count one attempt for each key (distinct) in the current window of `seconds`, in one statement; return each
    key's count so far, this one in, in the order given."""
    keys = tuple(key[:200] for key in keys)
    started = window_start(seconds, now)
    redis = counter()
    if redis is not None:
        return redis.add_to_many(_redis_keys(keys, started), 1, timeout=seconds + 60)
    # One statement: its own transaction under autocommit (part of the caller's if there is one), without BEGIN and
    # COMMIT round trips around it. B608: only placeholders are formatted in; the values are parameters.
    with connection.cursor() as cursor:
        cursor.execute(_UPSERT.format(rows=_rows(len(keys))),  # nosec B608
                       [value for key in keys for value in (key, started, 1)])
        counts = {str(key): int(count) for key, count in cursor.fetchall()}
    if random.randrange(_CLEAN_ONE_IN) == 0:  # nosec B311 # not a secret: only when to clean up
        clean(now=now)
    return [counts.get(key, 1) for key in keys]


def take_back(*keys: str, seconds: int, now: float | None = None) -> None:
    """Undo one count of each key in the current window (an attempt that turned out right counts against nobody),
    in one statement that locks the keys in the order given (the order hit_many() counted them)."""
    if not keys:
        return
    started = window_start(seconds, now)
    redis = counter()
    if redis is not None:
        names = _redis_keys(tuple(key[:200] for key in keys), started)
        counts = redis.add_to_many(names, -1, timeout=seconds + 60)
        below = [name for name, count in zip(names, counts, strict=True) if count < 0]
        if below:  # nothing was counted there (the window had just turned): back to nought
            redis.add_to_many(below, 1, timeout=seconds + 60)
        return
    with connection.cursor() as cursor:
        cursor.execute(_TAKE_BACK.format(rows=_rows(len(keys))),  # nosec B608 # placeholders only, as above
                       [value for key in keys for value in (key[:200], started, 0)])


def clean(*, now: float | None = None) -> int:
    """Remove the counters of windows that started over a day ago; return how many."""
    now = now if now is not None else time.time()
    deleted, _ = AttemptCounter.objects.filter(started__lt=now - _KEEP_SECONDS).delete()
    return deleted
