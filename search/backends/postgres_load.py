"""PostgreSQL bulk loads and the write path's shared parts: document frequencies counted in this process and
written at the end, the GIN indexes kept or dropped and built again, and the end of a load on two server
processes.

The whole GIN index's pending list (the GIN index kept during a load) is merged on a second connection
(:class:`Beside`, a thread's own): during the load every ``MERGE_ROWS`` rows or more (one merge at a time; the
COPYing backend skips its own merge while one runs), and at the end while this connection writes the document
frequencies, merges the partial indexes and runs ``ANALYZE``.  Each of those is one server process's work on one
core, and the whole index's merge was the end's longest (stop 20, the real corpus 4×, 12,104 rows, all of them
pending at the end: merge 0.55–0.8 s, ``ANALYZE`` 0.13–0.2, df 0.13–0.2, the partial indexes 0.07).  The merge
locks the index only, and conflicts with none of the others (``ANALYZE`` takes SHARE UPDATE EXCLUSIVE on the
table).  A load whose connection is inside a transaction merges on that connection, at the end.
"""

from __future__ import annotations

import contextlib
import re
import threading
from collections import Counter
from collections.abc import Iterable, Iterator
from typing import Any

from django.db import connections

from search.backends.postgres_rank import SAMPLE_BUCKETS
from search.backends.postgres_vectors import VectorDumper
from search.backends.sql.backend import SqlSearchBackend
from search.backends.sql.connection import DjangoDb

DF_COPY_MIN = 20000  # more distinct terms than this: written by COPY (into a staging table when df has rows)
DF_FLUSH = 2_000_000  # a bulk load writes its terms' counts part-way when it holds this many (memory)
# the whole GIN index, and the partial ones over the first buckets (postgres_rank.SAMPLE_BUCKETS)
GIN_INDEXES = ("passage_tsv", *(f"passage_tsv_b{n}" for n in SAMPLE_BUCKETS))
BUILD_MEMORY = "256MB"  # maintenance_work_mem for the GIN build at the end of a bulk load
# A load with the GIN index kept, on a connection not inside a transaction: the whole index's pending list merged
# on a second connection when this many rows were written since the last merge began (one merge at a time),
# the step growing with the load to half of the rows written by then, at most MERGE_MAX_ROWS (stop 20).
MERGE_ROWS = 4000
MERGE_MAX_ROWS = 32000


class Beside:
    """One statement at a time run on a second connection to ``db``'s database (a thread's own), while this one
    goes on: :meth:`start` it, :meth:`join` it (a failure of the statement is raised there)."""

    def __init__(self, db: DjangoDb, sql: str) -> None:
        self.db, self.sql = db, sql
        self.thread: threading.Thread | None = None
        self.failed: list[BaseException] = []

    def start(self) -> bool:
        """Started, unless the last one still runs."""
        if self.thread is not None and self.thread.is_alive():
            return False
        self.join()
        self.thread = threading.Thread(target=self._run, name="sulieu-search-beside", daemon=True)
        self.thread.start()
        return True

    def _run(self) -> None:
        second = connections[self.db.alias]  # this thread's own connection
        try:
            with second.cursor() as cur:
                cur.execute(self.sql)
        except BaseException as exc:  # noqa: BLE001 - raised in the caller's thread
            self.failed.append(exc)
        finally:
            second.close()

    def join(self) -> None:
        if self.thread is not None:
            self.thread.join()
            self.thread = None
        if self.failed:
            raise self.failed.pop()


@contextlib.contextmanager
def beside(db: DjangoDb, sql: str) -> Iterator[bool]:
    """``sql`` run on a second connection (:class:`Beside`) while the block runs on this one; yields whether it
    does.  Not when this connection is inside a transaction (the second one would not see its uncommitted
    tables and rows, or would wait for its locks): the caller then runs ``sql`` itself.  A failure of ``sql``
    is raised at the end of the block."""
    if db.connection.in_atomic_block:
        yield False
        return
    second = Beside(db, sql)
    second.start()
    try:
        yield True
    finally:
        if second.thread is not None:
            second.thread.join()
    second.join()


