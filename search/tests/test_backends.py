"""The backend in use (SQLite locally, PostgreSQL under scripts/with-postgres.sh) behaves as specified."""

from __future__ import annotations

import pytest

from orgs.access import AccessScope
from search.backends import get_backend
from search.backends.sql.connection import SqliteFileDb
from search.backends.sqlite import SqliteBackend
from search.documents import SearchDocument, SearchPage
from search.tests.factories import SAMPLE, index_sample, make_doc

ALL = AccessScope(everything=True)
pytestmark = pytest.mark.django_db


def ids(results) -> list[int]:  # type: ignore[no-untyped-def]
    return [h.id for h in results.hits]


@pytest.fixture
def engine():  # type: ignore[no-untyped-def]
    return index_sample()


@pytest.mark.parametrize("query", ["98-KH/TU", "98 KH TU", "98-kh/tu", "so:98-KH/TU"])
def test_symbol_spellings_find_that_document_first(engine, query: str) -> None:
    results = engine.search(query, scope=ALL)
    assert ids(results)[:2] == [1, 2]  # the document itself, then the one citing it


def test_exact_diacritics_rank_above_folded(engine) -> None:
    assert ids(engine.search("bàn giao tài sản", scope=ALL))[0] == 2
    assert ids(engine.search("bán tài sản", scope=ALL))[0] == 3


def test_query_without_diacritics_folds_d(engine) -> None:
    assert ids(engine.search("lich su dang bo", scope=ALL))[0] == 4
    assert 4 in ids(engine.search("dang", scope=ALL))


def test_bigram_beats_scattered_syllables_and_short_syllables_work(engine) -> None:
    results = engine.search("ủy ban", scope=ALL)
    # "Ủy ban nhân dân" as a word (page of 1, issuer of 2) before doc 5, which has "ủy … ban" apart.
    assert set(ids(results)[:2]) == {1, 2}
    assert 5 in ids(results)[2:]
    assert ids(engine.search("xã", scope=ALL))


def test_quoted_phrase_is_required_and_exact(engine) -> None:
    assert sorted(ids(engine.search('"ủy ban nhân dân"', scope=ALL))) == [1, 2]
    assert ids(engine.search('"bán đấu giá"', scope=ALL)) == [3]
    assert ids(engine.search('"bàn đấu giá"', scope=ALL)) == []


def test_exclude(engine) -> None:
    assert 3 not in ids(engine.search("tài sản -bán", scope=ALL))
    assert 2 in ids(engine.search("tài sản -bán", scope=ALL))


def test_filters_facets_and_date_sort(engine) -> None:
    r = engine.search("loai:KH", scope=ALL)
    assert ids(r) == [1]
    assert ids(engine.search('loai:"báo cáo" tài sản', scope=ALL)) == [2]
    assert ids(engine.search("tài sản nam:2020", scope=ALL)) == [3]
    assert ids(engine.search("tài sản tu:2019-01-01 den:2019-12-31", scope=ALL)) == [2]
    r = engine.search("tài sản", scope=ALL, sort="date")
    assert ids(r) == [3, 2]
    assert r.count == 2
    assert {v.value: v.count for v in r.facets["type"]} == {"Báo cáo": 1, "Thông báo": 1}
    assert {v.value for v in r.facets["decade"]} == {"2010", "2020"}


def test_snippet_comes_from_matching_page_with_its_number(engine) -> None:
    hit = engine.search("mít tinh quảng trường", scope=ALL).hits[0]
    assert (hit.id, hit.page) == (1, 2)
    assert "<mark>mít</mark>" in hit.snippet
    assert hit.url == ""  # the backend knows no URLs; search.services adds them


def test_hostile_text_never_produces_markup(engine) -> None:
    hit = engine.search("lạ", scope=ALL).hits[0]
    assert hit.id == 6
    assert "<" not in hit.snippet.replace("<mark>", "").replace("</mark>", "")
    assert "&gt;" in hit.snippet


def test_reindex_replaces_and_delete_removes(engine) -> None:
    engine.index([make_doc(SAMPLE[2], title="Thông báo thanh lý", pages=["Nội dung mới về thanh lý."])])
    assert ids(engine.search('"đấu giá"', scope=ALL)) == []
    assert ids(engine.search('"thanh lý"', scope=ALL)) == [3]
    engine.delete([3, 999])
    assert ids(engine.search('"thanh lý"', scope=ALL)) == []
    assert engine.count() == len(SAMPLE) - 1


