"""SQLite: each common term's best-passage list (``search_top``, see search.backends.sqlite), built now for an
index that already has passages (about 80 CPU-seconds per 200,000 passages); PostgreSQL: nothing."""

from django.db import migrations


def forward(apps, schema_editor):
    from search.backends.sql.connection import DjangoDb
    from search.backends.sqlite import SqliteBackend

    db = DjangoDb(schema_editor.connection.alias)
    if db.vendor != "sqlite":
        return
    backend = SqliteBackend({}, db=db)
    backend.ensure_schema()
    if backend.passage_count():
        backend.build_top_lists()


class Migration(migrations.Migration):
    dependencies = [("sulieu_search", "0003_analyzer_numbers_tw")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop, elidable=False)]
