"""SQLite: short broad queries ranked from each common term's best-passage list, counted on a sample."""

from __future__ import annotations

from typing import Any

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory

from orgs.access import PUBLIC_SCOPE, AccessScope
from search.backends.sql.connection import SqliteFileDb
from search.backends.sqlite import SqliteBackend
from search.documents import Results, SearchDocument, SearchPage

ALL = AccessScope(everything=True)
# Small enough that a 120-document index has lists and broad matches: terms in more than 5 passages get a
# list of 100; a match of more than 10 passages is broad; a word in more than 50 passages is common (not
# required: "lưu trữ" is the OR of its terms); 40 passages counted in 4 ranges before estimating.
SMALL = {"LISTS_MIN": 0, "TOP_DF": 5, "TOP_N": 100, "FACET_EXACT": 10, "COMMON_FLOOR": 50, "CANDIDATES": 8, "COUNT_ROWS": 40,
         "COUNT_WINDOWS": 4}


def docs(first: int, n: int, **kw: Any) -> list[SearchDocument]:
    """``n`` documents that all hold "lưu trữ"; every third is restricted; titles of varying length so that
    bm25 orders them."""
    return [SearchDocument(id=i, title="Hồ sơ lưu trữ " + "về công tác văn thư " * (i % 7) + f"số {i}",
                           access="restricted" if i % 3 == 0 else "public", doc_type="Báo cáo",
                           pages=[SearchPage(1, f"Biên bản về công tác lưu trữ của xã thứ {i}.")], **kw)
            for i in range(first, first + n)]


def ids(results: Results) -> list[int]:
    return [h.id for h in results.hits]


@pytest.fixture
def engines() -> tuple[SqliteBackend, SqliteBackend]:
    """(lists, exact) over one index: ``TOP_RARE = -1`` makes every query take the exact first stage."""
    lists = SqliteBackend(SMALL, db=SqliteFileDb(":memory:"))
    lists.ensure_schema()
    lists.index(docs(1, 120))
    lists.optimize()
    return lists, SqliteBackend({**SMALL, "TOP_RARE": -1}, db=lists.db)


def test_lists_hold_each_common_terms_best_passages(engines: tuple[SqliteBackend, SqliteBackend]) -> None:
    lists, _ = engines
    db = lists.db
    listed = {r[0]: r[1] for r in db.fetchall("SELECT term, COUNT(*) FROM search_top GROUP BY term")}
    assert listed["lưu"] == 100 and listed["luu"] == 100  # in all 240 passages: a full list
    assert "biên" in listed  # in the 120 pages
    assert not any(t.startswith("k_") for t in listed)  # no symbols here; nothing rare gets a list
    best = [r[0] for r in db.fetchall(
        "SELECT rowid FROM search_fts WHERE search_fts MATCH '\"lưu\"' ORDER BY bm25(search_fts, 4.0, 1.0) LIMIT 100")]
    assert sorted(best) == sorted(r[0] for r in db.fetchall("SELECT id FROM search_top WHERE term = 'lưu'"))


@pytest.mark.parametrize("query", ["lưu", "luu", "lưu trữ", "biên bản"])
def test_short_broad_query_ranks_as_the_exact_first_stage(engines: tuple[SqliteBackend, SqliteBackend],
                                                          query: str) -> None:
    lists, exact = engines
    for scope in (ALL, PUBLIC_SCOPE):
        fast, slow = lists.search(query, scope=scope), exact.search(query, scope=scope)
        assert fast.count_approximate and not slow.count_approximate
        assert ids(fast) == ids(slow), (query, scope)  # each list holds the whole top of its term
        assert fast.facets_approximate and slow.facets_approximate


def test_estimated_count_is_close_and_respects_access(engines: tuple[SqliteBackend, SqliteBackend]) -> None:
    lists, exact = engines
    for scope, items in ((ALL, 120), (PUBLIC_SCOPE, 80)):
        fast, slow = lists.search("lưu", scope=scope), exact.search("lưu", scope=scope)
        assert slow.count == items
        assert fast.count_approximate and abs(fast.count - items) <= items // 10, fast.count
        assert fast.to_dict()["count_approximate"] is True
    assert all(i % 3 for i in ids(lists.search("lưu", scope=PUBLIC_SCOPE, page_size=50)))
    assert "count_approximate" not in exact.search("lưu", scope=ALL).to_dict()


def test_rows_written_after_the_lists_are_scored_on_the_whole_query(
        engines: tuple[SqliteBackend, SqliteBackend]) -> None:
    lists, exact = engines
    lists.index([SearchDocument(id=500, title="Lưu trữ lưu trữ", pages=[SearchPage(1, "Lưu trữ lưu trữ lưu trữ.")])])
    assert lists.db.fetchall("SELECT COUNT(*) FROM search_top WHERE id > 240")[0][0] == 0  # lists not rebuilt
    fast = lists.search("lưu trữ", scope=ALL)
    assert fast.count_approximate and ids(fast)[0] == 500
    assert ids(fast) == ids(exact.search("lưu trữ", scope=ALL))


