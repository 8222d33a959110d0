"""PostgreSQL: the passage vectors and the text table's columns compressed with lz4 instead of pglz (faster
writes: bench/search/RESULTS.md, stop 16).  Only new values are compressed so; nothing is rewritten (a
``sulieu reindex`` rewrites everything).  A server built without lz4 keeps pglz.  SQLite: nothing."""

from django.db import migrations


def forward(apps, schema_editor):
    from search.migrations import migrate_index

    migrate_index(schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [("sulieu_search", "0006_postgres_item_buckets")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop, elidable=False)]
