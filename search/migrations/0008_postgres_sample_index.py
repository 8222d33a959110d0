"""PostgreSQL: partial GIN indexes over the rows of the first 4, 16 and 64 item buckets, from which a broad
match's sample reads posting lists 1/256 to 1/16 as long (bench/search/RESULTS.md, stop 19).  Built once here,
together in about a tenth of the time of the whole index.  SQLite: nothing."""

from django.db import migrations


def forward(apps, schema_editor):
    from search.migrations import migrate_index

    migrate_index(schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [("sulieu_search", "0007_postgres_lz4")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop, elidable=False)]