def test_longer_narrow_or_filtered_queries_take_the_exact_first_stage(
        engines: tuple[SqliteBackend, SqliteBackend]) -> None:
    lists, exact = engines
    for query in ("hồ sơ lưu trữ công tác", "7"):  # five words; a narrow match (document 7 only)
        fast, slow = lists.search(query, scope=ALL), exact.search(query, scope=ALL)
        assert not fast.count_approximate and fast.count == slow.count and ids(fast) == ids(slow)
    lists.index([SearchDocument(id=600, title="Kế hoạch lưu trữ", doc_type="Kế hoạch", pages=[])])
    only = lists.search("lưu", scope=ALL, filters={"type": "Kế hoạch"})  # one candidate passes: exact stage
    assert ids(only) == [600] and only.count == 1 and not only.count_approximate


def test_lists_follow_the_index(engines: tuple[SqliteBackend, SqliteBackend]) -> None:
    lists, _ = engines
    lists.lists_min = 100
    assert not lists.refresh_due()  # just built
    lists.clear()
    assert lists.db.fetchall("SELECT COUNT(*) FROM search_top")[0][0] == 0
    assert lists.search("lưu", scope=ALL).count == 0
    lists.index(docs(1, 120))  # a write never builds the lists (it would hold the write lock for a minute)
    assert lists.db.fetchall("SELECT COUNT(*) FROM search_top")[0][0] == 0
    assert not lists.search("lưu", scope=ALL).count_approximate  # no lists: the exact first stage
    assert lists.refresh_due() and not lists.refresh_due()  # due once: the request is remembered
    lists.refresh()
    assert lists.db.fetchall("SELECT COUNT(*) FROM search_top WHERE term = 'lưu'")[0][0] == 100
    assert lists.search("lưu", scope=ALL).count_approximate
    lists.index(docs(1000, 30))  # 60 new passages of 300: less than a quarter
    assert not lists.refresh_due()
    lists.index(docs(2000, 30))
    assert lists.refresh_due()
    lists.drop_schema()
    assert not lists.db.fetchall("SELECT name FROM sqlite_master WHERE name LIKE 'search_top%'")


def test_search_page_says_about_for_an_estimated_count() -> None:
    request = RequestFactory().get("/search/?q=l%C6%B0u")
    context = {"results": Results(count=56000, hits=[], count_approximate=True), "query": "lưu", "facets": []}
    html = render_to_string("search/search.html", context, request=request)
    assert "khoảng 56000 kết quả" in html
    exact = render_to_string("search/search.html", {**context, "results": Results(count=3, hits=[])}, request=request)
    assert "3 kết quả" in exact and "khoảng 3" not in exact


@pytest.mark.django_db
def test_migration_adds_and_fills_the_lists_of_an_existing_index() -> None:
    import importlib
    from types import SimpleNamespace

    from django.db import connection

    from search.backends.sql.connection import DjangoDb

    migration = importlib.import_module("search.migrations.0004_best_passage_lists")
    db = DjangoDb("default")
    engine = SqliteBackend({"TOP_DF": 5}, db=db) if db.vendor == "sqlite" else None
    if engine is not None:
        engine.index(docs(1, 30))
        db.execute("DROP TABLE search_top")  # an index made before the lists existed
    migration.forward(None, SimpleNamespace(connection=connection))
    tables = connection.introspection.table_names()
    if engine is None:  # PostgreSQL: nothing to do
        assert "search_top" not in tables
        return
    assert "search_top" in tables
    # the migration builds with the default TOP_DF (1000): 60 passages have no term that common
    assert db.fetchall("SELECT COUNT(*) FROM search_top")[0][0] == 0
    engine.build_top_lists()
    assert db.fetchall("SELECT COUNT(*) FROM search_top WHERE term = 'lưu'")[0][0] == 60


@pytest.mark.django_db(transaction=True)
def test_indexing_queues_the_lists_rebuild_in_the_background(settings: Any) -> None:
    from django_tasks_db.models import DBTaskResult

    from reading.tests.factories import make_text_item
    from search import services, tasks

    settings.SULIEU_SEARCH_BACKENDS = {"default": {"BACKEND": "search.backends.database.DatabaseBackend",
                                                   "OPTIONS": {"LISTS_MIN": 1, "TOP_DF": 0}}}
    make_text_item("Biên bản sinh hoạt chi bộ thôn Phú Nhơn năm 1976.", name="a.txt")
    queued = DBTaskResult.objects.filter(task_path="search.tasks.refresh_index")
    engine = services.backend()
    if engine.vendor != "sqlite":  # PostgreSQL keeps nothing to refresh
        assert not queued.exists() and not engine.refresh_due()
        return
    assert queued.count() == 1
    assert engine.db.fetchall("SELECT COUNT(*) FROM search_top")[0][0] == 0
    tasks.refresh_index.call()
    built = engine.db.fetchall("SELECT COUNT(*), COUNT(DISTINCT term) FROM search_top")[0]
    assert built[0] >= built[1] > 5  # every term of the item has a list (TOP_DF 0)
    assert engine.db.fetchall("SELECT value FROM search_stat WHERE key = 'top_max_id'")[0][0] == \
        engine.db.fetchall("SELECT MAX(id) FROM search_passage")[0][0]
