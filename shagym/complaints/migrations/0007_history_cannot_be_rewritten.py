"""Issue 13, item 3: a history that cannot be rewritten, even with the application's database password.

PostgreSQL (the production database):
- every event row is stamped by the database with the id of the transaction that wrote it (`txid`, a column the ORM
  does not know; a BEFORE INSERT trigger sets it, so a writer cannot choose it);
- TRUNCATE of the events is refused by a statement-level trigger (UPDATE and DELETE already are, by 0002). Only
  `manage.py flush`, run by the tables' owner, may empty the table (the tests' reset): it sets shagym.purge_history
  for itself. The application's role has no TRUNCATE privilege at all (`manage.py grant_app_role`);
- a complaint that is created, or whose lifecycle fields (those an event records in before/after, states.Snapshot)
  change, without an event of that complaint written by the same transaction is refused at commit by a deferred
  constraint trigger. The event is written after the complaint is saved (its `after` is the saved complaint), hence
  deferred. Why not `xmin = current txid`: an event inserted inside a savepoint (a nested atomic block) carries the
  savepoint's own xid; `txid` is always the top-level transaction's. `age(xmin) <= 0` adds that the row version was
  written by this transaction (or its savepoints), not restored from a dump of another cluster whose ids may meet ours.

SQLite (development): an UPDATE of an event is refused (0002), and now a DELETE too, unless `manage.py flush` is
emptying the database (the function shagym_history_locked(), registered on every connection by the complaints app;
without it, as in the sqlite3 shell, the DELETE fails as well). SQLite has no TRUNCATE and no deferred triggers."""

from django.db import migrations

# The columns of states.Snapshot.FIELDS: what an event records before and after an action.
LIFECYCLE_COLUMNS = (
    "status", "holder_id", "reviewing_body_id", "forwarded_from_id", "number", "registered_on", "term_type",
    "term_days", "due_date", "calendar_version", "forward_due", "content_due", "extension_days",
    "extension_notice_due", "overdue_since", "executor_id", "outcome", "delivery_method", "delivered_on",
)
_OLD = ", ".join(f"OLD.{c}" for c in LIFECYCLE_COLUMNS)
_NEW = ", ".join(f"NEW.{c}" for c in LIFECYCLE_COLUMNS)

PG_UP = f"""
ALTER TABLE complaints_complaintevent ADD COLUMN txid xid8;
COMMENT ON COLUMN complaints_complaintevent.txid IS
  'The transaction that wrote the event, set by the database (trigger complaints_event_stamp); NULL before 0007.';

CREATE FUNCTION complaints_event_stamp() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.txid := pg_current_xact_id();
  RETURN NEW;
END;
$$;
CREATE TRIGGER complaints_event_stamp BEFORE INSERT ON complaints_complaintevent
  FOR EACH ROW EXECUTE FUNCTION complaints_event_stamp();

CREATE FUNCTION complaints_event_no_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('shagym.purge_history', true) = 'on'
     AND pg_has_role(current_user, (SELECT relowner FROM pg_class WHERE oid = TG_RELID), 'MEMBER') THEN
    RETURN NULL;  -- manage.py flush by the owner: the whole database emptied on purpose (tests)
  END IF;
  RAISE EXCEPTION 'complaint events are append-only: TRUNCATE refused'
    USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER complaints_event_no_truncate BEFORE TRUNCATE ON complaints_complaintevent
  FOR EACH STATEMENT EXECUTE FUNCTION complaints_event_no_truncate();

CREATE FUNCTION complaints_change_needs_event() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (
    SELECT 1 FROM complaints_complaintevent e
    WHERE e.complaint_id = NEW.id AND e.txid = pg_current_xact_id() AND age(e.xmin) <= 0
  ) THEN
    RAISE EXCEPTION 'complaint % (status %) changed without its event in the same transaction', NEW.id, NEW.status
      USING ERRCODE = 'integrity_constraint_violation',
            HINT = 'Every change of a complaint goes through shagym.complaints.services, which appends its event.';
  END IF;
  RETURN NULL;
END;
$$;
CREATE CONSTRAINT TRIGGER complaints_insert_needs_event AFTER INSERT ON complaints_complaint
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION complaints_change_needs_event();
CREATE CONSTRAINT TRIGGER complaints_change_needs_event AFTER UPDATE ON complaints_complaint
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
  WHEN (({_OLD}) IS DISTINCT FROM ({_NEW}))
  EXECUTE FUNCTION complaints_change_needs_event();
"""
PG_DOWN = """
DROP TRIGGER IF EXISTS complaints_change_needs_event ON complaints_complaint;
DROP TRIGGER IF EXISTS complaints_insert_needs_event ON complaints_complaint;
DROP FUNCTION IF EXISTS complaints_change_needs_event();
DROP TRIGGER IF EXISTS complaints_event_no_truncate ON complaints_complaintevent;
DROP FUNCTION IF EXISTS complaints_event_no_truncate();
DROP TRIGGER IF EXISTS complaints_event_stamp ON complaints_complaintevent;
DROP FUNCTION IF EXISTS complaints_event_stamp();
ALTER TABLE complaints_complaintevent DROP COLUMN IF EXISTS txid;
"""
SQLITE_UP = """
CREATE TRIGGER complaints_event_no_delete BEFORE DELETE ON complaints_complaintevent
WHEN shagym_history_locked()
BEGIN SELECT RAISE(ABORT, 'complaint events are append-only'); END;
"""
SQLITE_DOWN = "DROP TRIGGER IF EXISTS complaints_event_no_delete;"


def up(apps, schema_editor):
    sql = {"postgresql": PG_UP, "sqlite": SQLITE_UP}.get(schema_editor.connection.vendor)
    if sql:
        schema_editor.execute(sql, params=None)  # no placeholders: % is plpgsql's


def down(apps, schema_editor):
    sql = {"postgresql": PG_DOWN, "sqlite": SQLITE_DOWN}.get(schema_editor.connection.vendor)
    if sql:
        schema_editor.execute(sql, params=None)  # no placeholders: % is plpgsql's


class Migration(migrations.Migration):
    dependencies = [("complaints", "0006_delivery_reference")]
    operations = [migrations.RunPython(up, down)]
