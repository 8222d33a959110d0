"""Bulk loads (``reindex``) on the database in use: document frequencies exact after an interrupted, a killed
or a repeating load and after deletes; the index usable after each (stop 16)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import DatabaseError

from orgs.access import AccessScope
from search.analysis import text_terms
from search.backends.postgres import GIN_INDEXES
from search.backends.sql.connection import DjangoDb
from search.documents import SearchDocument, SearchPage

pytestmark = pytest.mark.django_db
ALL = AccessScope(everything=True)


def engine(**options: Any) -> Any:
    """The vendor's backend on the test database under its own table prefix."""
    db = DjangoDb("default")
    if db.vendor == "postgresql":
        from search.backends.postgres import PostgresBackend

        return PostgresBackend({"DF_COPY_MIN": 0, **options}, db=db, prefix="search_b16_")
    from search.backends.sqlite import SqliteBackend

    return SqliteBackend({"LISTS_MIN": 10**9, **options}, db=db, prefix="search_b16_")


@pytest.fixture(params=["rebuilt", "kept"])
def backend(request: pytest.FixtureRequest) -> Iterator[Any]:
    """PostgreSQL: the GIN index dropped and rebuilt at the end of a load (no analysis processes), or kept up to
    date during it (the default with analysis processes, stop 18); SQLite: the same backend twice."""
    kept = request.param == "kept"
    b = engine(BULK_KEEP_GIN=kept, ANALYSIS_PROCESSES=2 if kept else 0)
    b.drop_schema()
    b.ensure_schema()
    yield b
    b.drop_schema()


def doc(i: int, extra: str = "") -> SearchDocument:
    return SearchDocument(id=i, title=f"Hồ sơ số {i % 7}", pages=[
        SearchPage(1, f"Biên bản lưu trữ thôn {i % 11} {extra}."), SearchPage(2, f"Quyết định {i % 3} năm 1976.")])


TERMS = sorted({t for i in range(30) for t in text_terms(doc(i, "mới cũ").pages[0].text)}
               | {t for i in range(30) for t in text_terms(doc(i).title + " " + doc(i).pages[1].text)})


def assert_df_exact(b: Any) -> None:
    """Every term's document frequency as the full-text index itself counts it."""
    if b.vendor == "sqlite":
        b.optimize()  # SQLite's df table is a snapshot taken at optimize (terms new since are counted live)
    live = {t: n for t in TERMS if (n := b._live_doc_freq(t))}
    assert b.doc_freqs(TERMS) == live
    assert live["biên"] == b.count()
    if b.vendor == "postgresql":
        rebuilt = dict(b.db.fetchall(f"SELECT word, ndoc FROM ts_stat('SELECT tsv FROM {b.t}passage')"))
        assert dict(b.db.fetchall(f"SELECT term, doc FROM {b.t}df")) == rebuilt
        assert b.db.fetchall(f"SELECT value FROM {b.t}stat WHERE key = 'passages'")[0][0] == b.passage_count()


def gin_index(b: Any) -> bool:
    """Both GIN indexes (the whole one and the sample buckets') or neither: a bulk load drops and builds both."""
    present = [bool(b.db.fetchall("SELECT 1 FROM pg_indexes WHERE indexname = %s", [b.t + index]))
               for index in GIN_INDEXES]
    assert len(set(present)) == 1, present
    return present[0]


def test_interrupted_bulk_load_leaves_a_usable_index_with_exact_df(backend: Any) -> None:
    # with processes, the first batch analysed here and the next `processes` read ahead before it is written:
    # the batches in flight are lost (rows.analysed_batches)
    stop = 700 if backend.analysis_processes == 0 else 500 * (2 + backend.analysis_processes) - 200

    def docs() -> Iterator[SearchDocument]:
        for i in range(1, 2600):
            if i == stop:
                raise KeyboardInterrupt  # ^C during reindex: the batch in hand is lost, the first one stays
            yield doc(i)

    with pytest.raises(KeyboardInterrupt), backend.bulk():
        backend.index(docs())
    assert backend.count() == 500
    assert_df_exact(backend)
    assert backend.search("biên bản thôn 3", scope=ALL).count == len([i for i in range(1, 501) if i % 11 == 3])
    if backend.vendor == "postgresql":
        assert gin_index(backend)
        assert not backend.db.fetchall(f"SELECT 1 FROM {backend.t}stat WHERE key = 'df_pending'")


