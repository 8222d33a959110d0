"""PostgreSQL: the wide columns (title, text, analysed terms) move to ``passage_text`` so that the rows the GIN
index points at are narrow (a broad match visits every matching row: 3× less time at 200,000 passages, see
bench/search/RESULTS.md), and the document-frequency table is counted once more, exactly (every write keeps
it exact from now on).  SQLite: nothing (its passage table has been narrow since 0002)."""

from django.db import migrations


def forward(apps, schema_editor):
    from search.backends.postgres import PostgresBackend
    from search.backends.sql.connection import DjangoDb
    from search.backends.sql.rows import TEXT_COLUMNS

    db = DjangoDb(schema_editor.connection.alias)
    if db.vendor != "postgresql":
        return
    backend = PostgresBackend({}, db=db)
    t = backend.t
    cols = {r[0] for r in db.fetchall(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() "
        "AND table_name = %s", [f"{t}passage"])}
    backend.ensure_schema()
    if "text" in cols:
        db.execute(f"INSERT INTO {t}passage_text (id, {', '.join(TEXT_COLUMNS)}) "
                   f"SELECT id, {', '.join(TEXT_COLUMNS)} FROM {t}passage")
        db.execute(f"ALTER TABLE {t}passage " + ", ".join(f"DROP COLUMN {c}" for c in TEXT_COLUMNS))
        db.execute(f"CLUSTER {t}passage USING {t}passage_pkey")  # rewritten without the dropped columns
    backend.rebuild_df()
    db.execute(f"ANALYZE {t}passage")


class Migration(migrations.Migration):
    dependencies = [("sulieu_search", "0004_best_passage_lists")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop, elidable=False)]
