"""PostgreSQL backend: a ``tsvector`` built in Python from the same analysed terms, with a GIN index.

Schema and writes here (COPY, exact document frequencies, bulk loads); the first stage's three paths in
:mod:`search.backends.postgres_rank`.

The vector is written as a tsvector literal (no text-search parser involved), so ``lịch_sử`` or
``k_98_kh_tu`` stay one lexeme; head terms carry weight A, page terms the default D.
"""

from __future__ import annotations

import contextlib
from collections import Counter
from collections.abc import Iterable, Iterator
from typing import Any

from search.backends.postgres_rank import (
    PAIRS,
    ROW_MAX,
    SAMPLE_ROWS,
    SMALL_INDEX,
    PostgresFirstStage,
    lexeme,
    tsquery_literal,
)
from search.backends.sql.backend import SqlSearchBackend
from search.backends.sql.connection import DjangoDb
from search.backends.sql.rows import COLUMNS, META_COLUMNS, TEXT_COLUMNS
from search.backends.sql.where import chunks
from search.backends.sql.where import marks as _marks
from search.documents import Results, SearchDocument
from search.query import ParsedQuery, parse_query

_TEXT = "TEXT NOT NULL DEFAULT ''"
_COLUMN_TYPES = {
    "item_id": "BIGINT NOT NULL", "page": "INTEGER NOT NULL", "unit_id": "BIGINT", "collection_id": "BIGINT",
    "year": "INTEGER", "date_from": "TEXT", "date_to": "TEXT", "unit_path": "TEXT", "collection_path": "TEXT",
}


# An item's sample bucket, 0–1023 (postgres_rank.BUCKETS): the item id times an odd number, modulo 1,024, so
# that any 1,024 consecutive items fill every bucket once.  Computed by the database (a generated column).
BUCKET_SQL = "mod(item_id * 40503, 1024)::smallint"


def tsvector_literal(head_terms: Iterable[str], body_terms: Iterable[str]) -> str:
    """Distinct terms (as given) written as a tsvector: head terms with weight A."""
    head, body = list(head_terms), list(body_terms)
    if any("'" in t or "\\" in t for t in (*head, *body)):
        return " ".join([f"{lexeme(t)}:1A" for t in head] + [lexeme(t) for t in body])
    # nothing to escape (the usual case): one join per part
    parts = ["'" + "':1A '".join(head) + "':1A"] if head else []
    if body:
        parts.append("'" + "' '".join(body) + "'")
    return " ".join(parts)