def test_a_killed_bulk_load_is_repaired_by_ensure_schema(backend: Any) -> None:
    """A load that never left ``bulk()`` (the process killed): the next ``ensure_schema`` (migrate, reindex)
    restores what ``bulk`` set aside."""
    load = backend.bulk()
    load.__enter__()
    backend.index([doc(i) for i in range(1, 601)])  # two batches committed, then nothing more
    if backend.vendor == "postgresql":
        assert gin_index(backend) == backend.keep_gin
        assert backend.db.fetchall(f"SELECT 1 FROM {backend.t}stat WHERE key = 'df_pending'")
        assert backend.db.fetchall(f"SELECT COUNT(*) FROM {backend.t}df")[0][0] == 0  # counts were held back
    else:
        config = dict(backend.db.fetchall(f"SELECT k, v FROM {backend.t}fts_config"))
        assert config["automerge"] == 0
    fresh = engine()
    fresh.ensure_schema()
    assert_df_exact(fresh)
    assert fresh.search("quyết định 1976", scope=ALL).count == 600
    if fresh.vendor == "postgresql":
        assert gin_index(fresh)
        assert not fresh.db.fetchall(f"SELECT 1 FROM {fresh.t}stat WHERE key = 'df_pending'")
    else:
        config = dict(fresh.db.fetchall(f"SELECT k, v FROM {fresh.t}fts_config WHERE k IN ('automerge', 'crisismerge')"))
        assert config == {"automerge": 4, "crisismerge": 16}


def test_an_item_loaded_twice_counts_once(backend: Any) -> None:
    docs = [doc(i) for i in range(1, 601)] + [doc(5, "mới"), doc(550, "cũ")]  # again, in the second batch
    with backend.bulk():
        assert backend.index(docs) == 3 * 601  # 550 twice in one batch: its last version
    assert backend.count() == 600
    assert_df_exact(backend)
    assert [h.id for h in backend.search("mới", scope=ALL).hits] == [5]


def test_df_exact_after_deletes_and_replacements(backend: Any) -> None:
    with backend.bulk():
        backend.index([doc(i) for i in range(1, 121)])
    backend.delete(range(1, 31))
    backend.index([doc(i, "mới") for i in range(40, 50)])  # replaced one at a time, outside a load
    backend.index([doc(200, "cũ")])
    backend.delete([45, 999])
    assert backend.count() == 90
    assert_df_exact(backend)
    assert [h.id for h in backend.search("cũ", scope=ALL).hits] == [200]


def test_vectors_written_in_binary_are_the_text_literals_vectors(backend: Any) -> None:
    """PostgreSQL writes each row's tsvector in binary (no text parser); the vector is the one the text
    literal gives, quotes, backslashes and weights included."""
    from search.backends.postgres_vectors import tsvector_binary, tsvector_literal
    from search.backends.sql.rows import COLUMNS, document_rows

    odd = SearchDocument(id=9, title="O'Neil \\ Hồ sơ 'x'", pages=[SearchPage(1, "Biên bản it's a\\b Đảng ủy.")])
    docs = [doc(1), doc(2, "mới"), odd]
    backend.index(docs)
    assert [h.id for h in backend.search("o'neil", scope=ALL).hits] == [9]
    assert tsvector_binary(["ab"], ["cd", "é"]) == (b"\0\0\0\3" + b"ab\0\0\x01\xc0\x01" + b"cd\0\0\0" + "é".encode()
                                                    + b"\0\0\0")
    if backend.vendor != "postgresql":
        return
    compressed = dict(backend.db.fetchall(
        "SELECT attname, attcompression FROM pg_attribute WHERE attrelid IN (%s::regclass, %s::regclass) "
        "AND attname IN ('tsv', 'title', 'text', 'head_terms', 'body_terms')",
        [f"{backend.t}passage", f"{backend.t}passage_text"]))
    assert compressed == dict.fromkeys(["tsv", "title", "text", "head_terms", "body_terms"], "l")  # lz4
    head_i, body_i = COLUMNS.index("head_terms"), COLUMNS.index("body_terms")
    for d in docs:
        for row in document_rows(d):
            literal = tsvector_literal(dict.fromkeys(row[head_i].split()), dict.fromkeys(row[body_i].split()))
            stored = backend.db.fetchall(
                f"SELECT tsv = %s::tsvector, tsv::text FROM {backend.t}passage WHERE item_id = %s AND page = %s",
                [literal, row[0], row[1]])
            assert stored and stored[0][0], (row[:2], stored)


