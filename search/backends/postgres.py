"""PostgreSQL backend: a ``tsvector`` built in Python from the same analysed terms, with a GIN index.

Schema and writes here (COPY, exact document frequencies); bulk loads in :mod:`search.backends.postgres_load`;
the first stage's three paths in :mod:`search.backends.postgres_rank`.

The vectors are written from the analysed terms (:mod:`search.backends.postgres_vectors`): head terms carry
weight A, page terms the default D.
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections import Counter
from collections.abc import Iterable, Iterator
from typing import Any

from django.db import DatabaseError

from search.backends.postgres_load import BUILD_MEMORY, DF_FLUSH, MERGE_ROWS, PostgresBulkLoad
from search.backends.postgres_load import GIN_INDEXES as GIN_INDEXES  # the tests' (and bench's) name for them
from search.backends.postgres_rank import (
    PAIR_ROWS,
    PAIRS,
    ROW_MAX,
    SAMPLE_BUCKETS,
    SAMPLE_FILTER_FROM,
    SAMPLE_ROWS,
    SMALL_INDEX,
    PostgresFirstStage,
    lexeme,
    tsquery_literal,
)
from search.backends.postgres_sample import PostgresSample
from search.backends.postgres_vectors import VectorRows, vector_rows
from search.backends.sql.connection import DjangoDb
from search.backends.sql.facets import BUCKETS, ITEM_HASH
from search.backends.sql.heads import HEADS_TABLES
from search.backends.sql.rows import COLUMNS, META_COLUMNS, TEXT_COLUMNS
from search.backends.sql.where import chunks
from search.backends.sql.where import marks as _marks
from search.documents import Results, SearchDocument
from search.query import ParsedQuery, parse_query

_TEXT = "TEXT NOT NULL DEFAULT ''"
_COLUMN_TYPES = {
    "id": "BIGINT", "tsv": "TSVECTOR",
    "item_id": "BIGINT NOT NULL", "page": "INTEGER NOT NULL", "unit_id": "BIGINT", "collection_id": "BIGINT",
    "year": "INTEGER", "date_from": "TEXT", "date_to": "TEXT", "unit_path": "TEXT", "collection_path": "TEXT",
}


# An item's sample bucket (sql.facets.bucket_sql, stored): computed by the database (a generated column).
BUCKET_SQL = f"mod(item_id * {ITEM_HASH}, {BUCKETS})::smallint"
log = logging.getLogger("sulieu.search")
# Processes analysing a load while this one writes (SQL backend's ANALYSIS_PROCESSES, 0 there): on PostgreSQL
# the server's work is a third process, so two analysing processes keep both cores busy (stop 18).
ANALYSIS_PROCESSES = 2 if (os.cpu_count() or 1) > 1 else 0
# gin_pending_list_limit and work_mem of a bulk load's batches (GIN index kept): the pending list is merged into
# the index when it reaches the limit, in steps of work_mem, one index update per distinct term and step; at
# 4MB (the default) a merge came every batch or two (stop 19).
BULK_PENDING = "64MB"


def _pg_type(column: str) -> str:
    return _COLUMN_TYPES.get(column, _TEXT).split()[0].lower()


class PostgresBackend(PostgresSample, PostgresFirstStage, PostgresBulkLoad):
    vendor = "postgresql"
    row_terms = True
    # Vectors and term counts built where the batch is analysed: with ANALYSIS_PROCESSES, in that process
    # (stop 18: the writing process then sends rows only, and unpickles no term lists).
    prepare_rows = staticmethod(vector_rows)

    db: DjangoDb  # COPY and the read connection's settings: Django's PostgreSQL connection only
    bucket_expr = "p.bucket"  # stored (BUCKET_SQL)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not isinstance(self.db, DjangoDb):
            raise TypeError("the PostgreSQL search backend works on a Django database connection")
        self.text_table = f"{self.t}passage_text"
        self._bulk = False  # inside bulk(): no GIN index to merge, document frequencies written at the end
        self._bulk_df: Counter[str] = Counter()  # the load's committed batches' terms, not yet in the df table
        self._batch_df: Counter[str] | None = None
        self._bulk_items: set[int] = set()
        self.df_flush = int(self.options.get("DF_FLUSH", DF_FLUSH))
        self.build_memory = str(self.options.get("BUILD_MEMORY", BUILD_MEMORY))
        self.merge_rows = int(self.options.get("MERGE_ROWS", MERGE_ROWS))  # 0: merged at the end only
        self.bulk_pending = self._size("BULK_PENDING", str(self.options.get("BULK_PENDING", BULK_PENDING)))
        # the first stage's sizes (postgres_rank); SAMPLE_ROWS 0: broad matches term at a time
        for name, default in (("ROW_MAX", ROW_MAX), ("SMALL_INDEX", SMALL_INDEX), ("SAMPLE_ROWS", SAMPLE_ROWS),
                              ("RARE_ROWS", ROW_MAX), ("PAIRS", PAIRS), ("PAIR_ROWS", PAIR_ROWS),
                              ("SAMPLE_FILTER_FROM", SAMPLE_FILTER_FROM)):
            setattr(self, name.lower(), int(self.options.get(name, default)))
        # Stop 18, 100,000 passages on 2 cores: the analysis in two other processes, the GIN index kept up to
        # date by the server during the load (its pending list flushed by the COPYing backend, on the core the
        # analysis leaves) instead of built alone at the end: 815 → 1,549 passages/s wall.
        self.analysis_processes = int(self.options.get("ANALYSIS_PROCESSES", ANALYSIS_PROCESSES))
        self.keep_gin = self.flag("BULK_KEEP_GIN", self.analysis_processes > 0)

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
            # browsing without text: the items (head rows) newest first, with what the access condition reads
            f"CREATE INDEX IF NOT EXISTS {t}passage_date ON {t}passage (date_from DESC NULLS LAST, item_id) "
            f"INCLUDE (access, unit_id, unit_path) WHERE page = 0",
            # ... and a sample of them (a range of buckets) with their filters' and facets' columns: a filtered
            # listing's facets from an index-only scan (1 M rows: 1.3 s → 20 ms, bench/search/RESULTS.md stop 21)
            f"CREATE INDEX IF NOT EXISTS {t}passage_sample ON {t}passage (bucket) INCLUDE (item_id, access, unit_id, "
            f"unit_path, doc_type, doc_type_code, doc_type_key, issuer, issuer_code, issuer_key, year, collection_id) "
            f"WHERE page = 0",
            f"CREATE INDEX IF NOT EXISTS {t}passage_tsv ON {t}passage USING GIN (tsv)",
            *(f"CREATE INDEX IF NOT EXISTS {t}passage_tsv_b{n} ON {t}passage USING GIN (tsv) WHERE bucket < {n}"
              for n in SAMPLE_BUCKETS),
            f"CREATE TABLE IF NOT EXISTS {t}passage_text (id BIGINT PRIMARY KEY, {text})",
            f"CREATE TABLE IF NOT EXISTS {t}df (term TEXT PRIMARY KEY, doc INTEGER NOT NULL)",
            f"CREATE TABLE IF NOT EXISTS {t}stat (key TEXT PRIMARY KEY, value BIGINT NOT NULL)",
            *(sql.format(t=t) for sql in HEADS_TABLES),
        ]

    def drop_sql(self) -> list[str]:
        t = self.t
        return [f"DROP TABLE IF EXISTS {t}passage", f"DROP TABLE IF EXISTS {t}passage_text",
                f"DROP TABLE IF EXISTS {t}df", f"DROP TABLE IF EXISTS {t}stat", f"DROP TABLE IF EXISTS {t}heads"]

    def _insert(self, rows: list[tuple[Any, ...]], item_ids: list[int]) -> None:
        """The rows by COPY (ids drawn from the sequence first, so that both tables get them), and each term's
        document frequency counted up in the same transaction (the df table is exact at every commit) — or,
        inside :meth:`bulk`, kept in this process and written once at its end."""
        t = self.t
        if not rows:
            return
        if self._bulk:
            # A crash loses at most the last batches, each whole (rows, text and passage count commit together;
            # the load's document frequencies are counted again after a crash, see bulk): the load need not
            # wait for each commit to reach the disk.  The GIN index's pending list (if kept) merged in fewer,
            # larger steps: see BULK_PENDING.
            self.db.execute(f"SET LOCAL synchronous_commit = off; SET LOCAL gin_pending_list_limit = "
                            f"'{self.bulk_pending}'; SET LOCAL work_mem = '{self.bulk_pending}'")
        batch = rows if isinstance(rows, VectorRows) else vector_rows(rows)  # see prepare_rows
        ids = [r[0] for r in self.db.fetchall(
            f"SELECT nextval(pg_get_serial_sequence('{t}passage', 'id')) FROM generate_series(1, %s)", [len(rows)])]
        meta_i = [COLUMNS.index(c) for c in META_COLUMNS]
        text_i = [COLUMNS.index(c) for c in TEXT_COLUMNS]
        columns = ("id", *META_COLUMNS, "tsv")
        self._copy(f"{t}passage", columns,
                   [(i, *(row[k] for k in meta_i), row[-1]) for i, row in zip(ids, batch, strict=True)],
                   types=[_pg_type(c) for c in columns])
        self._copy(f"{t}passage_text", ("id", *TEXT_COLUMNS),
                   [(i, *(row[k] for k in text_i)) for i, row in zip(ids, batch, strict=True)],
                   types=["bigint", *(["text"] * len(TEXT_COLUMNS))])
        if self._bulk:  # when the batch's transaction is nested in an outer one (else its end undoes SET LOCAL)
            self.db.execute("SET LOCAL gin_pending_list_limit TO DEFAULT; SET LOCAL work_mem TO DEFAULT")
        counts = batch.counts
        if self._bulk:
            self._batch_df = counts  # added to the load's counts once this batch is committed (_write_batch)
        else:
            self._add_df(counts)
        # The passage count (idf's N) kept in the stat table: COUNT(*) on every query cost 16 ms at 40k rows.
        # Counted up when the row is there (counting every row of the table on each batch grew with the index).
        if not self.db.fetchall(f"UPDATE {t}stat SET value = value + %s WHERE key = 'passages' RETURNING 1",
                                [len(rows)]):
            self.db.execute(f"INSERT INTO {t}stat (key, value) SELECT 'passages', COUNT(*) FROM {t}passage "
                            f"ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value")

    def _delete_ids(self, ids: list[int]) -> None:
        """The rows of these items, their text, and their terms' document frequencies counted down.  Through the
        (item_id, page) index and the text table's key: a table being loaded has no statistics, so that the
        planner read a list of 500 ids as the whole table and scanned it (stop 19: a tenth of a load's server
        time at 100k passages, growing with the table).  Items not in the index (a first load's) are found so
        by one probe of that index, and nothing else is run for them (stop 20)."""
        t = self.t
        self.db.execute("SET LOCAL enable_seqscan = off")  # the caller's transaction (_write_batch, delete)
        for chunk in chunks(ids, 500):
            # ts_stat takes a query string: the ids are integers written into it
            listed = ", ".join(str(int(i)) for i in chunk)
            if not self.db.fetchall(f"SELECT 1 FROM {t}passage WHERE item_id IN ({listed}) LIMIT 1"):
                continue  # new items (a first load): one probe of the item index instead of three statements
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
        self.db.execute("SET LOCAL enable_seqscan TO DEFAULT")

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
        self.clear_heads()

    def index(self, docs: Iterable[SearchDocument]) -> int:
        written = super().index(docs)
        # Planner statistics after a bulk load: without them PostgreSQL picks sequential scans over the GIN
        # index (the evaluation measured 364 ms p50 before, see optimize).  Autovacuum catches up later, but
        # only after the first queries.
        self._n_passages = None
        if written >= 1000 and written * 5 >= self.passage_count() and not self._bulk:
            self.optimize()
        return written

    def _compress_lz4(self) -> None:
        """The vectors and the text table's columns compressed with lz4 instead of pglz (stop 16, 16,000 rows:
        COPY of the text table 1.5–2.0 → 0.9–1.0 s, of the vectors 3.1 → 2.5–2.9 s; 12 % larger text, 9 %
        smaller vectors).  Values written before keep pglz (both read alike).  Skipped on a server built
        without lz4 (the ALTER fails: undone, nothing else changes)."""
        t = self.t
        wide = [(f"{t}passage", "tsv"), *((f"{t}passage_text", c) for c in TEXT_COLUMNS)]
        todo = [(table, column) for table, column in wide if self.db.fetchall(
            "SELECT 1 FROM pg_attribute WHERE attrelid = %s::regclass AND attname = %s AND attcompression <> 'l'",
            [table, column])]
        if not todo:
            return
        try:
            with self.db.atomic():
                for table in dict.fromkeys(table for table, _ in todo):
                    columns = ", ".join(f"ALTER COLUMN {c} SET COMPRESSION lz4" for tb, c in todo if tb == table)
                    self.db.execute(f"ALTER TABLE {table} {columns}")
        except DatabaseError as exc:  # "compression method lz4 not supported"
            log.warning("search: lz4 compression not available (%s); the index keeps pglz", exc)

    def ensure_schema(self) -> None:
        """The tables and indexes (idempotent), the wide columns compressed with lz4; after a killed bulk load,
        every term's document frequency counted again (see :meth:`bulk`)."""
        super().ensure_schema()
        self._compress_lz4()
        if not self._bulk and self.db.fetchall(f"SELECT 1 FROM {self.t}stat WHERE key = 'df_pending'"):
            with self.db.atomic():
                self.rebuild_df()
                self.db.execute(f"DELETE FROM {self.t}stat WHERE key = 'df_pending'")

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
