"""The database cache's table, when the cache lives in the database (SHAGYM_CACHE=database, the production default
without Redis): the calendar's overrides, the navigation's counts and the rate-limit counters are read from it on
every request, so `migrate` creates it rather than leaving it to a step a deployment could forget."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("directory", "0002_service_authority")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop, elidable=True)]
