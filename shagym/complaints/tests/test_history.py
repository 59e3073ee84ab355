"""Issue 13, item 3: the history cannot be rewritten, even with the application's database password.

Each way in is tried and shown refused by the database itself (not the ORM): UPDATE, DELETE and TRUNCATE of events as
the application's role, a change of a complaint's status or term without its event, a complaint inserted without
one. The tests that need PostgreSQL's roles and triggers say so in their names and are skipped on SQLite; they need a
login role the test database's owner can grant to (SHAGYM_TEST_APP_ROLE, default shagym_test_app, password
SHAGYM_TEST_APP_PASSWORD or the same): .ci/run creates it, and with SHAGYM_REQUIRE_DB_ROLES=1 a missing role fails."""

from __future__ import annotations

import os
from io import StringIO

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, IntegrityError, connection, transaction

from shagym.complaints import services
from shagym.complaints.models import Complaint, ComplaintEvent
from shagym.complaints.states import State

ROLE = os.environ.get("SHAGYM_TEST_APP_ROLE", "shagym_test_app")
PASSWORD = os.environ.get("SHAGYM_TEST_APP_PASSWORD", ROLE)

postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="roles and triggers of PostgreSQL")


def _no_role(reason: str) -> None:
    if os.environ.get("SHAGYM_REQUIRE_DB_ROLES") == "1":
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture
def app_role():
    """A connection to the test database as the application's role, granted by `manage.py grant_app_role`."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT EXISTS (SELECT FROM pg_roles WHERE rolname = %s)", [ROLE])
        if not cursor.fetchone()[0]:
            try:
                cursor.execute(
                    psycopg.sql.SQL("CREATE ROLE {} LOGIN PASSWORD {}")
                    .format(psycopg.sql.Identifier(ROLE), psycopg.sql.Literal(PASSWORD))
                    .as_string(cursor.connection)
                )
            except DatabaseError:
                _no_role(f"No role {ROLE}: as a superuser, CREATE ROLE {ROLE} LOGIN PASSWORD '{PASSWORD}' (.ci/run does)")
    call_command("grant_app_role", ROLE, stdout=StringIO())
    db = connection.settings_dict
    try:
        conn = psycopg.connect(host=db["HOST"] or "localhost", port=db["PORT"] or 5432, dbname=db["NAME"], user=ROLE,
                               password=PASSWORD, autocommit=True)
    except psycopg.OperationalError as exc:
        _no_role(f"Cannot sign in as {ROLE}: {exc}")
    with conn:
        yield conn


def _refused(conn: psycopg.Connection, statement: str, *params: object) -> str:
    with pytest.raises(psycopg.Error) as caught:
        conn.execute(statement, params or None)
    return str(caught.value)


def _events(complaint: Complaint) -> list[tuple]:
    return list(ComplaintEvent.objects.filter(complaint=complaint).order_by("pk").values_list("pk", "action", "data"))


# ---------------------------------------------------------------------------------------------------------------
# Both databases


@pytest.mark.django_db
def test_database_refuses_to_delete_an_event(registered):
    event = ComplaintEvent.objects.filter(complaint=registered).first()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM complaints_complaintevent WHERE id = %s", [event.pk])
    assert ComplaintEvent.objects.filter(pk=event.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_flush_empties_the_history_and_the_guard_holds_again(registered, clerk, now):
    call_command("flush", interactive=False, verbosity=0)
    assert not ComplaintEvent.objects.exists() and not Complaint.objects.exists()
    # The guard is back on right after: the next history is protected.
    from shagym.complaints.tests.factories import OrganisationFactory, UserFactory, complaint_input

    body = OrganisationFactory(key="again")
    complaint = services.submit_complaint(actor=UserFactory(username="again"), data=complaint_input(reviewing_body=body),
                                          now=now).complaint
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM complaints_complaintevent WHERE complaint_id = %s", [complaint.pk])
    assert ComplaintEvent.objects.filter(complaint=complaint).count() == 1


# ---------------------------------------------------------------------------------------------------------------
# PostgreSQL: the application's role


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_app_role_cannot_update_events_postgresql(registered, app_role):
    before = _events(registered)
    message = _refused(app_role, "UPDATE complaints_complaintevent SET data = '{}' WHERE complaint_id = %s",
                       registered.pk)
    assert "permission denied" in message
    assert _events(registered) == before


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_app_role_cannot_delete_events_postgresql(registered, app_role):
    before = _events(registered)
    assert "permission denied" in _refused(app_role, "DELETE FROM complaints_complaintevent WHERE complaint_id = %s",
                                           registered.pk)
    assert _events(registered) == before


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_app_role_cannot_truncate_events_postgresql(registered, app_role):
    before = _events(registered)
    for statement in ("TRUNCATE complaints_complaintevent", "TRUNCATE complaints_complaintevent CASCADE",
                      "TRUNCATE complaints_complaint CASCADE"):
        # Even with the flag flush uses: the role has no TRUNCATE privilege, and the trigger wants the owner.
        app_role.execute("SET shagym.purge_history = 'on'")
        assert "permission denied" in _refused(app_role, statement)
    assert _events(registered) == before


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_app_role_cannot_change_a_status_without_its_event_postgresql(registered, other_body, app_role):
    message = _refused(app_role, "UPDATE complaints_complaint SET status = %s WHERE id = %s", State.CLOSED,
                       registered.pk)
    assert "without its event" in message
    # Nor the term, the holder or the executor: every field an event records.
    for column, value in (("due_date", "2030-01-01"), ("holder_id", other_body.pk),
                          ("overdue_since", "2026-11-03"), ("number", "forged-1")):
        assert "without its event" in _refused(
            app_role, f"UPDATE complaints_complaint SET {column} = %s WHERE id = %s", value, registered.pk)
    registered.refresh_from_db()
    assert registered.status == State.REGISTERED and registered.number != "forged-1"


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_app_role_cannot_count_an_event_it_rolled_back_postgresql(registered, app_role):
    with pytest.raises(psycopg.errors.IntegrityConstraintViolation), app_role.transaction():
        with app_role.transaction():  # a savepoint: the event in it is rolled back
            app_role.execute(
                "INSERT INTO complaints_complaintevent (complaint_id, action, role, at, before, after, data) "
                "VALUES (%s, 'close', 'clerk', now(), '{}', '{}', '{}')", [registered.pk])
            raise psycopg.Rollback()
        app_role.execute("UPDATE complaints_complaint SET status = %s WHERE id = %s", [State.CLOSED, registered.pk])
    registered.refresh_from_db()
    assert registered.status == State.REGISTERED
    assert len(_events(registered)) == 2


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_app_role_cannot_insert_a_complaint_without_its_event_postgresql(registered, app_role):
    columns = [f.column for f in Complaint._meta.concrete_fields if not f.primary_key and f.column != "idempotency_key"
               and f.column != "reference" and f.column != "number"]
    select = ", ".join(columns)
    message = _refused(app_role, f"INSERT INTO complaints_complaint ({select}) SELECT {select} "
                                 "FROM complaints_complaint WHERE id = %s", registered.pk)
    assert "without its event" in message
    assert Complaint.objects.count() == 1


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_app_role_may_change_a_complaint_with_its_event_postgresql(registered, app_role):
    """The guard refuses the change without history, not the application's work: the change and its event commit."""
    with app_role.transaction():
        app_role.execute("UPDATE complaints_complaint SET status = %s WHERE id = %s", [State.CLOSED, registered.pk])
        app_role.execute(
            "INSERT INTO complaints_complaintevent (complaint_id, action, role, at, before, after, data, txid) "
            "VALUES (%s, 'close', 'clerk', now(), '{}', '{}', '{}', '1')", [registered.pk])
    registered.refresh_from_db()
    assert registered.status == State.CLOSED
    with connection.cursor() as cursor:
        # The database stamped the event with the writing transaction, whatever the writer said.
        cursor.execute("SELECT txid::text FROM complaints_complaintevent WHERE complaint_id = %s ORDER BY id DESC "
                       "LIMIT 1", [registered.pk])
        assert cursor.fetchone()[0] != "1"