def test_a_bulk_loads_batches_merge_the_pending_list_in_larger_steps_and_delete_through_the_index(
        backend: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """PostgreSQL: a load's batch transactions run with ``BULK_PENDING`` as the GIN pending-list limit and
    work_mem (stop 19), and an item's rows are found for replacement through the (item_id, page) index, not by
    scanning a table the planner has no statistics for; neither setting outlives its transaction."""
    pg = backend.vendor == "postgresql"
    with backend.bulk():
        backend.index([doc(i) for i in range(1, 601)])
    if not pg:  # SQLite: the same replacements, in a load and outside one
        with backend.bulk():
            backend.index([doc(i, "mới") for i in range(1, 11)])
        backend.index([doc(7, "cũ")])
        assert backend.count() == 600
        assert_df_exact(backend)
        assert [h.id for h in backend.search("cũ", scope=ALL).hits] == [7]
        return
    seen: list[tuple[Any, ...]] = []
    deleting: list[str] = []
    copy, execute = backend._copy, backend.db.execute

    def settings() -> tuple[Any, ...]:
        return tuple(backend.db.fetchall("SELECT current_setting('gin_pending_list_limit'), "
                                         "current_setting('work_mem'), current_setting('enable_seqscan')")[0])

    def copying(table: str, *args: Any, **kwargs: Any) -> None:
        seen.append(settings())
        copy(table, *args, **kwargs)

    def executing(sql: str, *args: Any) -> None:
        if sql.startswith(f"WITH d AS (DELETE FROM {backend.t}passage "):
            deleting.append(settings()[2])
        execute(sql, *args)

    monkeypatch.setattr(backend, "_copy", copying)
    monkeypatch.setattr(backend.db, "execute", executing)
    with backend.bulk():
        backend.index([doc(i, "mới") for i in range(1, 11)])
    assert deleting == ["off"]
    assert seen[0] == ("64MB", "64MB", "on")  # the delete's setting did not outlive it
    backend.index([doc(7, "cũ")])  # outside a load: the server's defaults
    assert deleting == ["off", "off"]
    limit, work_mem, _seq = seen[-2]
    assert (limit, work_mem) == tuple(backend.db.fetchall("SELECT current_setting('gin_pending_list_limit'), "
                                                          "current_setting('work_mem')")[0]) != ("64MB", "64MB")
    assert backend.count() == 600
    assert_df_exact(backend)
    assert [h.id for h in backend.search("cũ", scope=ALL).hits] == [7]


def test_bulk_pending_must_be_a_size() -> None:
    """It is written into a SET statement: anything but a size is refused (checked without a connection)."""
    from search.backends.postgres import PostgresBackend

    assert PostgresBackend._size("BULK_PENDING", " 16MB ") == "16MB"
    with pytest.raises(ValueError, match="BULK_PENDING"):
        PostgresBackend._size("BULK_PENDING", "64MB; DROP TABLE x")


def test_a_first_loads_items_run_no_deletes(backend: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """PostgreSQL: items not in the index yet cost one probe of the item index per 500, none of the statements
    that remove an item's rows and count its terms down (stop 20); items already there are still replaced (the
    replacements checked on SQLite too)."""
    statements: list[str] = []
    fetchall, execute = backend.db.fetchall, backend.db.execute

    def fetching(sql: str, *args: Any) -> Any:
        statements.append(sql)
        return fetchall(sql, *args)

    def executing(sql: str, *args: Any) -> None:
        statements.append(sql)
        execute(sql, *args)

    monkeypatch.setattr(backend.db, "fetchall", fetching)
    monkeypatch.setattr(backend.db, "execute", executing)
    with backend.bulk():
        backend.index([doc(i) for i in range(1, 601)])
    removing = [s for s in statements if "ts_stat(" in s or s.startswith(("DELETE FROM", "WITH d AS (DELETE"))]
    assert backend.vendor == "sqlite" or not [s for s in removing if "df_pending" not in s]
    with backend.bulk():
        backend.index([doc(i, "mới") for i in range(595, 611)])  # six replaced, ten new
    assert backend.count() == 610
    assert_df_exact(backend)
    assert sorted(h.id for h in backend.search("mới", scope=ALL, page_size=50).hits) == list(range(595, 611))


@pytest.mark.django_db(transaction=True)
def test_a_load_outside_a_transaction_merges_the_whole_gin_index_on_a_second_connection(
        backend: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """PostgreSQL, a load in autocommit (``reindex``, ``eval-search``): the whole GIN index's pending list is
    merged by another connection during the load (every ``MERGE_ROWS`` rows, growing) and while this one ends
    the load (postgres_load.beside), and nothing is left pending in any GIN index; SQLite: the same load,
    outside a transaction."""
    from search.backends import postgres_load

    used: list[bool] = []
    beside = postgres_load.beside

    @contextlib.contextmanager
    def spying(db: Any, sql: str) -> Iterator[bool]:
        with beside(db, sql) as merging:
            used.append(merging)
            yield merging

    started: list[int] = []
    start = postgres_load.Beside.start

    def starting(self: Any) -> bool:
        began = start(self)
        if began and backend._bulk:
            started.append(backend._loaded)
        return began

    monkeypatch.setattr(postgres_load, "beside", spying)
    monkeypatch.setattr(postgres_load.Beside, "start", starting)
    backend.merge_rows = 600  # merges during the load too: at 1,500 written rows (3 per item), and after
    with backend.bulk():
        backend.index([doc(i) for i in range(1, 1300)])
    assert backend.count() == 1299
    assert_df_exact(backend)
    assert backend.search("biên bản thôn 3", scope=ALL).count == len([i for i in range(1, 1300) if i % 11 == 3])
    if backend.vendor == "postgresql":
        assert used == ([True] if backend.keep_gin else [])  # dropped and built again: nothing pending
        assert started[:1] == ([1500] if backend.keep_gin else [])
        for index in GIN_INDEXES:
            assert backend.db.fetchall(f"SELECT gin_clean_pending_list('{backend.t}{index}'::regclass)") == [(0,)]
        failing = postgres_load.beside(backend.db, "SELECT 1 / 0")
        with pytest.raises(DatabaseError), failing as merging:  # the second connection's failure is the caller's
            assert merging
        with backend.db.atomic(), postgres_load.beside(backend.db, "SELECT 1 / 0") as merging:
            assert not merging  # inside a transaction: not run (the caller runs it itself)
