"""The declared filter schema: every name compiles to SQL, an unknown name is a clear error, views follow it."""

from __future__ import annotations

import datetime as dt

import pytest

from search import filters
from search.backends import get_backend
from search.backends.sql.where import filters_sql
from search.services import search_items
from search.tests.factories import index_sample

SAMPLE_VALUES = {"text": "QĐ", "int": 1975, "date": dt.date(1975, 4, 30), "path": "000001.", "ids": [1, 2]}


def test_every_declared_filter_compiles() -> None:
    for name, spec in filters.FILTERS.items():
        conds, params = filters_sql({name: SAMPLE_VALUES[spec.kind]})
        assert len(conds) == 1 and params, name


def test_empty_values_are_no_condition_and_unknown_names_are_refused() -> None:
    assert filters_sql({"type": "", "year": None, "ids": None}) == ([], [])
    with pytest.raises(filters.UnknownFilter, match="'colour'"):
        filters_sql({"colour": "red", "type": "QĐ"})


@pytest.mark.django_db
def test_search_with_an_unknown_filter_fails_loudly(world) -> None:  # type: ignore[no-untyped-def]
    index_sample(get_backend())
    with pytest.raises(filters.UnknownFilter):
        search_items(user=None, query="lịch sử", filters={"tpye": "BC"})
    with pytest.raises(filters.UnknownFilter):
        get_backend().search("lịch sử", filters={"<script>": 1})
    hit = search_items(user=world.superuser, query="98-KH/TU").hits[0]
    assert hit.url == "/items/%d/" % hit.id  # reverse("reading:item")


def test_views_read_the_public_filters() -> None:
    from search.views import FILTER_PARAMS

    assert FILTER_PARAMS == filters.PUBLIC
    assert "ids" not in FILTER_PARAMS and "unit_path" not in FILTER_PARAMS
    assert set(filters.FACETS) <= set(filters.PUBLIC)
