"""Browsing without text (stop 21) on the database in use: the listing newest first through the head rows'
date index, and the count and facets from the counts kept at index time (``heads``), which stay right through
deletes, re-indexing, duplicate and interrupted loads."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection, transaction

from orgs.access import PUBLIC_SCOPE, AccessScope
from search.backends.sql.connection import DjangoDb
from search.backends.sql.facets import HEADS
from search.documents import SearchDocument, SearchPage
from search.query import parse_query

pytestmark = pytest.mark.django_db
ALL = AccessScope(everything=True)
MEMBER = AccessScope(member=True, internal_paths=("000001.000002.",), internal_unit_ids=frozenset({1, 2}))
ARCHIVIST = AccessScope(member=True, internal_paths=("000001.000003.",), internal_unit_ids=frozenset({1, 3}),
                        restricted_any=True, restricted_paths=("000001.000003.",))
SCOPES = (ALL, PUBLIC_SCOPE, MEMBER, ARCHIVIST)
FILTERS: tuple[dict[str, Any], ...] = (
    {}, {"type": "BC"}, {"type": "Kế hoạch"}, {"issuer": "UBND"}, {"year": 2019}, {"decade": 2010}, {"unit": 2},
    {"collection": 1}, {"access": "internal"}, {"date_to": dt.date(2012, 6, 30)}, {"type": "QĐ", "year": 2019})
TYPES = (("Báo cáo", "BC"), ("Kế hoạch", "KH"), ("Quyết định", "QĐ"))


def engine(**options: Any) -> Any:
    db = DjangoDb("default")
    if db.vendor == "postgresql":
        from search.backends.postgres import PostgresBackend

        return PostgresBackend(options, db=db, prefix="search_br_")
    from search.backends.sqlite import SqliteBackend

    return SqliteBackend(options, db=db, prefix="search_br_")


@pytest.fixture
def backend() -> Iterator[Any]:
    b = engine()
    b.drop_schema()
    b.ensure_schema()
    yield b
    b.drop_schema()


def doc(i: int, shift: int = 0) -> SearchDocument:
    """Mixed access levels and units (1 has no unit), every fifth undated, dates shared by several items."""
    unit = (i + shift) % 4
    doc_type, code = TYPES[(i + shift) % 3]
    date = None if i % 5 == 0 else dt.date(2008 + (i * 7 + shift) % 14, 1 + i % 12, 1)
    return SearchDocument(
        id=i, title=f"Hồ sơ {i}", doc_type=doc_type, doc_type_code=code, issuer=("UBND", "Tỉnh ủy")[i % 2],
        issuer_code=("UBND", "TU")[i % 2], date_from=date, access=("public", "internal", "restricted")[(i + shift) % 3],
        unit_id=unit or None, unit_path=f"000001.{unit:06d}." if unit else None, collection_id=i % 3 or None,
        collection_path=f"{i % 3:06d}." if i % 3 else None,
        pages=[SearchPage(n, f"Trang {n} của hồ sơ {i}.") for n in range(1, 1 + i % 3)])


def expected(docs: list[SearchDocument], scope: AccessScope, filters: dict[str, Any]) -> list[int]:
    """The listing computed here: the items ``scope`` sees that pass ``filters``, newest first, undated last,
    then by id."""
    def passes(d: SearchDocument) -> bool:
        year = d.date_from.year if d.date_from else None
        checks = {"type": lambda v: v in (d.doc_type_code, d.doc_type), "issuer": lambda v: v == d.issuer_code,
                  "year": lambda v: year == v, "decade": lambda v: year is not None and v <= year < v + 10,
                  "unit": lambda v: d.unit_id == v, "collection": lambda v: d.collection_id == v,
                  "access": lambda v: d.access == v,
                  "date_to": lambda v: d.date_from is not None and d.date_from <= v}
        return all(checks[name](value) for name, value in filters.items())

    seen = [d for d in docs if scope.allows(d.access, d.unit_path) and passes(d)]
    seen.sort(key=lambda d: (d.date_from is None, -(d.date_from.toordinal() if d.date_from else 0), d.id))
    return [d.id for d in seen]


def exact(b: Any, scope: AccessScope, filters: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    """Count and facets counted over the head rows in scope (the exact path, as before the kept counts)."""
    where, params = b._where(parse_query(""), scope, filters)
    return b._count_and_facets(HEADS, [], where, params, True, heads=True)  # type: ignore[no-any-return]


def assert_counts_kept(b: Any) -> None:
    for scope in SCOPES:
        count, values = exact(b, scope, {})
        assert b.heads_count(scope) == count, scope
        assert b.heads_facets(scope) == ((count, values) if scope in (ALL, PUBLIC_SCOPE) else None), scope
        for filters in FILTERS:
            kept = b.heads_count(scope, filters)
            if kept is not None:
                assert kept == exact(b, scope, filters)[0], (scope, filters)


@pytest.mark.parametrize("facet_exact", [5000, 5])
def test_browsing_lists_the_visible_items_newest_first_with_exact_counts(backend: Any, facet_exact: int) -> None:
    docs = [doc(i) for i in range(1, 61)]
    backend.index(docs)
    backend.facet_exact = facet_exact
    for scope in SCOPES:
        for filters in FILTERS:
            want = expected(docs, scope, filters)
            for facets in (False, True):
                pages = [backend.search("", scope=scope, filters=filters, sort="date", page=n, page_size=7,
                                        facets=facets) for n in (1, 2, 3)]
                got = [h.id for page in pages for h in page.hits]
                assert got == want[:21] and {p.count for p in pages} == {len(want)}, (scope, filters)
                if not facets:
                    continue
                count, values = exact(backend, scope, filters)
                if (not filters and scope in (ALL, PUBLIC_SCOPE)) or len(want) <= facet_exact:  # kept, or few
                    assert pages[0].facets == values and not pages[0].facets_approximate, (scope, filters)
                else:  # sampled: only values that are there, marked approximate
                    assert pages[0].facets_approximate and count == len(want)
                    assert all({v.value for v in pages[0].facets[n]} <= {v.value for v in values[n]} for n in values)
    assert backend.search("", scope=ALL, sort="date", page=20, page_size=7).hits == []


def test_kept_counts_follow_deletes_reindexing_and_duplicates(backend: Any) -> None:
    backend.index([doc(i) for i in range(1, 41)])
    assert_counts_kept(backend)
    backend.index([doc(i, shift=1) for i in range(10, 30)])  # access, unit, type and date changed
    backend.delete([3, 4, 25, 99])
    backend.index([doc(i, shift=2) for i in (50, 51, 12)])  # new items and one again
    backend.index([doc(i, shift=2) for i in (50, 51, 12)])  # the same load run twice
    assert backend.count() == 39
    assert_counts_kept(backend)
    # a row counted in (keyed in Python) and out (keyed in SQL) is one row: none left below 0
    assert not backend.db.fetchall(f"SELECT 1 FROM {backend.t}heads WHERE n < 0")
    backend.ensure_schema()  # counts fallen to 0 removed
    assert not backend.db.fetchall(f"SELECT 1 FROM {backend.t}heads WHERE n <= 0")
    assert_counts_kept(backend)
    backend.clear()
    assert backend.heads_facets(ALL)[0] == 0
    backend.index([doc(i) for i in range(1, 6)])
    assert_counts_kept(backend)


def test_an_interrupted_load_counts_the_items_it_committed(backend: Any) -> None:
    def docs() -> Iterator[SearchDocument]:
        for i in range(1, 1200):
            if i == 700:
                raise KeyboardInterrupt
            yield doc(i)

    backend.analysis_processes = 0
    with pytest.raises(KeyboardInterrupt), backend.bulk():
        backend.index(docs())
    assert backend.count() == 500 == backend.heads_count(ALL)
    assert_counts_kept(backend)


def test_an_index_made_before_the_counts_is_counted_by_ensure_schema(backend: Any) -> None:
    backend.index([doc(i) for i in range(1, 31)])
    backend.db.execute(f"DROP TABLE {backend.t}heads")
    backend.db.execute(f"DELETE FROM {backend.t}stat WHERE key = 'heads'")
    backend.ensure_schema()
    assert_counts_kept(backend)


def test_the_listing_reads_the_date_index(backend: Any) -> None:
    backend.index([doc(i) for i in range(1, 31)])
    sql = (f"SELECT p.item_id, p.date_from AS d FROM {backend.t}passage p WHERE p.page = 0 AND p.access = 'public' "
           f"ORDER BY d DESC NULLS LAST, p.item_id LIMIT 10")
    if connection.vendor == "postgresql":  # a table this small is read whole unless sorting is ruled out
        with transaction.atomic():
            backend.db.execute("SET LOCAL enable_sort = off; SET LOCAL enable_seqscan = off")
            plan = " ".join(r[0] for r in backend.db.fetchall("EXPLAIN " + sql))
    else:
        plan = " ".join(str(r[-1]) for r in backend.db.fetchall("EXPLAIN QUERY PLAN " + sql))
    assert f"{backend.t}passage_date" in plan and "SORT" not in plan.upper(), plan
