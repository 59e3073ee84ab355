"""The history of a complaint is append-only in the database too, not only in the ORM.

PostgreSQL refuses UPDATE and DELETE of an event row; SQLite refuses UPDATE (its test flush deletes rows)."""

from django.db import migrations

PG_UP = """
CREATE OR REPLACE FUNCTION complaints_event_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'complaint events are append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER complaints_event_no_update BEFORE UPDATE OR DELETE ON complaints_complaintevent
  FOR EACH ROW EXECUTE FUNCTION complaints_event_append_only();
"""
PG_DOWN = """
DROP TRIGGER IF EXISTS complaints_event_no_update ON complaints_complaintevent;
DROP FUNCTION IF EXISTS complaints_event_append_only();
"""
SQLITE_UP = """
CREATE TRIGGER complaints_event_no_update BEFORE UPDATE ON complaints_complaintevent
BEGIN SELECT RAISE(ABORT, 'complaint events are append-only'); END;
"""
SQLITE_DOWN = "DROP TRIGGER IF EXISTS complaints_event_no_update;"


def up(apps, schema_editor):
    sql = {"postgresql": PG_UP, "sqlite": SQLITE_UP}.get(schema_editor.connection.vendor)
    if sql:
        schema_editor.execute(sql)


def down(apps, schema_editor):
    sql = {"postgresql": PG_DOWN, "sqlite": SQLITE_DOWN}.get(schema_editor.connection.vendor)
    if sql:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("complaints", "0001_initial")]
    operations = [migrations.RunPython(up, down)]
