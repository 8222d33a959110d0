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

``<prefix>top`` holds, for every term in more than ``TOP_DF`` passages, its ``TOP_N`` best passages and their
bm25 contribution (a "champion list"), once the index holds ``LISTS_MIN`` passages: built by
:meth:`SqliteBackend.optimize`, and in the background after ``sulieu reindex`` (a bulk load leaves them out)
and whenever a quarter of the index is newer than the lists (:meth:`~SqliteBackend.refresh_due`, ``search.tasks.refresh_index``): ~80 CPU-s at 200,000
passages, written one term per transaction into a new table swapped in at the end (ingest is never locked out).

FTS5 computes bm25() for every matching row before it can take the top K: at 200,000 passages a one-word
query such as "và" (108,000 matches) spent ~200 ms there while walking the match costs ~7 ms.  A broad OR
match (estimated above ``FACET_EXACT`` passages) of a query of at most ``TOP_WORDS`` words is ranked from the
lists instead: the lists' rows, plus the rows of its terms without a list (scored by FTS5 and given the lists'
contributions), plus every row written since the lists were built (scored by FTS5 on the whole query).  bm25 is a sum over the query's terms, so a row found in every
list it belongs to gets exactly the score of the full query; rows outside a term's list lose that term's
part (the classic champion-list approximation: bench/search/RESULTS.md measures what it changes).  The
count of such a match is exact up to ``COUNT_ROWS`` passages and estimated beyond (``count_approximate``).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from search.backends.sql.backend import SqlSearchBackend
from search.backends.sql.facets import OnePass, bucket_sql
from search.backends.sql.heads import HEADS_TABLES
from search.backends.sql.rerank import FirstStage
from search.backends.sql.rows import COLUMNS, META_COLUMNS, TEXT_COLUMNS
from search.backends.sql.where import FACET_SQL
from search.backends.sql.where import marks as _marks
from search.backends.sqlite_lists import (
    BM25_WEIGHTS,
    TOP_DF,
    TOP_N,
    TOP_RARE,
    TOP_TABLE,
    TOP_TAIL,
    BestPassageLists,
    fts_expression,
)
from search.documents import SearchDocument
from search.filters import FACETS

_TEXT = "TEXT NOT NULL DEFAULT ''"
_COLUMN_TYPES = {
    "item_id": "INTEGER NOT NULL", "page": "INTEGER NOT NULL", "unit_id": "INTEGER", "collection_id": "INTEGER",
    "year": "INTEGER", "date_from": "TEXT", "date_to": "TEXT", "unit_path": "TEXT", "collection_path": "TEXT",
}
_FACET_COLUMNS = ("doc_type", "issuer", "year", "unit_id", "collection_id", "access")  # what FACET_SQL reads
LISTS_MIN = 20000  # below this many passages no lists (broad matches are cheap to rank exactly; stop 15)
BULK_CRISISMERGE = 64  # segments of one level that force a merge during a bulk load (FTS5's default: 16)
TOP_WORDS = 2  # queries of at most this many words (folded) may be ranked from the lists
COUNT_ROWS = 4000  # a broad match is counted exactly up to this many passages, estimated beyond
COUNT_WINDOWS = 32  # ... read in this many equal ranges of passage ids (200,000 passages, 14 broad queries:
#                     8 ranges of 250 rows: mean error 8 %, max 28 %; 32 of 125: mean 2 %, max 4 %, +2.5 ms)