class PostgresBackend(PostgresFirstStage, SqlSearchBackend):
    vendor = "postgresql"

    db: DjangoDb  # COPY and the read connection's settings: Django's PostgreSQL connection only

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not isinstance(self.db, DjangoDb):
            raise TypeError("the PostgreSQL search backend works on a Django database connection")
        self.text_table = f"{self.t}passage_text"
        self._bulk = False  # inside bulk(): no GIN index to merge
        self.row_max = int(self.options.get("ROW_MAX", ROW_MAX))
        self.small_index = int(self.options.get("SMALL_INDEX", SMALL_INDEX))
        self.sample_rows = int(self.options.get("SAMPLE_ROWS", SAMPLE_ROWS))  # 0: broad matches term at a time
        self.rare_rows = int(self.options.get("RARE_ROWS", ROW_MAX))
        self.pairs = int(self.options.get("PAIRS", PAIRS))

    def schema_sql(self) -> list[str]:
        t = self.t
        meta = ", ".join(f"{c} {_COLUMN_TYPES.get(c, _TEXT)}" for c in META_COLUMNS)
        text = ", ".join(f"{c} {_TEXT}" for c in TEXT_COLUMNS)
        return [
            f"CREATE TABLE IF NOT EXISTS {t}passage (id BIGSERIAL PRIMARY KEY, {meta}, tsv tsvector NOT NULL, "
            f"bucket SMALLINT GENERATED ALWAYS AS ({BUCKET_SQL}) STORED)",
            # an index made before the buckets (migration 0006): the column added, the table rewritten once
            f"ALTER TABLE {t}passage ADD COLUMN IF NOT EXISTS bucket SMALLINT GENERATED ALWAYS AS ({BUCKET_SQL}) STORED",
            f"CREATE INDEX IF NOT EXISTS {t}passage_item ON {t}passage (item_id, page)",
            f"CREATE INDEX IF NOT EXISTS {t}passage_bucket ON {t}passage (bucket)",
            f"CREATE INDEX IF NOT EXISTS {t}passage_tsv ON {t}passage USING GIN (tsv)",
            f"CREATE TABLE IF NOT EXISTS {t}passage_text (id BIGINT PRIMARY KEY, {text})",
            f"CREATE TABLE IF NOT EXISTS {t}df (term TEXT PRIMARY KEY, doc INTEGER NOT NULL)",
            f"CREATE TABLE IF NOT EXISTS {t}stat (key TEXT PRIMARY KEY, value BIGINT NOT NULL)",
        ]

    def drop_sql(self) -> list[str]:
        t = self.t
        return [f"DROP TABLE IF EXISTS {t}passage", f"DROP TABLE IF EXISTS {t}passage_text",
                f"DROP TABLE IF EXISTS {t}df", f"DROP TABLE IF EXISTS {t}stat"]

    def _insert(self, rows: list[tuple[Any, ...]], item_ids: list[int]) -> None:
        """The rows by COPY (ids drawn from the sequence first, so that both tables get them), and each term's
        document frequency counted up in the same transaction (the df table is exact at every commit)."""
        t = self.t
        if not rows:
            return
        ids = [r[0] for r in self.db.fetchall(
            f"SELECT nextval(pg_get_serial_sequence('{t}passage', 'id')) FROM generate_series(1, %s)", [len(rows)])]
        meta_i = [COLUMNS.index(c) for c in META_COLUMNS]
        text_i = [COLUMNS.index(c) for c in TEXT_COLUMNS]
        head_i, body_i = COLUMNS.index("head_terms"), COLUMNS.index("body_terms")
        vectors = []
        counts: Counter[str] = Counter()
        for row in rows:
            head, body = dict.fromkeys(row[head_i].split()), dict.fromkeys(row[body_i].split())
            counts.update(head.keys() | body.keys())
            vectors.append(tsvector_literal(head, body))
        self._copy(f"{t}passage", ("id", *META_COLUMNS, "tsv"),
                   [(i, *(row[k] for k in meta_i), v) for i, row, v in zip(ids, rows, vectors, strict=True)])
        self._copy(f"{t}passage_text", ("id", *TEXT_COLUMNS),
                   [(i, *(row[k] for k in text_i)) for i, row in zip(ids, rows, strict=True)])
        terms = sorted(counts)  # one lock order for concurrent writers
        self.db.execute(
            f"INSERT INTO {t}df (term, doc) SELECT * FROM unnest(%s::text[], %s::int[]) "
            f"ON CONFLICT (term) DO UPDATE SET doc = {t}df.doc + EXCLUDED.doc", [terms, [counts[w] for w in terms]])
        # The passage count (idf's N) kept in the stat table: COUNT(*) on every query cost 16 ms at 40k rows.
        self.db.execute(
            f"INSERT INTO {t}stat (key, value) VALUES ('passages', (SELECT COUNT(*) FROM {t}passage)) "
            f"ON CONFLICT (key) DO UPDATE SET value = {t}stat.value + %s", [len(rows)])

    def _copy(self, table: str, columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
        self.db.copy(table, columns, rows)

    def _delete_ids(self, ids: list[int]) -> None:
        """The rows of these items, their text, and their terms' document frequencies counted down."""
        t = self.t
        for chunk in chunks(ids, 500):
            # ts_stat takes a query string: the ids are integers written into it
            listed = ", ".join(str(int(i)) for i in chunk)
            gone = [r[0] for r in self.db.fetchall(
                f"WITH u AS (UPDATE {t}df SET doc = {t}df.doc - s.ndoc "
                f"FROM ts_stat('SELECT tsv FROM {t}passage WHERE item_id IN ({listed})') s "
                f"WHERE {t}df.term = s.word RETURNING {t}df.term, {t}df.doc) SELECT term FROM u WHERE doc <= 0")]
            if gone:
                self.db.execute(f"DELETE FROM {t}df WHERE term = ANY(%s)", [gone])
            self.db.execute(f"DELETE FROM {t}passage_text WHERE id IN (SELECT id FROM {t}passage "
                            f"WHERE item_id IN ({_marks(chunk)}))", list(chunk))
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
        # and no parallel workers: their start-up costs more than these small scans save
        setup = "SET LOCAL enable_seqscan = off; SET LOCAL max_parallel_workers_per_gather = 0"
        reset = "SET LOCAL enable_seqscan TO DEFAULT; SET LOCAL max_parallel_workers_per_gather TO DEFAULT"
        with self.db.read_settings(setup, reset):  # on the connection the reads use (the replica's, if there)
            yield

    def search(self, query: str | ParsedQuery, **kwargs: Any) -> Results:
        q = parse_query(query) if isinstance(query, str) else query
        if not q.has_text:
            return super().search(q, **kwargs)
        with self._index_scans():
            return super().search(q, **kwargs)

    def clear(self) -> None:
        for table in ("passage", "passage_text", "df", "stat"):
            self.db.execute(f"DELETE FROM {self.t}{table}")

    def index(self, docs: Iterable[SearchDocument]) -> int:
        written = super().index(docs)
        # Planner statistics after a bulk load: without them PostgreSQL picks sequential scans over the GIN
        # index (the evaluation measured 364 ms p50 before, see optimize).  Autovacuum catches up later, but
        # only after the first queries.
        self._n_passages = None
        if written >= 1000 and written * 5 >= self.passage_count() and not self._bulk:
            self.optimize()
        return written

    @contextlib.contextmanager
    def bulk(self) -> Iterator[None]:
        """The GIN index dropped while the rows are loaded and built once at the end (sorted: 4 s for 16,000
        passages, where keeping it up to date row by row cost the COPY 10–16 s; bench/search/RESULTS.md).
        Text queries meanwhile scan the table: meant for ``reindex`` and first loads.  An interrupted load
        leaves the index missing until ``ensure_schema`` (every migrate, every reindex) makes it again."""
        self.db.execute(f"DROP INDEX IF EXISTS {self.t}passage_tsv")
        self._bulk = True
        try:
            yield
        finally:
            self._bulk = False
            self.ensure_schema()
        self.optimize()

    def optimize(self) -> None:
        """Planner statistics, and the GIN pending list merged into the index (a bulk load leaves thousands of
        entries there, scanned linearly by every query until autovacuum gets to them)."""
        self.db.fetchall(f"SELECT gin_clean_pending_list('{self.t}passage_tsv'::regclass)")
        self.db.execute(f"ANALYZE {self.t}passage")

    def doc_freqs(self, terms: list[str]) -> dict[str, int]:
        """Passages holding each term, from the df table (exact: every write counts its terms in and out)."""
        out: dict[str, int] = {}
        for chunk in chunks(terms, 400):
            # the number of passages comes with them (one round trip less per search)
            for term, doc in self.db.fetchall(
                    f"SELECT term, doc FROM {self.t}df WHERE term = ANY(%s) AND doc > 0 "
                    f"UNION ALL SELECT NULL, value FROM {self.t}stat WHERE key = 'passages'", [list(chunk)]):
                if term is None:
                    self._n_passages = int(doc)
                else:
                    out[term] = int(doc)
        return out

    def rebuild_df(self) -> None:
        """Every term's document frequency counted again from the vectors (one pass over all of them): for an
        index written before the df table was kept exact (migration ``0005``)."""
        t = self.t
        with self.db.atomic():
            self.db.execute(f"DELETE FROM {t}df")
            self.db.execute(f"INSERT INTO {t}df (term, doc) SELECT word, ndoc FROM ts_stat('SELECT tsv FROM {t}passage')")

    def _match(self, groups: list[list[str]], should: list[str], alias: str = "p") -> tuple[str, list[Any]]:
        return f"{alias}.tsv @@ %s::tsquery", [tsquery_literal(should, groups)]

    def _live_doc_freq(self, term: str) -> int:
        # one GIN lookup
        return int(self.db.fetchall(f"SELECT COUNT(*) FROM {self.t}passage p WHERE p.tsv @@ %s::tsquery",
                                    [lexeme(term)])[0][0])
