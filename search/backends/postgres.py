"""PostgreSQL backend: a ``tsvector`` built in Python from the same analysed terms, with a GIN index.

The vector is written as a tsvector literal (no text-search parser involved), so ``lịch_sử`` or
``k_98_kh_tu`` stay one lexeme; head terms carry weight A, page terms the default D.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from typing import Any

from search.backends.sql.backend import OnePass, SqlSearchBackend
from search.backends.sql.rerank import FirstStage
from search.backends.sql.rows import COLUMNS
from search.backends.sql.where import FACET_SQL, boolean_query, chunks
from search.backends.sql.where import marks as _marks
from search.documents import Results, SearchDocument
from search.filters import FACETS
from search.query import ParsedQuery, parse_query
from search.ranking import idf

_TEXT = "TEXT NOT NULL DEFAULT ''"
# Row at a time (one pass, count and facets included) when at most this many rows may match (an upper bound
# from the document frequencies); above, term at a time (see _first_stage).  Measured at 40k passages (bench,
# both ways back to back): row at a time 2.5–26 ms against 20–115 ms term at a time up to 2,000 rows, then
# 81 against 44 ms at 2,000–4,000 (each matching row's vector is detoasted once).
ROW_MAX = 1500
WEIGHTED = 40  # the first stage weighs the first 40 ``should`` terms (the rest only select)
_COLUMN_TYPES = {
    "item_id": "BIGINT NOT NULL", "page": "INTEGER NOT NULL", "unit_id": "BIGINT", "collection_id": "BIGINT",
    "year": "INTEGER", "date_from": "TEXT", "date_to": "TEXT", "unit_path": "TEXT", "collection_path": "TEXT",
}


def _lexeme(term: str) -> str:
    return "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"


def tsvector_literal(head_terms: str, body_terms: str) -> str:
    parts = [f"{_lexeme(t)}:1A" for t in dict.fromkeys(head_terms.split())]
    parts += [_lexeme(t) for t in dict.fromkeys(body_terms.split())]
    return " ".join(parts)


def tsquery_literal(should: list[str], groups: list[list[str]]) -> str:
    return boolean_query(should, groups, term=_lexeme, any_of=" | ", all_of=" & ")


class PostgresBackend(SqlSearchBackend):
    vendor = "postgresql"

    def schema_sql(self) -> list[str]:
        t = self.t
        cols = ", ".join(f"{c} {_COLUMN_TYPES.get(c, _TEXT)}" for c in COLUMNS)
        return [
            f"CREATE TABLE IF NOT EXISTS {t}passage (id BIGSERIAL PRIMARY KEY, {cols}, tsv tsvector NOT NULL)",
            f"CREATE INDEX IF NOT EXISTS {t}passage_item ON {t}passage (item_id, page)",
            f"CREATE INDEX IF NOT EXISTS {t}passage_tsv ON {t}passage USING GIN (tsv)",
            f"CREATE TABLE IF NOT EXISTS {t}df (term TEXT PRIMARY KEY, doc INTEGER NOT NULL)",
            f"CREATE TABLE IF NOT EXISTS {t}stat (key TEXT PRIMARY KEY, value BIGINT NOT NULL)",
        ]

    def drop_sql(self) -> list[str]:
        return [f"DROP TABLE IF EXISTS {self.t}passage", f"DROP TABLE IF EXISTS {self.t}df",
                f"DROP TABLE IF EXISTS {self.t}stat"]

    def _insert(self, rows: list[tuple[Any, ...]], item_ids: list[int]) -> None:
        head_i, body_i = COLUMNS.index("head_terms"), COLUMNS.index("body_terms")
        self.db.executemany(
            f"INSERT INTO {self.t}passage ({', '.join(COLUMNS)}, tsv) VALUES ({_marks(COLUMNS)}, %s::tsvector)",
            [(*row, tsvector_literal(row[head_i], row[body_i])) for row in rows],
        )
        # The passage count (idf's N) kept in the stat table: COUNT(*) on every query cost 16 ms at 40k rows.
        self.db.execute(
            f"INSERT INTO {self.t}stat (key, value) VALUES ('passages', (SELECT COUNT(*) FROM {self.t}passage)) "
            f"ON CONFLICT (key) DO UPDATE SET value = {self.t}stat.value + %s", [len(rows)])

    def _delete_ids(self, ids: list[int]) -> None:
        t = self.t
        for chunk in chunks(ids, 500):
            self.db.execute(
                f"WITH d AS (DELETE FROM {t}passage WHERE item_id IN ({_marks(chunk)}) RETURNING 1) "
                f"UPDATE {t}stat SET value = value - (SELECT COUNT(*) FROM d) WHERE key = 'passages'", list(chunk))

    def passage_count(self) -> int:
        if self._n_passages is None:
            rows = self.db.fetchall(f"SELECT value FROM {self.t}stat WHERE key = 'passages'")
            if rows:
                self._n_passages = int(rows[0][0])
            else:
                self._n_passages = int(self.db.fetchall(f"SELECT COUNT(*) FROM {self.t}passage")[0][0])
                self.db.execute(f"INSERT INTO {self.t}stat (key, value) VALUES ('passages', %s) "
                                f"ON CONFLICT (key) DO NOTHING", [self._n_passages])
        return self._n_passages

    @contextlib.contextmanager
    def _index_scans(self) -> Iterator[None]:
        """Text matches through the GIN index, never a sequential scan: the planner does not price the
        detoasting of every row's tsvector that a sequential scan with ``@@`` costs (1 s at 40k passages for
        an OR of 30 terms that GIN answers in milliseconds without opening a vector)."""
        with self.db.atomic():
            # and no parallel workers: their start-up costs more than these small scans save
            self.db.execute("SET LOCAL enable_seqscan = off; SET LOCAL max_parallel_workers_per_gather = 0")
            try:
                yield
            finally:
                self.db.execute("SET LOCAL enable_seqscan TO DEFAULT; "
                                "SET LOCAL max_parallel_workers_per_gather TO DEFAULT")

    def search(self, query: str | ParsedQuery, **kwargs: Any) -> Results:
        q = parse_query(query) if isinstance(query, str) else query
        if not q.has_text:
            return super().search(q, **kwargs)
        with self._index_scans():
            return super().search(q, **kwargs)

    def clear(self) -> None:
        self.db.execute(f"DELETE FROM {self.t}passage")
        self.db.execute(f"DELETE FROM {self.t}df")
        self.db.execute(f"DELETE FROM {self.t}stat")

    def index(self, docs: Iterable[SearchDocument]) -> int:
        written = super().index(docs)
        # Planner statistics after a bulk load: without them PostgreSQL picks sequential scans over the GIN
        # index (the evaluation measured 364 ms p50 before, see optimize).  Autovacuum catches up later, but
        # only after the first queries.
        self._n_passages = None
        if written >= 1000 and written * 5 >= self.passage_count():
            self.optimize()
        elif written:
            self._refresh_df(grown=2.0)
        return written

    def optimize(self) -> None:
        """Planner statistics, and the GIN pending list merged into the index (a bulk load leaves thousands of
        entries there, scanned linearly by every query until autovacuum gets to them)."""
        self.db.fetchall(f"SELECT gin_clean_pending_list('{self.t}passage_tsv'::regclass)")
        self.db.execute(f"ANALYZE {self.t}passage")
        self._refresh_df(grown=1.0)

    def _refresh_df(self, grown: float) -> None:
        """Document frequencies from ``ts_stat`` (one pass over every vector) when the index has ``grown`` ×
        since the last copy (or changed at all, for ``grown=1``).  Counting them per query instead costs a
        tsquery test per term on every matching row."""
        t = self.t
        n = int(self.db.fetchall(f"SELECT COUNT(*) FROM {t}passage")[0][0])
        last = self.db.fetchall(f"SELECT value FROM {t}stat WHERE key = 'df_passages'")
        if last and (n < grown * last[0][0] or (grown <= 1.0 and n == last[0][0])):
            return
        with self.db.atomic():
            self.db.execute(f"DELETE FROM {t}df")
            self.db.execute(f"INSERT INTO {t}df (term, doc) SELECT word, ndoc FROM ts_stat('SELECT tsv FROM {t}passage')")
            self.db.execute(f"DELETE FROM {t}stat WHERE key = 'df_passages'")
            self.db.execute(f"INSERT INTO {t}stat (key, value) VALUES ('df_passages', %s)", [n])
            self.db.execute(f"DELETE FROM {t}stat WHERE key = 'df_changes'")
            self.db.execute(f"INSERT INTO {t}stat (key, value) SELECT 'df_changes', COALESCE(MAX(value), 0) "
                            f"FROM {t}stat WHERE key = 'changes'")

    def _match(self, groups: list[list[str]], should: list[str], alias: str = "p") -> tuple[str, list[Any]]:
        return f"{alias}.tsv @@ %s::tsquery", [tsquery_literal(should, groups)]

    def _first_stage(self, should: list[str], groups: list[list[str]], where: str, params: list[Any],
                     limit: int, dfs: dict[str, int] | None = None) -> list[tuple[Any, ...]]:
        return self._term_at_a_time(should, groups, where, params, limit, dfs).rows

    def _term_at_a_time(self, should: list[str], groups: list[list[str]], where: str, params: list[Any],
                        limit: int, dfs: dict[str, int] | None = None, *, count: bool = False) -> FirstStage:
        """ts_rank knows no idf: order by the idf-weighted sum of the terms present (head counts 2.5×),
        the same quantity the second stage refines (ts_rank instead loses 5 points of Recall@1 on the
        evaluation set).

        The sum is computed term at a time: one GIN lookup per term (no vector opened: a plain lexeme needs no
        recheck) with the access and filter conditions, summed per row; the required groups are counted in the
        same aggregate (a row matches when it has a ``should`` term and every term of each group).  Row at a time (two ``@@`` per term on each
        matching row's detoasted vector) it cost 0.7 µs a test, 400 ms for an OR of 40 terms over 7,000 rows.
        Page 0 rows hold only head terms (weight A) and other pages only page terms, so "in the head" is
        ``page = 0``."""
        query = tsquery_literal(should, groups)
        n = max(self.passage_count(), 1)
        if should:
            branches: list[str] = []
            bparams: list[Any] = []
            for i, term in enumerate(should):
                w = idf((dfs or {}).get(term, 1), n) if i < 40 else 0.0
                branches.append(f"SELECT p.id, p.item_id, p.page, {w:.4f} AS w, 0 AS g FROM {self.t}passage p "
                                f"WHERE p.tsv @@ %s::tsquery AND {where}")
                bparams += [_lexeme(term), *params]
            having = ["bool_or(h.g = 0)"]
            for k, group in enumerate(groups, 1):
                members = list(dict.fromkeys(group))
                for term in members:
                    branches.append(f"SELECT p.id, p.item_id, p.page, 0 AS w, {k} AS g FROM {self.t}passage p "
                                    f"WHERE p.tsv @@ %s::tsquery AND {where}")
                    bparams += [_lexeme(term), *params]
                having.append(f"COUNT(*) FILTER (WHERE h.g = {k}) = {len(members)}")
            grouped = (f"SELECT h.id, MAX(h.item_id) AS item_id, MAX(h.page) AS page, "
                       f"SUM(h.w) * (CASE WHEN MAX(h.page) = 0 THEN 2.5 ELSE 1 END) AS s "
                       f"FROM ({' UNION ALL '.join(branches)}) h GROUP BY h.id HAVING {' AND '.join(having)}")
            if not count:
                return FirstStage(self.db.fetchall(f"SELECT a.id, a.item_id, a.page FROM ({grouped}) a "
                                                   f"ORDER BY a.s DESC, a.id LIMIT %s", [*bparams, limit]))
            # The matching rows are all in the aggregate already: the item count comes from it too.
            rows = self.db.fetchall(
                f"WITH a AS MATERIALIZED ({grouped}) "
                f"SELECT * FROM (SELECT a.id, a.item_id, a.page FROM a ORDER BY a.s DESC, a.id LIMIT %s) top "
                f"UNION ALL SELECT NULL, COUNT(DISTINCT a.item_id), COUNT(*) FROM a", [*bparams, limit])
            total = next(int(r[1]) for r in rows if r[0] is None)
            return FirstStage([r for r in rows if r[0] is not None], total)
        parts, order_params = [], []
        for term in should[:40]:
            weight = idf((dfs or {}).get(term, 1), n)
            parts.append(f"{weight:.4f} * ((c.v @@ %s::tsquery)::int + 1.5 * (c.v @@ %s::tsquery)::int)")
            order_params += [_lexeme(term), _lexeme(term) + ":A"]
        order = " + ".join(parts) if parts else "ts_rank(c.v, %s::tsquery)"
        if not parts:
            order_params = [query]
        return FirstStage(self.db.fetchall(
            f"SELECT c.id, c.item_id, c.page FROM (SELECT p.id, p.item_id, p.page, p.tsv || ''::tsvector AS v "
            f"FROM {self.t}passage p WHERE p.tsv @@ %s::tsquery AND {where} OFFSET 0) c "
            f"ORDER BY {order} DESC, c.id LIMIT %s",
            [query, *params, *order_params, limit],
        ))

    def _first_stage_counted(self, should: list[str], groups: list[list[str]], where: str, params: list[Any],
                             limit: int, dfs: dict[str, int], *, facets: bool, maybe_broad: bool,
                             words: int = 0) -> FirstStage:
        """A narrow match (at most ROW_MAX rows by its upper bound: the AND of distinctive words, rare terms)
        in one pass: GIN evaluates the whole boolean query, each matching row's vector is opened once
        and tested for each weighted term, and the top ``limit``, the item count and the exact facets come
        from the same materialised rows.  The order is the term-at-a-time one (same idf-weighted sum, same
        ties).  A broad match goes term at a time (:meth:`_first_stage`), counted separately."""
        required = [dfs.get(t, 0) for g in groups for t in g]
        bound = min(required) if required else sum(dfs.get(t, 0) for t in should)
        weighted = should[:WEIGHTED]
        if not should or bound > ROW_MAX:
            return self._term_at_a_time(should, groups, where, params, limit, dfs, count=True)
        n = max(self.passage_count(), 1)
        score = " + ".join(f"{idf(dfs.get(term, 1), n):.4f} * (m.v @@ %s::tsquery)::int" for term in weighted)
        score_params = [_lexeme(term) for term in weighted]
        cols = "p.item_id, p.doc_type, p.issuer, p.year, p.unit_id, p.collection_id, p.access"
        params_out: list[Any] = [tsquery_literal(should, groups), *params, *score_params, limit]
        parts = ["SELECT * FROM (SELECT 'hit', s.id::text, s.item_id, s.page, s.score FROM s "
                 "ORDER BY s.score DESC, s.id LIMIT %s) top",
                 "SELECT 'count', NULL, COUNT(DISTINCT item_id), COUNT(*), NULL FROM m"]
        if facets:
            cond = "(SELECT COUNT(*) FROM m) < %s" if maybe_broad else "TRUE"
            for name in FACETS:
                expr = FACET_SQL[name]
                parts.append(f"SELECT 'f', '{name}:' || COALESCE({expr}, ''), COUNT(*), NULL, NULL FROM d "
                             f"WHERE {cond} GROUP BY {expr}")
                if maybe_broad:
                    params_out.append(limit)
        rows = self.db.fetchall(
            f"WITH m AS MATERIALIZED (SELECT p.id, p.page, {cols}, p.tsv || ''::tsvector AS v "
            f"FROM {self.t}passage p WHERE p.tsv @@ %s::tsquery AND {where}), "
            f"s AS (SELECT m.id, m.item_id, m.page, ({score}) * (CASE WHEN m.page = 0 THEN 2.5 ELSE 1 END) "
            f"AS score FROM m), "
            f"d AS (SELECT DISTINCT item_id, doc_type, issuer, year, unit_id, collection_id, access FROM m) "
            + " UNION ALL ".join(parts), params_out)
        one = OnePass()
        for kind, a, b, c, _score in rows:
            if kind == "hit":
                one.hits.append((int(a), b, c))
            elif kind == "count":
                one.count, one.n_rows = int(b), int(c)
            else:
                name, _, value = a.partition(":")
                one.facet(name, value, b)
        return one.result(facets=facets, maybe_broad=maybe_broad, limit=limit)

    def _live_doc_freq(self, term: str) -> int:
        # one GIN lookup
        return int(self.db.fetchall(f"SELECT COUNT(*) FROM {self.t}passage p WHERE p.tsv @@ %s::tsquery",
                                    [_lexeme(term)])[0][0])
