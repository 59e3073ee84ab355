"""The rate counters live for a minute and matter to nobody after a crash: on PostgreSQL their table is UNLOGGED,
so counting a request writes no WAL and its commit waits for no disk flush (each API request counts twice, in its
own autocommit). After a crash PostgreSQL empties the table: the counts start again, which is harmless."""

from django.db import migrations


def unlogged(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE api_ratecounter SET UNLOGGED")


def logged(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE api_ratecounter SET LOGGED")


class Migration(migrations.Migration):
    dependencies = [("api", "0001_keys_idempotency_limits_uploads")]

    operations = [migrations.RunPython(unlogged, logged)]