class PostgresBulkLoad(SqlSearchBackend):
    """The bulk-load half of :class:`search.backends.postgres.PostgresBackend`."""

    db: DjangoDb
    keep_gin: bool
    df_flush: int
    build_memory: str
    _bulk: bool
    _bulk_df: Counter[str]
    _batch_df: Counter[str] | None
    _bulk_items: set[int]
    merge_rows: int
    _merger: Beside | None = None
    _loaded = 0  # rows written by this load
    _merged_at = 0  # ... when the last merge began

    def _add_df(self, counts: Counter[str]) -> None:
        """Each term's document frequency counted up by ``counts`` (in the caller's transaction)."""
        t = self.t
        if not counts:
            return
        terms = sorted(counts)  # one lock order for concurrent writers
        if len(terms) < DF_COPY_MIN:
            self.db.execute(
                f"INSERT INTO {t}df (term, doc) SELECT * FROM unnest(%s::text[], %s::int[]) "
                f"ON CONFLICT (term) DO UPDATE SET doc = {t}df.doc + EXCLUDED.doc", [terms, [counts[w] for w in terms]])
            return
        with self.db.atomic():
            if not self.db.fetchall(f"SELECT 1 FROM {t}df LIMIT 1"):  # a first load: straight in
                self._copy(f"{t}df", ("term", "doc"), ((w, counts[w]) for w in terms))
                return
            self.db.execute(f"CREATE TEMPORARY TABLE {t}df_load (term TEXT NOT NULL, doc INTEGER NOT NULL) "
                            f"ON COMMIT DROP")
            self._copy(f"{t}df_load", ("term", "doc"), ((w, counts[w]) for w in terms))
            self.db.execute(f"INSERT INTO {t}df (term, doc) SELECT term, doc FROM {t}df_load ORDER BY term "
                            f"ON CONFLICT (term) DO UPDATE SET doc = {t}df.doc + EXCLUDED.doc")
            self.db.execute(f"DROP TABLE {t}df_load")

    def _write_batch(self, ids: list[int], rows: list[tuple[Any, ...]]) -> int:
        if not self._bulk:
            return super()._write_batch(ids, rows)
        if self._bulk_df and not self._bulk_items.isdisjoint(ids):
            self._flush_df()  # an item written twice in one load: its first rows' terms counted before removal
        written = super()._write_batch(ids, rows)
        self._bulk_items.update(ids)
        self._loaded += written
        step = max(self.merge_rows, min(MERGE_MAX_ROWS, self._merged_at // 2))
        if self._merger is not None and self._loaded - self._merged_at >= step and self._merger.start():
            self._merged_at = self._loaded
        if self._batch_df is not None:
            self._bulk_df.update(self._batch_df)  # committed: its terms count
            self._batch_df = None
            if len(self._bulk_df) >= self.df_flush:  # memory bounded: written part-way
                self._flush_df()
        return written

    def _flush_df(self) -> None:
        with self.db.atomic():
            self._add_df(self._bulk_df)
        self._bulk_df = Counter()

    def _copy(self, table: str, columns: tuple[str, ...], rows: Iterable[tuple[Any, ...]],
              types: list[str] | None = None) -> None:
        """COPY in text format, or in binary with the columns' ``types`` (a ``tsvector`` column's values from
        :func:`tsvector_binary`)."""
        if types is None:
            self.db.copy(table, columns, rows)
        else:
            self.db.copy(table, columns, rows, types=types, dumpers=[VectorDumper])

    @contextlib.contextmanager
    def bulk(self, *, lists: bool = False) -> Iterator[None]:
        """Without analysis processes, the GIN index dropped while the rows are loaded and built once at the end
        (sorted: 4 s for 16,000 passages, where keeping it up to date row by row cost the COPY 10–16 s;
        bench/search/RESULTS.md), with ``BUILD_MEMORY`` of maintenance_work_mem.  With them (the default on 2+
        cores, ``BULK_KEEP_GIN``) it is kept: its upkeep is the server's, on the core the analysis leaves,
        while the build at the end had that core to itself (stop 18); its pending list is merged on a second
        connection during the load and at its end (stop 20, see the module).  The load's document frequencies
        counted in this process
        and written once at the end (by COPY into an empty df table).  Text queries meanwhile scan the table:
        meant for ``reindex`` and first loads.

        An interrupted load writes the counts of the batches it committed on its way out.  A killed one leaves
        the ``df_pending`` mark in the stat table (and no GIN index, if it was dropped): ``ensure_schema`` (every migrate, every
        reindex) then makes the index again and counts every term again from the vectors."""
        t = self.t
        with self.db.atomic():
            self.db.execute(f"INSERT INTO {t}stat (key, value) VALUES ('df_pending', 1) "
                            f"ON CONFLICT (key) DO UPDATE SET value = 1")
            if not self.keep_gin:
                for index in GIN_INDEXES:
                    self.db.execute(f"DROP INDEX IF EXISTS {t}{index}")
        self._bulk = True
        self._bulk_df, self._batch_df, self._bulk_items = Counter(), None, set()
        self._loaded = self._merged_at = 0
        if self.keep_gin and self.merge_rows > 0 and not self.db.connection.in_atomic_block:
            self._merger = Beside(self.db, self._merge_sql(GIN_INDEXES[0]))  # see _write_batch
        done = False
        try:
            yield
            done = True
        finally:
            self._bulk = False
            merger, self._merger = self._merger, None
            try:
                self._end_load(done)
            finally:
                if merger is not None:  # a merge still running: the end's waits for it (one at a time)
                    merger.join()

    def _end_load(self, done: bool) -> None:
        """The load's document frequencies written and its mark removed; the GIN indexes built again if they
        were dropped; after a load that ended normally, every pending list merged (the whole index's on a
        second connection meanwhile) and the planner's statistics taken."""
        with beside(self.db, self._merge_sql(GIN_INDEXES[0])) if done and self.keep_gin \
                else contextlib.nullcontext(False) as merging:
            with self.db.atomic():
                self._add_df(self._bulk_df)
                self.db.execute(f"DELETE FROM {self.t}stat WHERE key = 'df_pending'")
            self._bulk_df, self._bulk_items = Counter(), set()
            if not self.keep_gin:  # the GIN indexes built again (kept: nothing to make)
                with self.db.atomic():
                    self.db.execute(f"SET LOCAL maintenance_work_mem = '{self._memory()}'")
                    self.ensure_schema()
                    self.db.execute("SET LOCAL maintenance_work_mem TO DEFAULT")  # when nested
            if done:
                self._optimize(GIN_INDEXES[1:] if merging else GIN_INDEXES)

    def _memory(self) -> str:
        return self._size("BUILD_MEMORY", self.build_memory)

    @staticmethod
    def _size(name: str, value: str) -> str:
        """A memory size option as written into a SET statement (checked: it is not a parameter there)."""
        value = value.strip()
        if not re.fullmatch(r"\d+\s*(?:kB|MB|GB)", value):
            raise ValueError(f"{name} must be a size such as 256MB, not {value!r}")
        return value

    def optimize(self) -> None:
        """Planner statistics, and the GIN pending lists merged into the indexes (a bulk load leaves thousands of
        entries there, scanned linearly by every query until autovacuum gets to them); the whole index's merged
        on a second connection meanwhile when this one is not in a transaction (postgres_load.beside)."""
        with beside(self.db, self._merge_sql(GIN_INDEXES[0])) as merging:
            self._optimize(GIN_INDEXES[1:] if merging else GIN_INDEXES)

    def _merge_sql(self, index: str) -> str:
        return f"SELECT gin_clean_pending_list('{self.t}{index}'::regclass)"

    def _optimize(self, indexes: Iterable[str]) -> None:
        for index in indexes:
            self.db.fetchall(self._merge_sql(index))
        self.db.execute(f"ANALYZE {self.t}passage")
