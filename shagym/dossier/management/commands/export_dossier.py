"""Export one complaint's case file as a ZIP with its SHA-256 manifest, or verify such a file.

    manage.py export_dossier 26-002-00001                    # by registration number, delivery reference or id
    manage.py export_dossier 26-002-00001 --user demo-clerk  # as that member of staff, through the access door
    manage.py export_dossier --verify dossier-26-002-00001.zip"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q
from django.http import Http404

from shagym.accounts.models import User
from shagym.complaints import access
from shagym.complaints.models import Complaint
from shagym.dossier import export

logger = logging.getLogger("shagym.dossier")


class Command(BaseCommand):
    help = "Write one complaint's case file (data, events, letters, attachments, delivery log) as a ZIP."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("complaint", nargs="?", help="Registration number, delivery reference (D-…) or id.")
        parser.add_argument("-o", "--output", help="Where to write the ZIP (default: dossier-<number>.zip here).")
        parser.add_argument("--user", help="Export as this member of staff: only what the access door lets him.")
        parser.add_argument("--verify", metavar="ZIP", help="Check a case file against its SHA256SUMS and manifest.")

    def handle(self, *args: Any, complaint: str | None, output: str | None, user: str | None, verify: str | None,
               **options: Any) -> None:
        if verify:
            errors = export.verify(verify)
            if errors:
                raise CommandError(f"{verify} does not verify: " + "; ".join(errors))
            self.stdout.write(f"{verify}: every file matches its SHA-256")
            return
        if not complaint:
            raise CommandError("Name the complaint (number, reference or id), or --verify a file.")
        found = self._find(complaint)
        actor = None
        if user:
            actor = User.objects.filter(username=user, is_active=True).first()
            try:
                if actor is None:
                    raise Http404
                found = access.get_dossier_complaint(actor, found.pk)
            except (Http404, PermissionDenied) as exc:
                raise CommandError(f"{user} may not export the file of {complaint}.") from exc
        path = Path(output or export.filename_for(found))
        with path.open("wb") as out:
            result = export.write(found, out, exported_by=actor)
        logger.info("Case file of complaint %s exported by %s", found.pk, user or "the operator (manage.py)")
        note = f"; {len(result.problems)} problems listed in the manifest" if result.problems else ""
        self.stdout.write(f"{path}: {result.files} files, {path.stat().st_size} bytes{note}")

    def _find(self, key: str) -> Complaint:
        match = Q(number=key) | Q(reference=key.upper())
        if key.isdigit():
            match |= Q(pk=int(key))
        found = list(Complaint.objects.filter(match)[:2])
        if len(found) != 1:
            raise CommandError(f"No single complaint {key}.")
        return found[0]
