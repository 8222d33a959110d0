"""The backend in use, made small enough that a few hundred documents take its large-index paths: broad matches
ranked without reading every matching row (PostgreSQL: the rarest terms' rows, pairs and sampled id ranges;
SQLite: best-passage lists), their estimated counts, and document frequencies kept right through writes."""

from __future__ import annotations

import contextlib
import importlib
from collections import Counter
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest
from django.db import connection, transaction

from orgs.access import PUBLIC_SCOPE, AccessScope
from search.backends.postgres import GIN_INDEXES
from search.backends.postgres_rank import SAMPLE_BUCKETS
from search.backends.sql.connection import DjangoDb
from search.backends.sql.rows import document_rows
from search.documents import SearchDocument, SearchPage

pytestmark = pytest.mark.django_db
ALL = AccessScope(everything=True)
# PostgreSQL: a match of more than 10 rows is broad (the index is never "small": SMALL_INDEX 0); 10 rows of the rarest terms and the matching rows of a
# sample of items holding ~60 of them (which also estimates the count).
PG_SMALL = {"ROW_MAX": 10, "SMALL_INDEX": 0, "RARE_ROWS": 10, "SAMPLE_ROWS": 60, "FACET_EXACT": 10,
            "CANDIDATES": 8}
# SQLite: lists for terms in more than 5 passages, counted exactly up to 40 passages (see test_best_lists).
SQLITE_SMALL = {"LISTS_MIN": 0, "TOP_DF": 5, "TOP_N": 100, "FACET_EXACT": 10, "COMMON_FLOOR": 50, "CANDIDATES": 8,
                "COUNT_ROWS": 40, "COUNT_WINDOWS": 4}
N = 300
RARE = (17, 151, 288)  # the only documents naming "Phú Nhơn"


def corpus() -> list[SearchDocument]:
    """N documents that all hold "lưu trữ" (every third restricted); three name "Phú Nhơn"."""
    out = []
    for i in range(1, N + 1):
        place = "thôn Phú Nhơn" if i in RARE else f"thôn số {i % 23}"
        out.append(SearchDocument(
            id=i, title=f"Hồ sơ lưu trữ {place} năm {1960 + i % 40}", access="restricted" if i % 3 == 0 else "public",
            doc_type="Báo cáo" if i % 2 else "Kế hoạch",
            pages=[SearchPage(1, f"Biên bản về công tác lưu trữ của {place}, lần thứ {i}.")]))
    return out


def engine(exact: bool = False, **options: Any) -> Any:
    """The vendor's backend on the test database under its own table prefix; ``exact``: every match the
    exact way (PostgreSQL term at a time; SQLite without lists)."""
    db = DjangoDb("default")
    if db.vendor == "postgresql":
        from search.backends.postgres import PostgresBackend

        pg = {**PG_SMALL, "SAMPLE_ROWS": 0} if exact else PG_SMALL
        return PostgresBackend({**pg, **options}, db=db, prefix="search_t_")
    from search.backends.sqlite import SqliteBackend

    lite = {**SQLITE_SMALL, "TOP_RARE": -1} if exact else SQLITE_SMALL
    return SqliteBackend({**lite, **options}, db=db, prefix="search_t_")


def indexed(**options: Any) -> Any:
    """:func:`engine` with :func:`corpus` indexed and optimized."""
    backend = engine(**options)
    backend.ensure_schema()
    backend.index(corpus())
    backend.optimize()
    return backend


