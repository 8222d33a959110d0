"""PostgreSQL: partial GIN indexes over the rows of the first 4, 16 and 64 item buckets, from which a broad
match's sample reads posting lists 1/256 to 1/16 as long (bench/search/RESULTS.md, stop 19).  Built once here,
together in about a tenth of the time of the whole index.  SQLite: nothing."""

from django.db import migrations


def forward(apps, schema_editor):
    from search.backends.postgres import PostgresBackend
    from search.backends.sql.connection import DjangoDb

    db = DjangoDb(schema_editor.connection.alias)
    if db.vendor != "postgresql":
        return
    PostgresBackend({}, db=db).ensure_schema()


class Migration(migrations.Migration):
    dependencies = [("sulieu_search", "0007_postgres_lz4")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop, elidable=False)]
