"""The database cache's table, so that `migrate` alone prepares the whole database.

The table is made whatever CACHES says today (a deployment may drop REDIS_URL later and
fall back to the database cache), with the same columns `createcachetable` would give.
"""

from django.conf import settings
from django.core.management.commands.createcachetable import Command as CreateCacheTable
from django.db import migrations

CACHE_TABLE = settings.FACTMARK_CACHE_TABLE


def create_cache_table(apps, schema_editor):
    command = CreateCacheTable()
    command.verbosity = 0
    command.create_table(schema_editor.connection.alias, CACHE_TABLE, dry_run=False)


def drop_cache_table(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(CACHE_TABLE)}")


class Migration(migrations.Migration):
    dependencies = [("annotate", "0002_default_orderings_without_joins")]

    operations = [migrations.RunPython(create_cache_table, drop_cache_table)]