@contextlib.contextmanager
def statements_run() -> Iterator[list[str]]:
    """The SQL of every statement run in the block, in order."""
    seen: list[str] = []

    def record(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        seen.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        yield seen


@pytest.fixture
def engines() -> tuple[Any, Any]:
    fast = engine()
    fast.ensure_schema()
    fast.index(corpus())
    fast.optimize()
    return fast, engine(exact=True)


def ids(results: Any) -> list[int]:
    return [h.id for h in results.hits]


@pytest.mark.parametrize("scope", [ALL, PUBLIC_SCOPE])
def test_broad_one_word_query_estimates_its_count(engines: tuple[Any, Any], scope: AccessScope) -> None:
    fast, exact = engines
    true = exact.search("lưu", scope=scope, page_size=10)
    assert true.count == (N if scope is ALL else N - N // 3) and not true.count_approximate
    got = fast.search("lưu", scope=scope, page_size=10)
    assert got.count_approximate and got.to_dict()["count_approximate"] is True
    assert abs(got.count - true.count) <= 0.25 * true.count
    assert len(got.hits) == 10 and got.facets_approximate
    if scope is PUBLIC_SCOPE:  # never a restricted item, estimated or not
        assert all(h.id % 3 for h in got.hits)


@pytest.mark.parametrize("query", ["hồ sơ lưu trữ thôn Phú Nhơn", "ho so luu tru thon Phu Nhon", "Phú Nhơn lưu trữ"])
def test_rare_words_rank_first_in_a_broad_match(engines: tuple[Any, Any], query: str) -> None:
    fast, exact = engines
    for backend in (fast, exact):
        got = backend.search(query, scope=ALL, page_size=10)
        assert sorted(ids(got)[:3]) == list(RARE), (backend.options, query)
    public = fast.search(query, scope=PUBLIC_SCOPE, page_size=10)
    assert sorted(ids(public)[:2]) == [17, 151]  # 288 is restricted
    assert all(h.id % 3 for h in public.hits)


def test_sampled_broad_match_ranks_like_the_exact_one_at_the_top(engines: tuple[Any, Any]) -> None:
    fast, exact = engines
    query = "biên bản công tác lưu trữ thôn Phú Nhơn năm 1977"
    a, b = fast.search(query, scope=ALL, page_size=5), exact.search(query, scope=ALL, page_size=5)
    assert ids(a)[:3] == ids(b)[:3]
    assert abs(a.count - b.count) <= 0.25 * b.count


def passage_terms(docs: list[SearchDocument]) -> Counter[str]:
    """Passages holding each term, counted from the rows the index writes."""
    from search.backends.sql.rows import COLUMNS

    head_i, body_i = COLUMNS.index("head_terms"), COLUMNS.index("body_terms")
    counts: Counter[str] = Counter()
    for doc in docs:
        for row in document_rows(doc):
            counts.update(set(row[head_i].split()) | set(row[body_i].split()))
    return counts


def test_document_frequencies_follow_every_write() -> None:
    backend = engine()
    backend.ensure_schema()
    docs = corpus()[:40]
    backend.index(docs)
    changed = SearchDocument(id=5, title="Hồ sơ mới hoàn toàn", pages=[SearchPage(1, "Nội dung khác hẳn: qwertyx.")])
    backend.index([changed])  # replaces document 5
    backend.delete([7, 8])
    if backend.vendor == "sqlite":  # SQLite keeps a snapshot (and looks new terms up live): optimize renews it
        backend.optimize()
    kept = [changed if d.id == 5 else d for d in docs if d.id not in (7, 8)]
    want = passage_terms(kept)
    gone = set(passage_terms(docs)) - set(want)
    got = backend.doc_freqs(sorted(set(want) | gone))
    assert got == dict(want)  # terms of removed rows counted down to nothing
    assert backend.doc_freqs(["qwertyx"]) == {"qwertyx": 1}
    assert ids(backend.search("qwertyx", scope=ALL)) == [5]


def test_postgres_text_table_migration_splits_an_old_index() -> None:
    """0005 moves an old PostgreSQL index's wide columns to ``passage_text`` and counts the df table again; on
    SQLite it leaves the index alone."""
    from search.backends import get_backend
    from search.backends.sql.rows import COLUMNS

    migration = importlib.import_module("search.migrations.0005_postgres_text_table")
    backend = get_backend()
    db = backend.db
    docs = corpus()[:20]
    if db.vendor == "postgresql":
        # an index as 0004 left it: every column in one passage table, a stale df table
        backend.drop_schema()
        cols = ", ".join(f"{c} TEXT" if c not in ("item_id", "page", "unit_id", "collection_id", "year")
                         else f"{c} BIGINT" for c in COLUMNS)
        db.execute(f"CREATE TABLE search_passage (id BIGSERIAL PRIMARY KEY, {cols}, tsv tsvector NOT NULL)")
        db.execute("CREATE INDEX search_passage_item ON search_passage (item_id, page)")
        db.execute("CREATE INDEX search_passage_tsv ON search_passage USING GIN (tsv)")
        db.execute("CREATE TABLE search_df (term TEXT PRIMARY KEY, doc INTEGER NOT NULL)")
        db.execute("CREATE TABLE search_stat (key TEXT PRIMARY KEY, value BIGINT NOT NULL)")
        from search.backends.postgres_vectors import tsvector_literal

        head_i, body_i = COLUMNS.index("head_terms"), COLUMNS.index("body_terms")
        rows = [r for d in docs for r in document_rows(d)]
        db.executemany(f"INSERT INTO search_passage ({', '.join(COLUMNS)}, tsv) "
                       f"VALUES ({', '.join(['%s'] * len(COLUMNS))}, %s::tsvector)",
                       [(*r, tsvector_literal(dict.fromkeys(r[head_i].split()), dict.fromkeys(r[body_i].split())))
                        for r in rows])
        db.execute("INSERT INTO search_df (term, doc) VALUES ('lưu', 1)")  # stale
    else:
        backend.index(docs)
    migration.forward(None, SimpleNamespace(connection=connection))
    if db.vendor == "postgresql":
        cols = {r[0] for r in db.fetchall("SELECT column_name FROM information_schema.columns "
                                          "WHERE table_name = 'search_passage'")}
        assert "text" not in cols and "tsv" in cols
        assert db.fetchall("SELECT COUNT(*) FROM search_passage_text")[0][0] == 40
    assert backend.doc_freqs(["lưu"]) == {"lưu": 40}
    assert sorted(ids(backend.search("Phú Nhơn", scope=ALL))) == [17]


def gin_index_present(backend: Any) -> bool:
    """Both GIN indexes (the whole one and the sample buckets') or neither: a bulk load drops and builds both."""
    present = [bool(backend.db.fetchall("SELECT 1 FROM pg_indexes WHERE indexname = %s", [backend.t + index]))
               for index in GIN_INDEXES]
    assert len(set(present)) == 1, present
    return present[0]


def test_bulk_load_builds_the_index_once_and_survives_an_interruption() -> None:
    backend = engine()
    backend.ensure_schema()
    pg = backend.vendor == "postgresql"
    with pytest.raises(RuntimeError), backend.bulk():
        backend.index(corpus()[:30])
        if pg:
            # loaded without it, unless analysis processes leave the server a core for its upkeep (stop 18)
            assert gin_index_present(backend) == backend.keep_gin
        raise RuntimeError("interrupted")
    if pg:
        assert gin_index_present(backend)  # made again on the way out
    with backend.bulk():
        backend.index(corpus()[30:60])
    if pg:
        assert gin_index_present(backend)
    assert sorted(ids(backend.search("Phú Nhơn", scope=ALL))) == [17]
    assert backend.count() == 60  # every document of both loads, once
    broad = backend.search("lưu trữ", scope=ALL)  # in all 60: broad, so estimated on PostgreSQL
    assert abs(broad.count - 60) <= (0.25 * 60 if broad.count_approximate else 0)


def test_a_search_scans_the_index_only_and_leaves_the_session_as_it_was() -> None:
    """PostgreSQL: every read of a search runs with sequential scans off, on the connection the reads use, and
    a search inside an outer transaction (as here: the test's) leaves the setting as it found it.  SQLite has
    no such setting: the search just answers."""
    backend = engine()
    backend.ensure_schema()
    backend.index(corpus()[:20])
    pg = backend.vendor == "postgresql"
    read = backend.db.fetchall
    seen: list[str] = []

    def spy(sql: str, params: Any = ()) -> Any:
        if pg:
            seen.append(read("SHOW enable_seqscan")[0][0])
        return read(sql, params)

    backend.db.fetchall = spy
    assert ids(backend.search("Phú Nhơn", scope=ALL)) == [17]
    if pg:
        assert seen and set(seen) == {"off"}
        assert read("SHOW enable_seqscan")[0][0] == "on"


def test_a_small_index_is_ranked_counted_and_faceted_exactly_in_one_pass() -> None:
    """PostgreSQL: an index of at most SMALL_INDEX rows is read in one pass whatever the match (a sample would
    read most of it anyway): exact count and facets, the same top as the exact path.  SQLite without lists
    (and exact facets up to its FACET_EXACT) is the exact path itself."""
    exact = engine(exact=True)
    exact.ensure_schema()
    exact.index(corpus()[:120])  # 240 rows
    small = engine(SMALL_INDEX=1000) if exact.vendor == "postgresql" else engine(exact=True, FACET_EXACT=5000)
    got, want = small.search("lưu trữ", scope=ALL, page_size=10), exact.search("lưu trữ", scope=ALL, page_size=10)
    assert got.count == want.count == 120 and not got.count_approximate
    assert not got.facets_approximate
    assert {v.value: v.count for v in got.facets["type"]} == {"Báo cáo": 60, "Kế hoạch": 60}
    assert {v.value: v.count for v in got.facets["access"]} == {"public": 80, "restricted": 40}
    assert ids(got) == ids(want)
    sampled = engine()  # the same rows, never "small": estimated
    assert exact.vendor == "sqlite" or sampled.search("lưu trữ", scope=ALL, page_size=10).count_approximate


def test_the_and_probe_counts_only_rows_the_scope_may_see() -> None:
    """The AND of a question's distinctive words is ranked only if this cheap count finds enough rows (on
    both databases), and the count sees only what the scope may see."""
    from search.query import parse_query

    backend = engine()
    backend.ensure_schema()
    backend.index(corpus()[:12])  # 12 items × (head + page), every third restricted; 17 etc. not among them
    groups = [["luu"], ["tru"]]
    q = parse_query("lưu trữ")
    every, every_params = backend._where(q, ALL, {})
    public, public_params = backend._where(q, PUBLIC_SCOPE, {})
    assert backend._finds_at_least([], groups, every, every_params, 24)
    assert not backend._finds_at_least([], groups, every, every_params, 25)
    assert backend._finds_at_least([], groups, public, public_params, 16)
    assert not backend._finds_at_least([], groups, public, public_params, 17)
    assert not backend._finds_at_least([], [["luu"], ["nhon"]], every, every_params, 1)


def test_browsing_without_text_counts_items_not_pages() -> None:
    """No text (punctuation only, or filters alone): every item in scope, by date, counted and faceted over
    its one head row — an item of three pages counts once."""
    backend = engine(FACET_EXACT=100)
    backend.ensure_schema()
    docs = [SearchDocument(id=i, title=f"Hồ sơ {i}", access="restricted" if i % 3 == 0 else "public",
                           doc_type="Báo cáo" if i % 2 else "Kế hoạch",
                           pages=[SearchPage(n, f"Trang {n} của hồ sơ {i}.") for n in range(1, 4)])
            for i in range(1, 13)]
    backend.index(docs)
    for facets in (True, False):
        everything = backend.search("–", scope=ALL, page_size=5, facets=facets)
        assert everything.count == 12 and len(everything.hits) == 5
        public = backend.search("–", scope=PUBLIC_SCOPE, filters={"type": "Báo cáo"}, page_size=20, facets=facets)
        assert public.count == 4 and sorted(ids(public)) == [1, 5, 7, 11]
        if facets:
            types = {f.value: f.count for f in everything.facets["type"]}
            assert types == {"Báo cáo": 6, "Kế hoạch": 6}
            assert {f.value: f.count for f in public.facets["type"]} == {"Báo cáo": 4}


def test_browsing_a_large_index_reads_kept_counts_and_samples_filtered_facets(engines: tuple[Any, Any]) -> None:
    """More items in scope than FACET_EXACT (10 here): without a filter the count and facets are the counts
    kept at index time (exact); with a filter the count stays exact and the facets come from a sample of the
    items, scaled to the count and marked approximate."""
    fast, _exact = engines
    got = fast.search("–", scope=ALL, page_size=10)
    assert got.count == N and not got.count_approximate and not got.facets_approximate
    assert {f.value: f.count for f in got.facets["type"]} == {"Báo cáo": N // 2, "Kế hoạch": N // 2}
    public = fast.search("–", scope=PUBLIC_SCOPE, page_size=10)
    assert public.count == N - N // 3 and all(h.id % 3 for h in public.hits)
    assert {f.value: f.count for f in public.facets["access"]} == {"public": N - N // 3}
    narrow = fast.search("–", scope=ALL, filters={"type": "Báo cáo"}, page_size=10)  # 150 items: still sampled
    assert narrow.count == N // 2 and narrow.facets_approximate
    assert {f.value for f in narrow.facets["type"]} == {"Báo cáo"}
    access = {f.value: f.count for f in narrow.facets["access"]}
    assert set(access) == {"public", "restricted"} and 0.5 * N / 3 <= access["public"] <= 1.5 * N / 3, access


def test_item_buckets_are_one_hash_on_both_backends(engines: tuple[Any, Any]) -> None:
    """Browsing samples items by ``bucket_sql``; PostgreSQL stores the same bucket in ``passage.bucket``."""
    from search.backends.sql.facets import BUCKETS, ITEM_HASH, bucket_sql

    fast, _exact = engines
    rows = fast.db.fetchall(f"SELECT p.item_id, {bucket_sql('p.item_id')} FROM search_t_passage p WHERE p.page = 0")
    assert len(rows) == N and all(b == i * ITEM_HASH % BUCKETS for i, b in rows)
    if fast.db.vendor == "postgresql":
        assert not fast.db.fetchall(f"SELECT 1 FROM search_t_passage p WHERE p.bucket <> {bucket_sql('p.item_id')}")


def test_a_broad_match_reads_its_sample_from_the_sample_buckets_index() -> None:
    """A sample of 17 to 64 buckets: PostgreSQL reads the query's posting lists from the partial GIN index over
    the first 64 (1/16 of the rows, built and dropped with the whole index); the estimate is
    the one the whole index gives.  Both databases estimate the broad count."""
    backend = engine(SAMPLE_ROWS=30)  # 600 rows hold "lưu": 1024 * 30 / 600 -> 52 buckets of 1024
    backend.ensure_schema()
    backend.index(corpus())
    backend.optimize()
    statements: list[tuple[str, Any]] = []

    def record(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        statements.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        got = backend.search("lưu", scope=ALL, page_size=10)
    assert got.count_approximate and abs(got.count - N) <= 0.3 * N
    if backend.vendor != "postgresql":
        return
    sampled = [(sql, params) for sql, params in statements if "AS r FROM" in sql]
    assert len(sampled) == 1 and "p.bucket < 64" in sampled[0][0] and 64 in SAMPLE_BUCKETS
    with transaction.atomic():  # 600 rows: without the bucket btree (dropped, rolled back), as on a large index
        backend.db.execute("SET LOCAL enable_seqscan = off")
        backend.db.execute(f"DROP INDEX {backend.t}passage_bucket")
        plan = "\n".join(r[0] for r in backend.db.fetchall("EXPLAIN " + sampled[0][0], sampled[0][1]))
        transaction.set_rollback(True)
    assert f"{backend.t}passage_tsv_b64 " in plan, plan
    backend.db.execute(f"DROP INDEX {backend.t}passage_tsv_b64")
    try:
        assert backend.search("lưu", scope=ALL, page_size=10).to_dict() == got.to_dict()
    finally:
        backend.ensure_schema()


def test_a_sample_of_most_buckets_filters_the_match_instead_of_reading_the_bucket_index() -> None:
    """A sample of SAMPLE_FILTER_FROM buckets or more (PostgreSQL): the match's rows kept by a row filter
    (``bucket + 0``, which the planner cannot answer from the bucket btree, whose bitmap would hold most of the
    index); the same results as with the btree.  Both databases estimate the broad count."""
    filtered = indexed(SAMPLE_ROWS=300)  # 600 rows hold "lưu": 1024 * 300 / 600 -> 512 buckets
    with statements_run() as statements:
        got = filtered.search("lưu trữ", scope=PUBLIC_SCOPE, page_size=10)
    assert got.count_approximate and abs(got.count - 200) <= 0.3 * 200  # the public two thirds of N items
    if filtered.vendor != "postgresql":
        return
    sampled = [sql for sql in statements if "AS r FROM" in sql]
    assert len(sampled) == 1 and "p.bucket + 0 < %s" in sampled[0]
    btree = engine(SAMPLE_ROWS=300, SAMPLE_FILTER_FROM=2000)
    with statements_run() as statements:
        assert btree.search("lưu trữ", scope=PUBLIC_SCOPE, page_size=10).to_dict() == got.to_dict()
    assert "p.bucket + 0" not in next(sql for sql in statements if "AS r FROM" in sql)


@pytest.mark.parametrize("scope", [ALL, PUBLIC_SCOPE])
def test_a_sample_with_rare_words_keeps_each_row_once(scope: AccessScope) -> None:
    """A sample within the sample buckets and the rare words' rows, read by two scans (PostgreSQL): a row in
    both is one candidate; the rare rows rank first, as on the exact path."""
    # the OR of every word (none left out as common), not their AND
    wide = {"CANDIDATES": 200, "AND_MIN": 0, "COMMON_FLOOR": 10**6}
    backend = engine(SAMPLE_ROWS=30, **wide)
    backend.ensure_schema()
    backend.index(corpus())
    backend.optimize()
    query = "Phú Nhơn lưu trữ biên bản lần thứ 56"  # item 56, in bucket 8 of the sample, holds the rare "56"
    stages: list[Any] = []
    if backend.vendor == "postgresql":
        sampled = backend._sampled

        def record(*args: Any, **kwargs: Any) -> Any:
            stages.append(sampled(*args, **kwargs))
            return stages[-1]

        backend._sampled = record
    got = backend.search(query, scope=scope, page_size=50)
    if backend.vendor == "postgresql":  # the candidate rows, not only the items, are distinct
        assert len(stages) == 1 and len(stages[0].rows) >= 8
        assert len({r[0] for r in stages[0].rows}) == len(stages[0].rows)
    want = engine(exact=True, **wide).search(query, scope=scope, page_size=50)
    found = ids(got)
    visible = sorted(i for i in (*RARE, 56) if scope is ALL or i % 3)
    assert len(found) == len(set(found)) > len(visible)  # a sample of ~30 rows: fewer items than the page holds
    assert sorted(found[: len(visible)]) == sorted(ids(want)[: len(visible)]) == visible
    assert scope is ALL or all(i % 3 for i in found)
    assert backend.vendor != "postgresql" or got.count_approximate


def test_the_and_stage_finds_enough_rows_or_none() -> None:
    """The AND of a question's distinctive words (``_and_stage``): ranked when it finds enough rows that the
    scope may see, sampled when broad, no stage when too few.  PostgreSQL probes, counts and ranks in one
    statement (the probe, the capped count and the ranking were three, each evaluating the same AND), unless
    the words' document frequencies make the AND unlikely to find enough: then a bare probe first."""
    from search.query import parse_query

    backend = engine()
    backend.ensure_schema()
    backend.index(corpus())
    backend.optimize()
    pg = backend.vendor == "postgresql"
    q = parse_query("Phú Nhơn lưu trữ")
    should = q.should_terms()
    dfs = backend.doc_freqs([*should, "phu", "nhon", "luu", "tru"])

    def run(groups: list[list[str]], enough: int, scope: AccessScope = ALL) -> tuple[Any, list[str]]:
        where, params = backend._where(q, scope, {})
        with statements_run() as statements:
            stage = backend._and_stage(should, groups, where, params, 200, dfs, facets=True, maybe_broad=False,
                                       words=4, enough=enough)
        return stage, statements

    likely = [["phu"], ["luu"]]  # every row holds "luu": 6 rows expected, 6 found
    narrow, sql = run(likely, 6)  # 3 items x (head + page)
    assert narrow is not None and {r[1] for r in narrow.rows} == set(RARE) and len(narrow.rows) == 6
    if pg:
        assert len(sql) == 1 and narrow.count == 3 and not narrow.approximate
        assert {v.value: v.count for v in narrow.facets["access"]} == {"public": 2, "restricted": 1}
    rare = [["phu"], ["nhon"]]  # 6 rows of 600 each: 0.06 expected together, so probed first
    probed, sql = run(rare, 6)
    assert probed is not None and {r[1] for r in probed.rows} == set(RARE) and len(probed.rows) == 6
    if pg:
        assert len(sql) == 2 and sql[0].startswith("SELECT COUNT(*)") and probed.count == 3
    hidden, sql = run(rare, 5, PUBLIC_SCOPE)  # 288 is restricted: 4 rows visible
    assert hidden is None or len(hidden.rows) < 5
    if pg:
        assert len(sql) == 1 and sql[0].startswith("SELECT COUNT(*)")  # the probe alone
    hidden, sql = run(likely, 5, PUBLIC_SCOPE)  # the same without a probe: the one statement finds too few
    assert hidden is None or len(hidden.rows) < 5
    if pg:
        assert len(sql) == 1 and "AS score" in sql[0]
    bound, sql = run(rare, 7)  # more than the rarest word's rows: known without a statement on PostgreSQL
    assert bound is None or len(bound.rows) < 7
    if pg:
        assert sql == []
    broad, sql = run([["luu"], ["tru"]], 8)  # 600 rows, ROW_MAX 10: listed up to 11, then sampled
    assert broad is not None and len(broad.rows) >= 8
    if pg:
        assert len(sql) == 2 and broad.approximate


def test_a_broad_match_finds_the_rows_holding_several_of_its_next_rarest_words() -> None:
    """No word of "thôn số 5 năm 1965" is rare, and the one item holding both "5" and "1965" (item 5, outside
    the sample's buckets) is found by the rows holding two of the next-rarest words — by the pairs' rows on
    PostgreSQL, within PAIR_ROWS by the sample's estimate (a one-time condition, else three of them …)."""
    wide = {"AND_MIN": 0, "COMMON_FLOOR": 10**6, "CANDIDATES": 200}
    query = "lưu trữ thôn số 5 năm 1965"
    backend = engine(SAMPLE_ROWS=10, RARE_ROWS=0, **wide)
    backend.ensure_schema()
    backend.index(corpus())
    backend.optimize()
    assert ids(backend.search(query, scope=ALL, page_size=5))[0] == 5
    if backend.vendor == "postgresql":
        without = engine(SAMPLE_ROWS=10, RARE_ROWS=0, PAIRS=0, **wide).search(query, scope=ALL, page_size=5)
        assert 5 not in ids(without)  # what the pairs' branch adds
        sharp = engine(SAMPLE_ROWS=10, RARE_ROWS=0, PAIR_ROWS=1, **wide).search(query, scope=ALL, page_size=5)
        assert ids(sharp)[0] == 5  # the rows holding more of them (or two, if the sample holds none)
