"""The database cache's table (SHAGYM_CACHE=database, the production default without Redis): the calendar's
overrides, the navigation's counts and the rate-limit counters are read from it on every request, so `migrate` creates
it, whatever cache the migrating process is configured with, rather than leaving it to a step a deployment could
forget."""

from django.core.management.commands.createcachetable import Command as CreateCacheTable
from django.db import migrations

TABLE = "shagym_cache"  # settings.CACHES' LOCATION for the database cache


def create_cache_table(apps, schema_editor):
    command = CreateCacheTable()
    command.verbosity = 0
    command.create_table(schema_editor.connection.alias, TABLE, dry_run=False)


class Migration(migrations.Migration):
    dependencies = [("directory", "0002_service_authority")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop, elidable=True)]
