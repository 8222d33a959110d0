"""Access is enforced inside the search query: titles, snippets and facet counts of what one may not see
never come back."""

from __future__ import annotations

import itertools

import pytest

from orgs.access import scope_for
from search.backends import get_backend
from search.documents import SearchDocument, SearchPage
from search.services import search_items


def _docs(world) -> list[SearchDocument]:  # type: ignore[no-untyped-def]
    units = {"none": None, "province": world.province, "commune": world.commune, "other": world.other_commune}
    docs = []
    for n, (access, unit) in enumerate(itertools.product(["public", "internal", "restricted"], units), 1):
        u = units[unit]
        docs.append(SearchDocument(
            id=n, title=f"Hồ sơ lưu trữ {access} {unit} mật danh{n}", doc_type=f"Loại {access}",
            pages=[SearchPage(1, f"Nội dung hồ sơ lưu trữ số {n}")], access=access,
            unit_id=u.pk if u else None, unit_path=u.path if u else None))
    return docs


@pytest.fixture
def indexed(world):  # type: ignore[no-untyped-def]
    docs = _docs(world)
    get_backend().index(docs)
    return docs


@pytest.mark.parametrize("who", ["anonymous", "outsider", "reader", "other_reader", "archivist", "superuser"])
def test_search_returns_exactly_what_the_user_may_see(world, indexed, who: str) -> None:
    user = None if who == "anonymous" else getattr(world, who)
    scope = scope_for(user)
    expected = {d.id for d in indexed if scope.allows(d.access, d.unit_path)}
    results = search_items(user=user, query="hồ sơ lưu trữ", page_size=100)
    assert {h.id for h in results.hits} == expected
    assert results.count == len(expected)
    assert sum(v.count for v in results.facets["access"]) == len(expected)


def test_restricted_title_and_snippet_absent_for_anonymous_and_reader(world, indexed) -> None:
    for user in (None, world.reader):
        results = search_items(user=user, query="danh9")  # doc 9: restricted, province
        assert results.count == 0 and results.hits == []
        assert all(v.value != "restricted" for v in results.facets["access"])
        assert all("restricted" not in v.value for v in results.facets["type"])
    assert [h.id for h in search_items(user=world.archivist, query="danh9").hits] == [9]


def test_reader_sees_internal_of_own_commune_and_province_not_sibling(world, indexed) -> None:
    seen = {h.id for h in search_items(user=world.reader, query="internal", page_size=100).hits}
    # internal × (none, province, commune, other) are ids 5..8
    assert seen == {5, 6, 7}
    assert {h.id for h in search_items(user=None, query="internal", page_size=100).hits} == set()
