"""PostgreSQL: every passage row carries its item's sample bucket (a generated column with a btree index), so
that a broad match is ranked and counted on a sample of whole items in one index range (bench/search/RESULTS.md,
stop 15).  Adding the column rewrites the passage table once.  SQLite: nothing."""

from django.db import migrations


def forward(apps, schema_editor):
    from search.migrations import migrate_index

    backend = migrate_index(schema_editor.connection.alias)  # adds the column and its index to an older index
    if backend is not None:
        backend.db.execute(f"ANALYZE {backend.t}passage")


class Migration(migrations.Migration):
    dependencies = [("sulieu_search", "0005_postgres_text_table")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop, elidable=False)]
