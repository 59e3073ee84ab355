"""Django's flush, which also empties the complaints' history: the one path the database's guards let through
(shagym/complaints/history.py). The tests' reset between transactional tests runs it."""

from typing import Any

from django.core.management.commands import flush

from shagym.complaints.history import purge_allowed


class Command(flush.Command):
    def handle(self, **options: Any) -> None:
        with purge_allowed(options["database"]):
            super().handle(**options)
