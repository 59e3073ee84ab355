"""Give the application's PostgreSQL role what it needs, and no more (issue 13, item 3).

Run by the owner role (the one that runs `migrate` and owns the tables), after every `migrate`:

    DATABASE_URL=postgresql://shagym_owner:...@db/shagym manage.py migrate
    DATABASE_URL=postgresql://shagym_owner:...@db/shagym manage.py grant_app_role shagym_app

The application role may read and write the tables, except the history: on the events table it may only SELECT
and INSERT, so even with its password an event cannot be updated, deleted or truncated; the migrations table is
read-only to it. It owns nothing, so it cannot drop or disable a trigger. --check only verifies and exits 1 on a gap."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, connections
from psycopg import sql

EVENTS = "complaints_complaintevent"
READ_ONLY = ("django_migrations",)
TABLE_WRITES = ("INSERT", "UPDATE", "DELETE")
NEVER = ("TRUNCATE", "REFERENCES", "TRIGGER")


class Command(BaseCommand):
    help = "Grant the application's role its privileges: everything but UPDATE, DELETE, TRUNCATE of the events."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("role", help="The application's login role (it must exist, and not own the tables).")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)
        parser.add_argument("--check", action="store_true", help="Only verify the privileges; exit 1 on a gap.")

    def handle(self, *args: Any, role: str, database: str, check: bool, **options: Any) -> None:
        connection = connections[database]
        if connection.vendor != "postgresql":
            raise CommandError("Roles and grants are for PostgreSQL; SQLite has one user.")
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_user, current_database(), "
                           "EXISTS (SELECT FROM pg_roles WHERE rolname = %s)", [role])
            owner, dbname, exists = cursor.fetchone()
            if not exists:
                raise CommandError(f"There is no role {role}: create it first (README, Deploying).")
            cursor.execute("SELECT pg_has_role(%s, %s, 'MEMBER'), "
                           "(SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = %s)", [role, owner, role])
            member_of_owner, super_role = cursor.fetchone()
            if role == owner or member_of_owner or super_role:
                raise CommandError(f"{role} would hold the owner's rights: the application needs a role of its own.")
            if not check:
                grant(cursor, role=role, owner=owner, dbname=dbname)
            gaps = verify(cursor, role=role)
        if gaps:
            raise CommandError(f"{role} has privileges it must not have, or lacks some: " + "; ".join(gaps))
        tables = len(tables_of(connection))
        self.stdout.write(f"{role}: reads and writes {tables} tables; on {EVENTS} only SELECT and INSERT"
                          + (" (checked)" if check else ""))


def tables_of(connection: Any) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
        return [row[0] for row in cursor.fetchall()]


def grant(cursor: Any, *, role: str, owner: str, dbname: str) -> None:
    r = sql.Identifier(role)
    statements = [
        sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(sql.Identifier(dbname), r),
        sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(r),
        sql.SQL("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {}").format(r),
        sql.SQL("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {}").format(r),
        # Tables a later migration creates are usable at once; the events table keeps its own grants below.
        sql.SQL("ALTER DEFAULT PRIVILEGES FOR ROLE {} IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE "
                "ON TABLES TO {}").format(sql.Identifier(owner), r),
        sql.SQL("ALTER DEFAULT PRIVILEGES FOR ROLE {} IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO {}")
        .format(sql.Identifier(owner), r),
        sql.SQL("REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON {} FROM {}").format(sql.Identifier(EVENTS), r),
        sql.SQL("REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON {} FROM PUBLIC").format(sql.Identifier(EVENTS)),
    ]
    for table in READ_ONLY:
        statements.append(sql.SQL("REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON {} FROM {}").format(
            sql.Identifier(table), r))
    for statement in statements:
        cursor.execute(statement.as_string(cursor.connection))


def verify(cursor: Any, *, role: str) -> list[str]:
    """What the role may do that it must not, or may not do that it must."""
    gaps: list[str] = []
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
    for (table,) in cursor.fetchall():
        wanted = {"SELECT"} | ({"INSERT"} if table == EVENTS else set() if table in READ_ONLY else set(TABLE_WRITES))
        for privilege in ("SELECT", *TABLE_WRITES, *NEVER):
            cursor.execute("SELECT has_table_privilege(%s, %s, %s)", [role, f"public.{table}", privilege])
            held = cursor.fetchone()[0]
            if held and privilege not in wanted:
                gaps.append(f"{privilege} on {table}")
            elif not held and privilege in wanted:
                gaps.append(f"no {privilege} on {table}")
    return gaps
