"""Prove a backup restores (issue 13, item 9): dump the database with pg_dump, restore the dump into a fresh
database with pg_restore, and compare every table's row count, the last event and a digest of the whole history,
and that the history's guards (the triggers of complaints migrations 0002 and 0007) came back.

    DATABASE_URL=postgresql://shagym_owner:...@db/shagym bash scripts/backup-check [--dump PATH] [--keep]

The figures of the source are read in the very snapshot pg_dump dumps (pg_export_snapshot), so the comparison holds
while the application keeps writing. The fresh database is made beside the source on the same server (the role needs
CREATEDB) and dropped afterwards unless --keep. Exit status 0 when everything matches, 1 otherwise."""

from __future__ import annotations

import argparse
import os
import secrets
import subprocess  # nosec B404 # runs pg_dump and pg_restore with our own arguments
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

GUARDS = ("complaints_event_no_update", "complaints_event_stamp", "complaints_event_no_truncate",
          "complaints_insert_needs_event", "complaints_change_needs_event")
# Every column of an event, as text: the last one and a digest of all of them must come back the same.
LAST_EVENT = (
    "SELECT id, complaint_id, action, at, md5(id::text || complaint_id::text || action || role "
    "|| coalesce(actor_id::text, '') || at::text || before::text || after::text || data::text) "
    "FROM complaints_complaintevent ORDER BY id DESC LIMIT 1"
)
EVENTS_DIGEST = (
    "SELECT md5(coalesce(string_agg(md5(id::text || complaint_id::text || action || role "
    "|| coalesce(actor_id::text, '') || at::text || before::text || after::text || data::text), '' ORDER BY id), '')) "
    "FROM complaints_complaintevent"
)


def figures(conn: psycopg.Connection[Any]) -> dict[str, Any]:
    tables = [row[0] for row in conn.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename").fetchall()]
    counts = {t: conn.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(t))).fetchone()[0]
              for t in tables}
    last = conn.execute(LAST_EVENT).fetchone()
    digest = conn.execute(EVENTS_DIGEST).fetchone()[0]
    guards = sorted(row[0] for row in conn.execute(
        "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal AND tgname = ANY(%s)", [list(GUARDS)]).fetchall())
    return {"counts": counts, "last": last, "digest": digest, "guards": guards}


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def run(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True)  # nosec B603 # our own arguments, no shell
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dump", help="Where to keep the dump (default: a temporary file, removed).")
    parser.add_argument("--keep", action="store_true", help="Keep the restored database.")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        print("Set DATABASE_URL to the PostgreSQL database to check (postgresql://user:pass@host:5432/name).")
        return 2
    source_name = urlsplit(url).path.lstrip("/")
    target_name = f"{source_name}_restore_{secrets.token_hex(3)}"[:63]
    target_url = with_database(url, target_name)
    folder = tempfile.TemporaryDirectory()
    dump = Path(args.dump) if args.dump else Path(folder.name) / "shagym.dump"

    with psycopg.connect(url) as source:
        source.execute("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        snapshot = source.execute("SELECT pg_export_snapshot()").fetchone()[0]
        before = figures(source)
        version = source.execute("SHOW server_version").fetchone()[0]
        dumped = run(["pg_dump", "--format=custom", f"--snapshot={snapshot}", f"--file={dump}", f"--dbname={url}"])
        source.rollback()
        maintenance = with_database(url, "postgres")
    with psycopg.connect(maintenance, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(target_name)))
    try:
        restored = run(["pg_restore", "--no-owner", "--no-acl", "--exit-on-error", f"--dbname={target_url}", str(dump)])
        with psycopg.connect(target_url) as target:
            after = figures(target)
    finally:
        if not args.keep:
            with psycopg.connect(maintenance, autocommit=True) as admin:
                admin.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(target_name)))

    print(f"Backup check of {source_name} (PostgreSQL {version}): dump {dump.stat().st_size / 1e6:.1f} MB in "
          f"{dumped:.1f} s, restored into {target_name} in {restored:.1f} s"
          + ("" if args.keep else " (dropped after the check)"))
    bad = 0
    width = max(len(t) for t in before["counts"]) + 2
    print(f"{'table':<{width}}{'source':>10}{'restored':>10}")
    for table in sorted(set(before["counts"]) | set(after["counts"])):
        a, b = before["counts"].get(table), after["counts"].get(table)
        ok = a == b
        bad += not ok
        print(f"{table:<{width}}{a if a is not None else '-':>10}{b if b is not None else '-':>10}"
              f"{'' if ok else '  DIFFERS'}")
    for label, key in (("last event", "last"), ("digest of every event", "digest"), ("history guards", "guards")):
        ok = before[key] == after[key]
        bad += not ok
        shown = before[key] if key != "last" or before[key] is None else (
            f"#{before[key][0]} complaint {before[key][1]} {before[key][2]} at {before[key][3]:%Y-%m-%d %H:%M:%S}")
        print(f"{label}: {shown}" + (" — same after restore" if ok else f" — restored: {after[key]}  DIFFERS"))
    if len(after["guards"]) != len(GUARDS):
        bad += 1
        print(f"missing guards after restore: {sorted(set(GUARDS) - set(after['guards']))}")
    rows = sum(before["counts"].values())
    print(f"{'OK' if not bad else 'FAILED'}: {len(before['counts'])} tables, {rows:,} rows"
          + ("; the restored database is the same" if not bad else f"; {bad} differences"))
    if args.dump:
        print(f"Dump kept in {dump}")
    folder.cleanup()
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
