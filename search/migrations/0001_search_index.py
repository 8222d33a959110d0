"""The search index tables: raw SQL for the database in use (FTS5 on SQLite, tsvector + GIN on PostgreSQL)."""

from django.db import migrations


def _backend(schema_editor):
    from search.backends.sql.connection import DjangoDb
    from search.backends.postgres import PostgresBackend
    from search.backends.sqlite import SqliteBackend

    cls = {"sqlite": SqliteBackend, "postgresql": PostgresBackend}.get(schema_editor.connection.vendor)
    if cls is None:
        return None
    return cls({}, db=DjangoDb(schema_editor.connection.alias))


def create(apps, schema_editor):
    backend = _backend(schema_editor)
    if backend is not None:
        backend.ensure_schema()


def drop(apps, schema_editor):
    backend = _backend(schema_editor)
    if backend is not None:
        backend.drop_schema()


class Migration(migrations.Migration):
    dependencies: list = []
    operations = [migrations.RunPython(create, drop, elidable=False)]