def test_same_top_results_as_sqlite_backend(engine) -> None:
    reference = SqliteBackend({}, db=SqliteFileDb(":memory:"))
    reference.ensure_schema()
    index_sample(reference)
    for query in ["98 KH TU", "bàn giao tài sản", "lich su dang", "ủy ban", "tài sản", "khởi nghĩa 1945"]:
        assert ids(engine.search(query, scope=ALL))[:3] == ids(reference.search(query, scope=ALL))[:3], query


def test_backend_follows_database() -> None:
    from django.db import connection

    assert get_backend().vendor == connection.vendor


def _many(n: int) -> list[SearchDocument]:
    return [SearchDocument(id=i, title=f"Hồ sơ lưu trữ số {i}", doc_type="Báo cáo" if i % 2 else "Kế hoạch",
                           pages=[SearchPage(1, f"Hồ sơ về công tác lưu trữ của xã thứ {i}.")])
            for i in range(1, n + 1)]


def test_every_distinctive_word_first_then_any_word() -> None:
    engine = SqliteBackend({"AND_MIN": 2}, db=SqliteFileDb(":memory:"))
    engine.ensure_schema()
    engine.index(_many(6) + [SearchDocument(id=99, title="Lưu trữ", pages=[SearchPage(1, "Một văn bản khác.")])])
    assert 99 not in ids(engine.search("hồ sơ lưu trữ", scope=ALL, page_size=20))  # lacks "hồ sơ"
    assert 99 in ids(engine.search("lưu trữ quốc gia", scope=ALL, page_size=20))  # "quốc gia": nowhere → OR


def test_broad_match_counts_exactly_and_marks_facets_approximate() -> None:
    engine = SqliteBackend({"FACET_EXACT": 10, "CANDIDATES": 8}, db=SqliteFileDb(":memory:"))
    engine.ensure_schema()
    engine.index(_many(40))
    r = engine.search("hồ sơ lưu trữ", scope=ALL, page_size=2)
    assert r.count == 40
    assert r.facets_approximate and r.to_dict()["facets_approximate"] is True
    assert 0 < sum(v.count for v in r.facets["type"]) < 40  # over the candidates only
    exact = SqliteBackend({}, db=engine.db).search("hồ sơ lưu trữ", scope=ALL, page_size=2)
    assert not exact.facets_approximate and "facets_approximate" not in exact.to_dict()
    assert {v.value: v.count for v in exact.facets["type"]} == {"Báo cáo": 20, "Kế hoạch": 20}


@pytest.mark.parametrize("query", ["kế hoạch lưu trữ", "98 KH TU", "ủy ban nhân dân", "lich su dang bo"])
def test_one_pass_first_stage_equals_separate_candidates_count_and_facets(engine, query: str) -> None:
    from search.query import parse_query

    q = parse_query(query)
    where, params = engine._where(q, ALL, {})
    dfs = engine.doc_freqs(q.should_terms())
    should = engine._selective(q.should_terms(), dfs)
    stage = engine._first_stage_counted(should, [], where, params, 200, dfs, facets=True, maybe_broad=False)
    assert stage.rows, query
    assert [tuple(r) for r in stage.rows] == [tuple(r) for r in engine._first_stage(should, [], where, params, 200, dfs)]
    match, mparams = engine._match([], should)
    count, facets = engine._count_and_facets(match, mparams, where, params, True)
    if stage.count is not None:  # the backend counted in the same pass: the same figures
        assert stage.count == count and stage.facets == facets


def test_term_written_after_the_df_snapshot_is_looked_up_live(engine) -> None:
    engine.optimize()
    assert engine.doc_freqs(["qwertyx"]) == {}  # snapshot current: absent means in no passage
    engine.index([SearchDocument(id=77, title="Qwertyx", pages=[SearchPage(1, "Một từ mới: qwertyx.")])])
    assert engine.doc_freqs(["qwertyx"]) == {"qwertyx": 2}  # head and page rows, counted live
    assert ids(engine.search("qwertyx", scope=ALL)) == [77]
