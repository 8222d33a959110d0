"""PostgreSQL: a second, partial GIN index over the rows of the sample buckets (``bucket < 64``), from which a
broad match's sample reads posting lists 1/16 as long (bench/search/RESULTS.md, stop 19).  Built once here, in
about a twentieth of the time of the whole index.  SQLite: nothing."""

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
