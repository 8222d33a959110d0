"""The "items of one place" list pages over the place index (place, date, item, access columns), then reads the
page's items by id: the same items, order and count as the straightforward query over items, in two statements
whatever the page."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext

from archive.models import Blob, DuplicateCandidate, Item, ItemPlace
from archive.selectors import item_list
from archive.services import duplicate_decide, item_update
from reading import selectors

pytestmark = pytest.mark.django_db
_numbers = itertools.count(1)


def _item(year: int | None, places: list[str], access: str = "public", unit=None) -> Item:  # type: ignore[no-untyped-def]
    n = next(_numbers)
    blob = Blob.objects.create(sha256="%064x" % n, size=10, mime="text/plain")
    return Item.objects.create(original=blob, original_name="tl-%d.txt" % n, title="Tư liệu %d" % n, access=access,
                               org_unit=unit, status="done", stage="done",
                               date_earliest=dt.date(year, 1, 1) if year else None,
                               places=[{"name": p, "level": "commune"} for p in places])


def _straightforward(user, place: str) -> list[int]:  # type: ignore[no-untyped-def]
    """What the page must show: visible items (orgs.access, not merged) naming the place, by date then id."""
    named = [i.pk for i in Item.objects.all() if place in [p["name"] for p in i.places]]
    return list(item_list(user).filter(pk__in=named).order_by("date_earliest", "id").values_list("id", flat=True))


@pytest.fixture
def mixed(world):  # type: ignore[no-untyped-def]
    """A place named by public, internal (two units, none) and restricted items, with ties and missing dates,
    one merged item, and items of another place."""
    items = []
    for n in range(17):
        access = ("public", "internal", "restricted", "public")[n % 4]
        unit = (world.commune, world.other_commune, None)[n % 3]
        items.append(_item(None if n % 7 == 3 else 1950 + n % 5, ["Cam Lâm"] + (["Ninh Hòa"] if n % 2 else []),
                           access=access, unit=unit))
    _item(1960, ["Ninh Hòa"])
    merged = items[0]
    merged.merged_into = items[4]
    merged.save(update_fields=["merged_into", "updated_at"])
    return items


@pytest.mark.parametrize("who", ["anonymous", "reader", "other_reader", "archivist", "superuser", "outsider"])
def test_place_list_shows_what_the_straightforward_query_shows_on_every_page(world, mixed, who) -> None:  # type: ignore[no-untyped-def]
    user = AnonymousUser() if who == "anonymous" else getattr(world, who)
    for place in ("Cam Lâm", "Ninh Hòa"):
        expected = _straightforward(user, place)
        listed = selectors.items_of_place(user, place)
        assert listed.count() == len(expected) > 0
        for start in range(0, len(expected) + 3, 3):  # pages of three: every "deep page" of this small set
            assert [i.pk for i in listed[start:start + 3]] == expected[start:start + 3], (place, start)
        assert [i.pk for i in listed] == expected
    assert mixed[0].pk not in [i.pk for i in selectors.items_of_place(world.superuser, "Cam Lâm")]  # merged


def test_hidden_items_are_never_counted_or_shown(world, mixed) -> None:  # type: ignore[no-untyped-def]
    public = [i.pk for i in mixed if i.access == "public" and i.merged_into_id is None]
    listed = selectors.items_of_place(AnonymousUser(), "Cam Lâm")
    assert listed.count() == len(public)
    assert sorted(i.pk for i in listed) == sorted(public)


def test_unknown_place_is_an_empty_list(client, mixed) -> None:  # type: ignore[no-untyped-def]
    listed = selectors.items_of_place(AnonymousUser(), "Không có")
    assert listed.count() == 0 and list(listed) == [] and listed[0:50] == []
    response = client.get("/places/", {"name": "Không có"})
    assert response.status_code == 200 and "Không có tài liệu." in response.content.decode()


def test_place_page_statements_do_not_grow_with_the_page_number(client, world, mixed, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(selectors, "LIST_PAGE", 2)
    client.force_login(world.reader)
    expected = _straightforward(world.reader, "Cam Lâm")
    last = -(-len(expected) // 2)
    counts = {}
    for page in (1, 2, last // 2, last):
        client.get("/places/", {"name": "Cam Lâm", "page": page})  # the place chips are cached after the first
        with CaptureQueriesContext(connection) as captured:
            html = client.get("/places/", {"name": "Cam Lâm", "page": page}).content.decode()
        counts[page] = len(captured)
        shown = [i for i in expected[(page - 1) * 2:page * 2]]
        for pk in shown:
            assert "/items/%d/" % pk in html
    assert len(set(counts.values())) == 1, counts


def test_place_rows_follow_the_items_access_date_and_merges(world, mixed) -> None:  # type: ignore[no-untyped-def]
    anonymous = AnonymousUser()
    first = selectors.items_of_place(anonymous, "Cam Lâm")[0:1][0]
    item_update(item=first, by=world.superuser, fields={"access": "restricted"})
    assert first.pk not in [i.pk for i in selectors.items_of_place(anonymous, "Cam Lâm")]
    item_update(item=first, by=world.superuser, fields={"access": "public", "date_earliest": dt.date(2001, 1, 1)})
    listed = selectors.items_of_place(anonymous, "Cam Lâm")
    dated = [i.pk for i in listed if i.date_earliest is not None]  # undated: first on SQLite, last on PostgreSQL
    assert dated[-1] == first.pk and [i.pk for i in listed] == _straightforward(anonymous, "Cam Lâm")
    # a merge hides the merged item; deleting the item it was merged into shows it again
    keep = [i for i in mixed if i.access == "public" and i.pk != first.pk and i.merged_into_id is None][0]
    target = _item(1990, ["Vạn Ninh"], access="public")
    duplicate_decide(candidate=DuplicateCandidate.objects.create(item=keep, other=target, score=0.9),
                     by=world.superuser, decision=DuplicateCandidate.Decision.MERGED)
    assert keep.pk not in [i.pk for i in selectors.items_of_place(anonymous, "Cam Lâm")]
    target.delete()
    assert keep.pk in [i.pk for i in selectors.items_of_place(anonymous, "Cam Lâm")]
    assert [i.pk for i in selectors.items_of_place(anonymous, "Cam Lâm")] == _straightforward(anonymous, "Cam Lâm")
    # a place removed from the item's places leaves the list
    item_update(item=first, by=world.superuser, fields={"places": [{"name": "Ninh Hòa", "level": "commune"}]})
    assert first.pk not in [i.pk for i in selectors.items_of_place(anonymous, "Cam Lâm")]
    assert first.pk in [i.pk for i in selectors.items_of_place(anonymous, "Ninh Hòa")]


def test_migration_backfills_the_copied_columns(world, mixed) -> None:  # type: ignore[no-untyped-def]
    import importlib

    migration = importlib.import_module("archive.migrations.0004_itemplace_order_access")
    ItemPlace.objects.update(date_earliest=None, access="public", org_unit=None)
    migration.backfill(apps, None)
    for row in ItemPlace.objects.select_related("item"):
        assert (row.date_earliest, row.access, row.org_unit_id, row.merged_into_id) == (
            row.item.date_earliest, row.item.access, row.item.org_unit_id, row.item.merged_into_id)


def test_place_page_escapes_hostile_place_names(client) -> None:  # type: ignore[no-untyped-def]
    _item(1945, ["<script>alert(1)</script>"])
    page = client.get("/places/", {"name": "<script>alert(1)</script>"}).content.decode()
    assert "<script>alert(1)</script>" not in page and "Tư liệu" in page


@pytest.mark.parametrize("who", ["anonymous", "reader", "superuser"])
def test_place_counts_count_the_visible_items_of_each_place(world, mixed, who) -> None:  # type: ignore[no-untyped-def]
    user = AnonymousUser() if who == "anonymous" else getattr(world, who)
    expected = {place: len(_straightforward(user, place)) for place in ("Cam Lâm", "Ninh Hòa")}
    counts = selectors._place_counts(user, 500)
    assert dict(counts) == {place: n for place, n in expected.items() if n}
    assert [n for _place, n in counts] == sorted((n for _place, n in counts), reverse=True)
