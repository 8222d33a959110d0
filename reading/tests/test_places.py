"""The "items of one place" list reads the place index as a subquery: one count and one page query."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser

from archive.models import Blob, Item
from reading import selectors

pytestmark = pytest.mark.django_db


def _item(n: int, places: list[str], access: str = "public") -> Item:
    blob = Blob.objects.create(sha256="%064x" % n, size=10, mime="text/plain")
    return Item.objects.create(original=blob, original_name="tl-%d.txt" % n, title="Tư liệu %d" % n, access=access,
                               status="done", stage="done", date_earliest=dt.date(1945 + n, 1, 1),
                               places=[{"name": p, "level": "commune"} for p in places])


def test_items_of_place_lists_visible_items_naming_it_oldest_first(django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    a = _item(3, ["Cam Lâm", "Ninh Hòa"])
    b = _item(1, ["Cam Lâm"])
    _item(2, ["Ninh Hòa"])
    _item(4, ["Cam Lâm"], access="restricted")
    _item(5, ["<script>alert(1)</script>"])
    with django_assert_num_queries(2):  # the ids are never read into Python (before: a third query for them)
        qs = selectors.items_of_place(AnonymousUser(), "Cam Lâm")
        assert qs.count() == 2
        assert [i.pk for i in qs[:50]] == [b.pk, a.pk]
    assert list(selectors.items_of_place(AnonymousUser(), "Không có")) == []


def test_place_page_escapes_hostile_place_names(client) -> None:  # type: ignore[no-untyped-def]
    _item(5, ["<script>alert(1)</script>"])
    page = client.get("/places/", {"name": "<script>alert(1)</script>"}).content.decode()
    assert "<script>alert(1)</script>" not in page and "Tư liệu 5" in page
