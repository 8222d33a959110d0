"""SQLite: split the passage table into a narrow one (filters, facets) and ``passage_text`` (wide columns),
and a document-frequency snapshot.  Existing rows are kept (the FTS index is
rebuilt from them).  PostgreSQL: the document-frequency
snapshot, planner statistics."""

from django.db import migrations


def forward(apps, schema_editor):
    from search.backends.sql.connection import DjangoDb
    from search.backends.sql.rows import COLUMNS, META_COLUMNS, TEXT_COLUMNS
    from search.backends.postgres import PostgresBackend
    from search.backends.sqlite import SqliteBackend

    db = DjangoDb(schema_editor.connection.alias)
    if db.vendor == "postgresql":
        backend = PostgresBackend({}, db=db)
        backend.ensure_schema()
        backend.optimize()
        return
    if db.vendor != "sqlite":
        return
    backend = SqliteBackend({}, db=db)
    t = backend.t
    cols = [r[1] for r in db.fetchall(f"PRAGMA table_info({t}passage)")]
    if "head_terms" not in cols:
        backend.ensure_schema()
        return
    db.execute(f"DROP TABLE IF EXISTS {t}fts_vocab")
    db.execute(f"DROP TABLE IF EXISTS {t}fts")
    db.execute(f"DROP INDEX IF EXISTS {t}passage_item")
    db.execute(f"ALTER TABLE {t}passage RENAME TO {t}passage_old")
    backend.ensure_schema()
    assert set(COLUMNS) == set(META_COLUMNS) | set(TEXT_COLUMNS)
    db.execute(f"INSERT INTO {t}passage (id, {', '.join(META_COLUMNS)}) "
               f"SELECT id, {', '.join(META_COLUMNS)} FROM {t}passage_old")
    db.execute(f"INSERT INTO {t}passage_text (id, {', '.join(TEXT_COLUMNS)}) "
               f"SELECT id, {', '.join(TEXT_COLUMNS)} FROM {t}passage_old")
    db.execute(f"DROP TABLE {t}passage_old")
    db.execute(f"INSERT INTO {t}fts ({t}fts) VALUES ('rebuild')")
    backend._refresh_df(grown=1.0)


class Migration(migrations.Migration):
    dependencies = [("sulieu_search", "0001_search_index")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop, elidable=False)]
