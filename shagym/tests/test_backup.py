"""Issue 13, item 9: scripts/backup-check dumps the database, restores the dump into a fresh database and finds it
the same (row counts, the last event, a digest of the history, the history's guards). PostgreSQL only."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from shagym.complaints.models import ComplaintEvent

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_dump and pg_restore")
@pytest.mark.django_db(transaction=True)
def test_backup_restores_into_a_fresh_database_the_same_postgresql(registered):
    if not shutil.which("pg_dump"):
        pytest.skip("pg_dump is not installed (postgresql-client)")
    db = connection.settings_dict
    url = f"postgresql://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"
    last = ComplaintEvent.objects.order_by("-pk").first()
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "backup_check.py")], capture_output=True, text=True,
                          env={**os.environ, "DATABASE_URL": url}, timeout=300, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"last event: #{last.pk} complaint {registered.pk} register" in done.stdout
    assert "complaints_complaintevent" in done.stdout and "DIFFERS" not in done.stdout
    assert "OK:" in done.stdout
