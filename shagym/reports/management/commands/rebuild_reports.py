"""Make the reports' summary tables again from the complaints: after installing the reports on an existing database,
after a change of the working-day calendar (the working days to answer are counted with it), or to check them."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from shagym.reports.facts import rebuild


class Command(BaseCommand):
    help = "Rebuild the reports' fact rows and monthly tallies from the complaints (one transaction)."

    def handle(self, *args: Any, **options: Any) -> None:
        start = time.perf_counter()
        facts, cells = rebuild(log=lambda message: self.stdout.write(message))
        self.stdout.write(self.style.SUCCESS(
            f"Rebuilt {facts} complaint rows and {cells} tally cells in {time.perf_counter() - start:.1f} s."))
