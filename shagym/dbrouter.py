"""Reads of the report tables go to the read replica when one is configured (DATABASE_REPLICA_URL).

The dashboards, the ranking, the exports and the open data read shagym.reports' fact rows and monthly tallies: the
heaviest reads we have, and the only ones that may be a few seconds behind. Everything else stays on the primary: a
person's own complaint must show the action just taken. A read inside a transaction on the primary stays there too,
because it may lead to a write (the fact updater re-reads a row under its lock; the rebuild reads what it wrote)."""

from __future__ import annotations

from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"
REPLICATED_APPS = frozenset({"reports"})


class ReportsReplicaRouter:
    def db_for_read(self, model: type[Any], **hints: Any) -> str | None:
        if model._meta.app_label in REPLICATED_APPS and not connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return REPLICA
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model: type[Any], **hints: Any) -> str | None:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        # The replica holds the same rows as the primary.
        return True

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == DEFAULT_DB_ALIAS