class SqliteBackend(BestPassageLists, SqlSearchBackend):
    vendor = "sqlite"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.text_table = f"{self.t}passage_text"
        self.top_df = int(self.options.get("TOP_DF", TOP_DF))
        self.top_n = int(self.options.get("TOP_N", TOP_N))
        self.top_rare = int(self.options.get("TOP_RARE", TOP_RARE))
        self.count_rows = int(self.options.get("COUNT_ROWS", COUNT_ROWS))
        self.count_windows = int(self.options.get("COUNT_WINDOWS", COUNT_WINDOWS))
        self.lists_min = int(self.options.get("LISTS_MIN", LISTS_MIN))

    def schema_sql(self) -> list[str]:
        t = self.t
        meta = ", ".join(f"{c} {_COLUMN_TYPES.get(c, _TEXT)}" for c in META_COLUMNS)
        text = ", ".join(f"{c} {_TEXT}" for c in TEXT_COLUMNS)
        return [
            f"CREATE TABLE IF NOT EXISTS {t}passage (id INTEGER PRIMARY KEY, {meta})",
            f"CREATE INDEX IF NOT EXISTS {t}passage_item ON {t}passage (item_id, page)",
            # browsing without text: the items (head rows) newest first (NULLs last, as DESC orders them), with
            # what the access condition reads
            f"CREATE INDEX IF NOT EXISTS {t}passage_date ON {t}passage (date_from DESC, item_id, access, unit_id, "
            f"unit_path) WHERE page = 0",
            # ... and by item bucket (sql.facets.bucket_sql) with the filters' and facets' columns: a filtered
            # listing's sampled facets read from one range of it (1 M rows: 190 → 20 ms, RESULTS.md stop 21)
            f"CREATE INDEX IF NOT EXISTS {t}passage_sample ON {t}passage ({bucket_sql('item_id')}, item_id, access, "
            f"unit_id, unit_path, doc_type, doc_type_code, doc_type_key, issuer, issuer_code, issuer_key, year, "
            f"collection_id) WHERE page = 0",
            f"CREATE TABLE IF NOT EXISTS {t}passage_text (id INTEGER PRIMARY KEY, {text})",
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {t}fts USING fts5(head_terms, body_terms, "
            f"content='{t}passage_text', content_rowid='id', "
            f"tokenize=\"unicode61 remove_diacritics 0 tokenchars '_'\")",
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {t}fts_vocab USING fts5vocab('{t}fts', 'row')",
            f"CREATE TABLE IF NOT EXISTS {t}df (term TEXT PRIMARY KEY, doc INTEGER NOT NULL) WITHOUT ROWID",
            f"CREATE TABLE IF NOT EXISTS {t}stat (key TEXT PRIMARY KEY, value INTEGER NOT NULL)",
            TOP_TABLE.format(name=f"{t}top"),
            *(sql.format(t=t) for sql in HEADS_TABLES),
        ]

    def ensure_schema(self) -> None:
        """The tables (idempotent), and FTS5's merge settings back to its defaults if a killed bulk load left
        its own (``bulk`` sets them back on any other way out)."""
        super().ensure_schema()
        config = dict(self.db.fetchall(f"SELECT k, v FROM {self.t}fts_config WHERE k IN ('automerge', 'crisismerge')"))
        if config.get("automerge", 4) != 4 or config.get("crisismerge", 16) != 16:
            self._fts_config("automerge", 4)
            self._fts_config("crisismerge", 16)

    def drop_sql(self) -> list[str]:
        t = self.t
        return [f"DROP TABLE IF EXISTS {t}fts_vocab", f"DROP TABLE IF EXISTS {t}fts",
                f"DROP TABLE IF EXISTS {t}passage_text", f"DROP TABLE IF EXISTS {t}passage",
                f"DROP TABLE IF EXISTS {t}df", f"DROP TABLE IF EXISTS {t}stat", f"DROP TABLE IF EXISTS {t}top",
                f"DROP TABLE IF EXISTS {t}top_new", f"DROP TABLE IF EXISTS {t}heads"]

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
            self.db.execute(f"DELETE FROM {self.t}top")
            self.clear_heads()

    @contextlib.contextmanager
    def bulk(self, *, lists: bool = False) -> Iterator[None]:
        """A load: no FTS5 merges while it runs (``automerge`` 0, a crisis merge at ``BULK_CRISISMERGE``
        segments), then one by :meth:`optimize`; FTS5's defaults again at the end, also after an interruption
        (stop 15: -9 % of the SQL time at 40,000 passages; after ``optimize`` the index is one segment).

        The best-passage lists are not built here unless ``lists`` (stop 16: they were 44 % of the CPU time of
        a 200,000-passage load): the load drops any old ones, so that every query takes the exact first stage
        (the results of an index without lists), and :meth:`refresh_due` is then true: ``sulieu reindex``
        queues ``search.tasks.refresh_index``, which builds them in the background."""
        self._fts_config("automerge", 0)
        self._fts_config("crisismerge", BULK_CRISISMERGE)
        try:
            yield
        finally:
            self._fts_config("automerge", 4)
            self._fts_config("crisismerge", 16)
        self.optimize(lists=lists)

    def _fts_config(self, key: str, value: int) -> None:
        self.db.execute(f"INSERT INTO {self.t}fts ({self.t}fts, rank) VALUES (%s, %s)", [key, value])

    def optimize(self, *, lists: bool = True) -> None:
        """FTS5 segments merged, document frequencies renewed, and the best-passage lists built from
        ``lists_min`` passage ids (stop 15: below, they cost 40 % of a build and speed up nothing); with
        ``lists`` False they are dropped instead (for :meth:`refresh` to build later)."""
        self.db.execute(f"INSERT INTO {self.t}fts ({self.t}fts) VALUES ('optimize')")
        self._refresh_df(grown=1.0)
        _built, first, last = self._id_range()
        if lists and first is not None and last is not None and last - first + 1 >= self.lists_min:
            self.build_top_lists()
        else:
            self.drop_top_lists()
        self.db.execute("PRAGMA optimize")

    def drop_top_lists(self) -> None:  # every query then takes the exact first stage
        with self.db.atomic():
            self.db.execute(f"DELETE FROM {self.t}top")
            self.db.execute(f"DELETE FROM {self.t}stat WHERE key = 'top_max_id'")

    def refresh_due(self) -> bool:
        """The lists are due when the index spans ``lists_min`` passage ids and more than half of ``TOP_TAIL``
        of it is newer than both the lists and the last request (so they are rebuilt before they go unused)."""
        t = self.t
        built, first, last = self._id_range()
        if first is None or last is None or last - first + 1 < self.lists_min:  # the id span, not a COUNT(*)
            return False
        asked = self.db.fetchall(f"SELECT value FROM {t}stat WHERE key = 'top_asked'")
        mark = max(built or 0, int(asked[0][0]) if asked else 0)
        if last - mark <= TOP_TAIL / 2 * (last - first + 1):
            return False
        self.db.execute(f"INSERT OR REPLACE INTO {t}stat (key, value) VALUES ('top_asked', %s)", [last])
        return True

    def refresh(self, progress: Callable[[int, int], None] | None = None) -> None:
        with self.db.atomic():
            self._refresh_df(grown=1.0)
        self.build_top_lists(progress)

    def _refresh_df(self, grown: float) -> None:
        """Copy document frequencies from fts5vocab when the index has ``grown`` × since the last copy (or
        changed at all — written, replaced or deleted — for ``grown=1``)."""
        t = self.t
        n = int(self.db.fetchall(f"SELECT COUNT(*) FROM {t}passage")[0][0])
        state = dict(self.db.fetchall(
            f"SELECT key, value FROM {t}stat WHERE key IN ('df_passages', 'changes', 'df_changes')"))
        if "df_passages" in state:
            if grown > 1.0 and n < grown * state["df_passages"]:
                return
            if grown <= 1.0 and state.get("changes", 0) == state.get("df_changes"):
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
                             limit: int, dfs: dict[str, int], *, facets: bool, maybe_broad: bool,
                             words: int = 0) -> FirstStage:
        """The first stage, the count and the exact facets in one pass over the match: the matching rows that
        pass ``where`` are materialised once (id, page, item, bm25 score; with exact facets also the item's
        facet columns, which every row of an item carries), then the top ``limit`` and the number of items are
        read from them (two passes over the FTS index, one for the candidates and one for the count, cost
        twice as much), and the facets in one GROUP BY of the same rows.  Facets are left out when the match
        may be broad (``maybe_broad``): the caller then counts them over the candidates when the match fills
        ``limit``, else exactly in a second (small) pass."""
        t = self.t
        w_head, w_body = BM25_WEIGHTS
        if maybe_broad and not groups and 0 < words <= TOP_WORDS:
            stage = self._first_stage_top(should, where, params, limit, dfs)
            if stage is not None:
                return stage
        params_out: list[Any] = [fts_expression(should, groups), *params, limit]
        hit = "SELECT * FROM (SELECT 'hit', id, item_id, page, s{pad} FROM m ORDER BY s LIMIT %s)"
        one = OnePass()
        exact_facets = facets and not maybe_broad
        if exact_facets:
            # One GROUP BY over the matching rows by every facet value at once (every row of an item carries
            # the item's fields, so an item is in one group): its items and rows summed give the count, and
            # each facet value's items (stop 17: real questions 6.4 → 5.2 ms where seven GROUP BYs over the
            # matching items' head rows read the passage table again).
            exprs = [FACET_SQL[name] for name in FACETS]
            pad = ", NULL" * len(exprs)
            rows = self.db.fetchall(
                f"WITH m AS MATERIALIZED (SELECT p.id, p.page, p.item_id, bm25({t}fts, {w_head}, {w_body}) AS s, "
                f"{', '.join('p.' + c for c in _FACET_COLUMNS)} "
                f"FROM {t}fts JOIN {t}passage p ON p.id = {t}fts.rowid WHERE {t}fts MATCH %s AND {where}) "
                + hit.format(pad=pad) + f" UNION ALL SELECT 'g', COUNT(DISTINCT item_id), COUNT(*), NULL, NULL, "
                f"{', '.join(exprs)} FROM m GROUP BY {', '.join(exprs)}", params_out)
            scored: list[tuple[float, tuple[Any, ...]]] = []
            for kind, a, b, c, score, *values in rows:
                if kind == "hit":
                    scored.append((score, (a, b, c)))
                else:
                    one.group(a, b, values)
        else:
            rows = self.db.fetchall(
                f"WITH m AS MATERIALIZED (SELECT p.id, p.page, p.item_id, bm25({t}fts, {w_head}, {w_body}) AS s "
                f"FROM {t}fts JOIN {t}passage p ON p.id = {t}fts.rowid WHERE {t}fts MATCH %s AND {where}) "
                + hit.format(pad="") + " UNION ALL SELECT 'count', COUNT(DISTINCT item_id), COUNT(*), NULL, NULL FROM m",
                params_out)
            scored = []
            for kind, a, b, c, score in rows:
                if kind == "hit":
                    scored.append((score, (a, b, c)))
                else:
                    one.count, one.n_rows = int(a), int(b)
        scored.sort(key=lambda h: h[0])  # stable: ties keep the engine's order
        one.hits = [h[1] for h in scored]
        return one.result(facets=exact_facets, maybe_broad=maybe_broad, limit=limit)

    def _finds_at_least(self, should: list[str], groups: list[list[str]], where: str, params: list[Any],
                        n: int) -> bool:
        """Whether ``n`` rows match and pass ``where``: the match walked without bm25 and stopped at ``n``
        (0.1–0.3 ms where ranking, counting and faceting the same match costs 1 ms and more)."""
        t = self.t
        rows = self.db.fetchall(
            f"SELECT COUNT(*) FROM (SELECT 1 FROM {t}fts JOIN {t}passage p ON p.id = {t}fts.rowid "
            f"WHERE {t}fts MATCH %s AND {where} LIMIT %s)", [fts_expression(should, groups), *params, n])
        return int(rows[0][0]) >= n

    def _live_doc_freq(self, term: str) -> int:
        # fts5vocab uses an equality constraint on term (not IN): one lookup each.
        rows = self.db.fetchall(f"SELECT doc FROM {self.t}fts_vocab WHERE term = %s", [term])
        return int(rows[0][0]) if rows else 0