# ---------------------------------------------------------------------------------------------------------------
# PostgreSQL: the owner and the services


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_owner_cannot_truncate_events_by_accident_postgresql(registered):
    with pytest.raises(DatabaseError, match="TRUNCATE refused"), connection.cursor() as cursor:
        cursor.execute("TRUNCATE complaints_complaintevent CASCADE")
    assert ComplaintEvent.objects.filter(complaint=registered).count() == 2


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_raw_status_update_without_event_refused_at_commit_postgresql(registered):
    """Even by the owner: the ORM's update() bypasses the services, the commit refuses it."""
    with pytest.raises(IntegrityError, match="without its event"), transaction.atomic():
        Complaint.objects.filter(pk=registered.pk).update(status=State.CLOSED)
    registered.refresh_from_db()
    assert registered.status == State.REGISTERED


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_services_in_nested_transactions_commit_postgresql(received, clerk, head, executor, now):
    """A service inside an outer transaction writes its event in a savepoint: still the same transaction's event."""
    with transaction.atomic():
        services.register_complaint(actor=clerk, complaint=received, now=now)
        with transaction.atomic():
            services.assign_executor(actor=head, complaint=received, executor=executor, now=now)
    received.refresh_from_db()
    assert received.status == State.UNDER_REVIEW


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_grant_check_finds_a_role_that_may_rewrite_events_postgresql(app_role):
    with connection.cursor() as cursor:
        cursor.execute(f'GRANT UPDATE ON complaints_complaintevent TO "{ROLE}"')
    with pytest.raises(CommandError, match="UPDATE on complaints_complaintevent"):
        call_command("grant_app_role", ROLE, "--check", stdout=StringIO())
    out = StringIO()
    call_command("grant_app_role", ROLE, stdout=out)  # granting again takes it back
    assert "only SELECT and INSERT" in out.getvalue()


@postgresql_only
@pytest.mark.django_db
def test_grant_refuses_the_owner_as_the_application_role_postgresql():
    with pytest.raises(CommandError, match="owner"):
        call_command("grant_app_role", connection.settings_dict["USER"], stdout=StringIO())
