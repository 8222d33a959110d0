"""SQLite's best-passage lists ("champion lists", see :mod:`search.backends.sqlite`): built per common term,
used to rank a short broad OR match, and the sampled count of such a match."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from search.backends.sql.connection import Db
from search.backends.sql.rerank import FirstStage
from search.backends.sql.where import boolean_query
from search.backends.sql.where import marks as _marks

# First stage only: head terms weigh more than a page's (the second stage decides the order).
BM25_WEIGHTS = (4.0, 1.0)
TOP_DF = 1000  # terms in more passages than this get a list of their best passages
TOP_N = 400  # passages per list
TOP_RARE = 5000  # at most this many passages of the query's terms without a list are scored by FTS5
TOP_TAIL = 0.5  # lists are used while the rows written since they were built are at most this share

TOP_TABLE = ("CREATE TABLE IF NOT EXISTS {name} (term TEXT NOT NULL, id INTEGER NOT NULL, s REAL NOT NULL, "
              "PRIMARY KEY (term, id)) WITHOUT ROWID")


def quote(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def fts_expression(should: list[str], groups: list[list[str]]) -> str:
    """An FTS5 query: any of ``should``, and all terms of every group. Terms are quoted (no operators)."""
    return boolean_query(should, groups, term=quote, any_of=" OR ", all_of=" AND ")


class BestPassageLists:
    """Mixed into :class:`search.backends.sqlite.SqliteBackend`; needs what it declares below."""

    db: Db
    t: str
    top_df: int
    top_n: int
    top_rare: int
    count_rows: int
    count_windows: int

    def build_top_lists(self, progress: Callable[[int, int], None] | None = None) -> int:
        """Each common term's best ``top_n`` passages by its bm25 contribution (the same weights as the first
        stage), over the passages written so far; returns the number of terms.  Written into a new table one
        term per transaction and swapped in at the end (other writers wait milliseconds, not a minute).
        ``progress(done, total)`` is called after each term."""
        t = self.t
        w_head, w_body = BM25_WEIGHTS
        built = int(self.db.fetchall(f"SELECT COALESCE(MAX(id), 0) FROM {t}passage")[0][0])
        self.db.execute(f"DROP TABLE IF EXISTS {t}top_new")
        self.db.execute(TOP_TABLE.format(name=f"{t}top_new"))
        terms = [r[0] for r in self.db.fetchall(f"SELECT term FROM {t}df WHERE doc > %s", [self.top_df])]
        for done, term in enumerate(terms, 1):
            with self.db.atomic():
                self.db.execute(
                    f"INSERT INTO {t}top_new (term, id, s) SELECT %s, rowid, bm25({t}fts, {w_head}, {w_body}) AS s "
                    f"FROM {t}fts WHERE {t}fts MATCH %s AND rowid <= %s ORDER BY s LIMIT %s",
                    [term, quote(term), built, self.top_n])
            if progress is not None:
                progress(done, len(terms))
        with self.db.atomic():
            self.db.execute(f"DROP TABLE IF EXISTS {t}top")
            self.db.execute(f"ALTER TABLE {t}top_new RENAME TO {t}top")
            self.db.execute(f"INSERT OR REPLACE INTO {t}stat (key, value) VALUES ('top_max_id', %s)", [built])
        return len(terms)

    def _first_stage_top(self, should: list[str], where: str, params: list[Any], limit: int,
                         dfs: dict[str, int]) -> FirstStage | None:
        """A broad OR match (a query of at most ``TOP_WORDS`` words) ranked from the best-passage lists (see
        the module's docstring) and counted on a sample; None when the lists cannot serve it (no lists built,
        too many rows written since, a term without a list too common to score directly, or fewer than
        ``limit`` candidates pass ``where``).

        Longer queries keep the exact first stage: their answers hold several mid-frequency words, each
        outside that word's list (measured at 200,000 passages: R@1 38.8 → 25.8 on the bench's questions
        with lists alone; giving such rows the lists' weakest score kept R@1 but cost as much as FTS5)."""
        t = self.t
        w_head, w_body = BM25_WEIGHTS
        terms = list(dict.fromkeys(should))
        built, first, last = self._id_range()
        if not built or first is None or last is None or last - built > TOP_TAIL * (last - first + 1):
            return None
        listed = [r[0] for r in self.db.fetchall(
            f"SELECT DISTINCT term FROM {t}top WHERE term IN ({_marks(terms)})", terms)]
        rare = [x for x in terms if x not in listed]
        if not listed or sum(dfs.get(x, 0) for x in rare) > self.top_rare:
            return None
        parts = [f"SELECT id, s FROM {t}top WHERE term IN ({_marks(listed)})"]
        args: list[Any] = [*listed]
        if rare:
            parts.append(f"SELECT rowid, bm25({t}fts, {w_head}, {w_body}) FROM {t}fts "
                         f"WHERE {t}fts MATCH %s AND rowid <= %s")
            args += [fts_expression(rare, []), built]
        full = fts_expression(terms, [])
        parts.append(f"SELECT rowid, bm25({t}fts, {w_head}, {w_body}) FROM {t}fts WHERE {t}fts MATCH %s AND rowid > %s")
        args += [full, built]
        rows = self.db.fetchall(
            f"WITH u AS (SELECT id, SUM(s) AS s FROM ({' UNION ALL '.join(parts)}) GROUP BY id) "
            f"SELECT p.id, p.item_id, p.page FROM u JOIN {t}passage p ON p.id = u.id WHERE {where} "
            f"ORDER BY u.s, p.id LIMIT %s", [*args, *params, limit])
        if len(rows) < limit:
            return None
        count, approximate = self._count_sample(full, where, params, first, last)
        return FirstStage(rows, count, None, approximate)

    def _id_range(self) -> tuple[int | None, int | None, int | None]:
        """(last passage id the lists cover, first passage id, last passage id); None where there is none."""
        t = self.t
        state = self.db.fetchall(
            f"SELECT (SELECT value FROM {t}stat WHERE key = 'top_max_id'), (SELECT MIN(id) FROM {t}passage), "
            f"(SELECT MAX(id) FROM {t}passage)")[0]  # two subqueries: MIN and MAX together would scan
        built, first, last = (int(v) if v is not None else None for v in state)
        return built, first, last

    def _count_sample(self, match: str, where: str, params: list[Any], first: int, last: int) -> tuple[int, bool]:
        """Items of the match that pass ``where``, counted in ``count_windows`` equal ranges of passage ids:
        in each, the first ``count_rows / count_windows`` matching rows (consecutive rows: an item's passages
        are consecutive); a range not read to its end is scaled by the share of it that was read.  Exact
        (one query over every match) when no range was cut short; otherwise rounded to two digits."""
        t = self.t
        per = max(1, self.count_rows // self.count_windows)
        span = (last - first + 1) / self.count_windows
        bounds = [(first + round(k * span), first + round((k + 1) * span) - 1) for k in range(self.count_windows)]
        sql = (f"SELECT * FROM (SELECT %s, p.id, p.item_id FROM {t}fts CROSS JOIN {t}passage p "
               f"ON p.id = {t}fts.rowid WHERE {t}fts MATCH %s AND {t}fts.rowid BETWEEN %s AND %s AND {where} "
               f"ORDER BY {t}fts.rowid LIMIT %s)")
        args: list[Any] = []
        for k, (lo, hi) in enumerate(bounds):
            args += [k, match, lo, hi, *params, per]
        runs: list[list[tuple[int, int]]] = [[] for _ in bounds]
        for k, row_id, item_id in self.db.fetchall(" UNION ALL ".join([sql] * len(bounds)), args):
            runs[k].append((row_id, item_id))
        seen = len({item for run in runs for _row, item in run})
        if all(len(run) < per for run in runs):
            return seen, False
        estimate = 0.0
        for (lo, hi), run in zip(bounds, runs, strict=True):
            items = len({item for _row, item in run})
            estimate += items if len(run) < per else items * (hi - lo + 1) / (run[-1][0] - lo + 1)
        return max(seen, int(float(f"{estimate:.2g}"))), True
