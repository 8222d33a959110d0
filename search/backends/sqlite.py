"""SQLite FTS5 backend: an external-content FTS5 table over the analysed terms of ``<prefix>passage``."""

from __future__ import annotations

from search.backends.base import COLUMNS, SqlSearchBackend, _chunks, _marks

_TEXT = "TEXT NOT NULL DEFAULT ''"
_COLUMN_TYPES = {
    "item_id": "INTEGER NOT NULL", "page": "INTEGER NOT NULL", "unit_id": "INTEGER", "collection_id": "INTEGER",
    "year": "INTEGER", "date_from": "TEXT", "date_to": "TEXT", "unit_path": "TEXT", "collection_path": "TEXT",
}
# First stage only: head terms weigh more than a page's (the second stage decides the order).
BM25_WEIGHTS = (4.0, 1.0)


def fts_expression(should: list[str], groups: list[list[str]]) -> str:
    """An FTS5 query: any of ``should``, and all terms of every group. Terms are quoted (no operators)."""
    def quote(term: str) -> str:
        return '"' + term.replace('"', '""') + '"'

    parts = []
    if should:
        parts.append("(" + " OR ".join(quote(t) for t in should) + ")")
    for group in groups:
        parts.append("(" + " AND ".join(quote(t) for t in group) + ")")
    return " AND ".join(parts)


class SqliteBackend(SqlSearchBackend):
    vendor = "sqlite"

    def schema_sql(self) -> list[str]:
        t = self.t
        cols = ", ".join(f"{c} {_COLUMN_TYPES.get(c, _TEXT)}" for c in COLUMNS)
        return [
            f"CREATE TABLE IF NOT EXISTS {t}passage (id INTEGER PRIMARY KEY, {cols})",
            f"CREATE INDEX IF NOT EXISTS {t}passage_item ON {t}passage (item_id, page)",
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {t}fts USING fts5(head_terms, body_terms, content='{t}passage', "
            f"content_rowid='id', tokenize=\"unicode61 remove_diacritics 0 tokenchars '_'\")",
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {t}fts_vocab USING fts5vocab('{t}fts', 'row')",
        ]

    def drop_sql(self) -> list[str]:
        t = self.t
        return [f"DROP TABLE IF EXISTS {t}fts_vocab", f"DROP TABLE IF EXISTS {t}fts",
                f"DROP TABLE IF EXISTS {t}passage"]

    def _insert(self, rows: list[tuple], item_ids: list[int]) -> None:
        t = self.t
        self.db.executemany(f"INSERT INTO {t}passage ({', '.join(COLUMNS)}) VALUES ({_marks(COLUMNS)})", rows)
        for chunk in _chunks(item_ids, 500):
            self.db.execute(
                f"INSERT INTO {t}fts (rowid, head_terms, body_terms) SELECT id, head_terms, body_terms "
                f"FROM {t}passage WHERE item_id IN ({_marks(chunk)})", chunk)

    def _delete_terms(self, item_ids: list[int]) -> None:
        t = self.t
        self.db.execute(
            f"INSERT INTO {t}fts ({t}fts, rowid, head_terms, body_terms) SELECT 'delete', id, head_terms, "
            f"body_terms FROM {t}passage WHERE item_id IN ({_marks(item_ids)})", item_ids)

    def clear(self) -> None:
        with self.db.atomic():
            self.db.execute(f"DELETE FROM {self.t}passage")
            self.db.execute(f"INSERT INTO {self.t}fts ({self.t}fts) VALUES ('delete-all')")

    def optimize(self) -> None:
        self.db.execute(f"INSERT INTO {self.t}fts ({self.t}fts) VALUES ('optimize')")

    def _match(self, groups: list[list[str]], should: list[str], alias: str = "p") -> tuple[str, list]:
        return (f"{alias}.id IN (SELECT rowid FROM {self.t}fts WHERE {self.t}fts MATCH %s)",
                [fts_expression(should, groups)])

    def _first_stage(self, should: list[str], groups: list[list[str]], where: str, params: list,
                     limit: int, dfs: dict[str, int] | None = None) -> list[tuple]:
        t = self.t
        w_head, w_body = BM25_WEIGHTS
        return self.db.fetchall(
            f"SELECT p.id, p.item_id, p.page FROM {t}fts JOIN {t}passage p ON p.id = {t}fts.rowid "
            f"WHERE {t}fts MATCH %s AND {where} ORDER BY bm25({t}fts, {w_head}, {w_body}) LIMIT %s",
            [fts_expression(should, groups), *params, limit],
        )

    def doc_freqs(self, terms: list[str]) -> dict[str, int]:
        out: dict[str, int] = {}
        for chunk in _chunks(terms, 400):
            for term, doc in self.db.fetchall(
                    f"SELECT term, doc FROM {self.t}fts_vocab WHERE term IN ({_marks(chunk)})", chunk):
                out[term] = int(doc)
        return out
