"""Browsing without text (bench/search/RESULTS.md, stop 21), both databases: the head rows' date-order index
and sample-bucket index (with the filters' and facets' columns), and the ``heads`` table of facet counts by
access level and unit, counted once here from an existing index's head rows (one pass over them)."""

from django.db import migrations


def forward(apps, schema_editor):
    from search.backends.postgres import PostgresBackend
    from search.backends.sql.connection import DjangoDb
    from search.backends.sqlite import SqliteBackend

    db = DjangoDb(schema_editor.connection.alias)
    cls = {"sqlite": SqliteBackend, "postgresql": PostgresBackend}.get(db.vendor)
    if cls is not None:
        cls({}, db=db).ensure_schema()  # idempotent: the indexes made, the table made and counted


class Migration(migrations.Migration):
    dependencies = [("sulieu_search", "0008_postgres_sample_index")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop, elidable=False)]
