"""SQLite FTS5 backend.

Three tables per index:

* ``<prefix>passage``: one narrow row per passage (item, page, access, unit, collection, type, issuer, dates):
  everything access, filters and facets read, many rows to a database page;
* ``<prefix>passage_text``: the wide part (title, text, analysed head and page terms), read only for the few
  candidates that are reranked and shown;
* ``<prefix>fts``: an external-content FTS5 index over ``passage_text``'s terms (``detail=full``: with
  ``detail=column`` the index is 20 % smaller but bm25() several times slower).

``<prefix>df`` holds each term's document frequency, copied from ``fts5vocab`` when the index has grown
(FTS5 counts a term's documents by walking its whole posting list: milliseconds per common term).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from search.backends.sql.backend import OnePass, SqlSearchBackend
from search.backends.sql.rerank import FirstStage
from search.backends.sql.rows import COLUMNS, META_COLUMNS, TEXT_COLUMNS
from search.backends.sql.where import FACET_SQL, boolean_query
from search.backends.sql.where import marks as _marks
from search.documents import SearchDocument
from search.filters import FACETS

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

    return boolean_query(should, groups, term=quote, any_of=" OR ", all_of=" AND ")


class SqliteBackend(SqlSearchBackend):
    vendor = "sqlite"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.text_table = f"{self.t}passage_text"

    def schema_sql(self) -> list[str]:
        t = self.t
        meta = ", ".join(f"{c} {_COLUMN_TYPES.get(c, _TEXT)}" for c in META_COLUMNS)
        text = ", ".join(f"{c} {_TEXT}" for c in TEXT_COLUMNS)
        return [
            f"CREATE TABLE IF NOT EXISTS {t}passage (id INTEGER PRIMARY KEY, {meta})",
            f"CREATE INDEX IF NOT EXISTS {t}passage_item ON {t}passage (item_id, page)",
            f"CREATE TABLE IF NOT EXISTS {t}passage_text (id INTEGER PRIMARY KEY, {text})",
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {t}fts USING fts5(head_terms, body_terms, "
            f"content='{t}passage_text', content_rowid='id', "
            f"tokenize=\"unicode61 remove_diacritics 0 tokenchars '_'\")",
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {t}fts_vocab USING fts5vocab('{t}fts', 'row')",
            f"CREATE TABLE IF NOT EXISTS {t}df (term TEXT PRIMARY KEY, doc INTEGER NOT NULL) WITHOUT ROWID",
            f"CREATE TABLE IF NOT EXISTS {t}stat (key TEXT PRIMARY KEY, value INTEGER NOT NULL)",
        ]

    def drop_sql(self) -> list[str]:
        t = self.t
        return [f"DROP TABLE IF EXISTS {t}fts_vocab", f"DROP TABLE IF EXISTS {t}fts",
                f"DROP TABLE IF EXISTS {t}passage_text", f"DROP TABLE IF EXISTS {t}passage",
                f"DROP TABLE IF EXISTS {t}df", f"DROP TABLE IF EXISTS {t}stat"]

    def _insert(self, rows: list[tuple[Any, ...]], item_ids: list[int]) -> None:
        t = self.t
        if not rows:
            return
        first = int(self.db.fetchall(f"SELECT COALESCE(MAX(id), 0) FROM {t}passage")[0][0]) + 1
        meta_i = [COLUMNS.index(c) for c in META_COLUMNS]
        text_i = [COLUMNS.index(c) for c in TEXT_COLUMNS]
        head_i, body_i = COLUMNS.index("head_terms"), COLUMNS.index("body_terms")
        self.db.executemany(
            f"INSERT INTO {t}passage (id, {', '.join(META_COLUMNS)}) VALUES (%s, {_marks(META_COLUMNS)})",
            [(first + n, *(row[i] for i in meta_i)) for n, row in enumerate(rows)])
        self.db.executemany(
            f"INSERT INTO {t}passage_text (id, {', '.join(TEXT_COLUMNS)}) VALUES (%s, {_marks(TEXT_COLUMNS)})",
            [(first + n, *(row[i] for i in text_i)) for n, row in enumerate(rows)])
        self.db.executemany(
            f"INSERT INTO {t}fts (rowid, head_terms, body_terms) VALUES (%s, %s, %s)",
            [(first + n, row[head_i], row[body_i]) for n, row in enumerate(rows)])

    def _delete_terms(self, item_ids: list[int]) -> None:
        t = self.t
        ids = f"SELECT id FROM {t}passage WHERE item_id IN ({_marks(item_ids)})"
        self.db.execute(
            f"INSERT INTO {t}fts ({t}fts, rowid, head_terms, body_terms) SELECT 'delete', id, head_terms, "
            f"body_terms FROM {t}passage_text WHERE id IN ({ids})", item_ids)
        self.db.execute(f"DELETE FROM {t}passage_text WHERE id IN ({ids})", item_ids)

    def index(self, docs: Iterable[SearchDocument]) -> int:
        written = super().index(docs)
        if written:
            self._refresh_df(grown=2.0)
        return written

    def clear(self) -> None:
        with self.db.atomic():
            self.db.execute(f"DELETE FROM {self.t}passage")
            self.db.execute(f"DELETE FROM {self.t}passage_text")
            self.db.execute(f"INSERT INTO {self.t}fts ({self.t}fts) VALUES ('delete-all')")
            self.db.execute(f"DELETE FROM {self.t}df")
            self.db.execute(f"DELETE FROM {self.t}stat")

    def optimize(self) -> None:
        self.db.execute(f"INSERT INTO {self.t}fts ({self.t}fts) VALUES ('optimize')")
        self._refresh_df(grown=1.0)
        self.db.execute("PRAGMA optimize")

    def _refresh_df(self, grown: float) -> None:
        """Copy document frequencies from fts5vocab when the index has ``grown`` × since the last copy (or
        changed at all, for ``grown=1``)."""
        t = self.t
        n = int(self.db.fetchall(f"SELECT COUNT(*) FROM {t}passage")[0][0])
        last = self.db.fetchall(f"SELECT value FROM {t}stat WHERE key = 'df_passages'")
        if last and (n < grown * last[0][0] or (grown <= 1.0 and n == last[0][0])):
            return
        with self.db.atomic():
            self.db.execute(f"DELETE FROM {t}df")
            self.db.execute(f"INSERT INTO {t}df (term, doc) SELECT term, doc FROM {t}fts_vocab")
            self.db.execute(f"INSERT OR REPLACE INTO {t}stat (key, value) VALUES ('df_passages', %s)", [n])
            self.db.execute(f"INSERT OR REPLACE INTO {t}stat (key, value) SELECT 'df_changes', COALESCE(MAX(value), 0) "
                            f"FROM {t}stat WHERE key = 'changes'")

    def _match(self, groups: list[list[str]], should: list[str], alias: str = "p") -> tuple[str, list[Any]]:
        return (f"{alias}.id IN (SELECT rowid FROM {self.t}fts WHERE {self.t}fts MATCH %s)",
                [fts_expression(should, groups)])

    def _first_stage(self, should: list[str], groups: list[list[str]], where: str, params: list[Any],
                     limit: int, dfs: dict[str, int] | None = None) -> list[tuple[Any, ...]]:
        t = self.t
        w_head, w_body = BM25_WEIGHTS
        return self.db.fetchall(
            f"SELECT p.id, p.item_id, p.page FROM {t}fts JOIN {t}passage p ON p.id = {t}fts.rowid "
            f"WHERE {t}fts MATCH %s AND {where} ORDER BY bm25({t}fts, {w_head}, {w_body}) LIMIT %s",
            [fts_expression(should, groups), *params, limit],
        )

    def _first_stage_counted(self, should: list[str], groups: list[list[str]], where: str, params: list[Any],
                             limit: int, dfs: dict[str, int], *, facets: bool, maybe_broad: bool) -> FirstStage:
        """The first stage, the count and the exact facets in one pass over the match: the matching rows that
        pass ``where`` are materialised once with their bm25 score and facet columns, then the top ``limit``,
        the number of items and the facet counts are read from them (two passes over the FTS index, one for
        the candidates and one for the count, cost twice as much).  Facets are left out when the match may
        be broad (``maybe_broad``) and fills ``limit``: the caller then counts them over the candidates."""
        t = self.t
        w_head, w_body = BM25_WEIGHTS
        cols = "p.item_id, p.doc_type, p.issuer, p.year, p.unit_id, p.collection_id, p.access"
        params_out: list[Any] = [fts_expression(should, groups), *params, limit]
        parts = ["SELECT * FROM (SELECT 'hit', id, item_id, page, s FROM m ORDER BY s LIMIT %s)",
                 "SELECT 'count', COUNT(DISTINCT item_id), COUNT(*), NULL, NULL FROM m"]
        if facets:
            cond = "1 = 1"
            if maybe_broad:
                cond = "(SELECT COUNT(*) FROM m) < %s"
            for name in FACETS:
                expr = FACET_SQL[name]
                parts.append(f"SELECT 'f', '{name}', {expr}, COUNT(*), NULL FROM d WHERE {cond} GROUP BY {expr}")
                if maybe_broad:
                    params_out.append(limit)
        rows = self.db.fetchall(
            f"WITH m AS MATERIALIZED (SELECT p.id, p.page, {cols}, bm25({t}fts, {w_head}, {w_body}) AS s "
            f"FROM {t}fts JOIN {t}passage p ON p.id = {t}fts.rowid WHERE {t}fts MATCH %s AND {where}), "
            f"d AS (SELECT DISTINCT item_id, doc_type, issuer, year, unit_id, collection_id, access FROM m) "
            + " UNION ALL ".join(parts), params_out)
        scored: list[tuple[float, tuple[Any, ...]]] = []
        one = OnePass()
        for kind, a, b, c, score in rows:
            if kind == "hit":
                scored.append((score, (a, b, c)))
            elif kind == "count":
                one.count, one.n_rows = int(a), int(b)
            else:
                one.facet(a, b, c)
        scored.sort(key=lambda h: h[0])  # stable: ties keep the engine's order
        one.hits = [h[1] for h in scored]
        return one.result(facets=facets, maybe_broad=maybe_broad, limit=limit)

    def _live_doc_freq(self, term: str) -> int:
        # fts5vocab uses an equality constraint on term (not IN): one lookup each.
        rows = self.db.fetchall(f"SELECT doc FROM {self.t}fts_vocab WHERE term = %s", [term])
        return int(rows[0][0]) if rows else 0
