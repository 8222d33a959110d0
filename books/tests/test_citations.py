from __future__ import annotations

import json
from typing import Any

import pytest

from books.document import build_book
from books.tests.factories import make_shelf
from books.writers import write_html

pytestmark = pytest.mark.django_db


def test_notes_are_full_first_then_short_with_tld(world: Any) -> None:
    shelf = make_shelf(world)
    doc = build_book(shelf.book, user=world.superuser)
    notes = [n.html for n in doc.notes]
    assert len(notes) == 6
    assert "98-KH/TU" in notes[0] and "tr. 2" in notes[0] and "Phông P12" in notes[0]
    assert notes[1].startswith('<a class="cite"') and "Tlđd, tr. 3" in notes[1]
    assert "20-CT/TW" in notes[2]
    assert "Lời kể của cụ Nguyễn Văn Ba" in notes[4]
    # chapter II: numbering restarts, and a repeat of the plan is the short form
    assert doc.notes[5].number == 1
    assert "Tlđd" in notes[5] and "ngày 18/08/2022" not in notes[5]


def test_citation_links_only_for_readers_who_may_see_the_item(world: Any) -> None:
    shelf = make_shelf(world)
    public = write_html(build_book(shelf.book, user=None))
    assert "/items/%d/?page=2" % shelf.plan.pk in public
    assert "/items/%d/" % shelf.report.pk not in public
    assert "Báo cáo của Đảng ủy xã năm 1975" in public  # the compiler's words stay
    assert "45-BC" not in public and "mật về tình hình" not in public  # nothing from the item itself
    member = write_html(build_book(shelf.book, user=world.reader))
    assert "/items/%d/?page=1" % shelf.report.pk in member


def test_bibliography_grouped_by_kind_and_csl_json(world: Any, client: Any) -> None:
    shelf = make_shelf(world)
    doc = build_book(shelf.book, user=None)
    assert list(doc.bibliography) == ["archival"]
    assert len(doc.bibliography["archival"]) == 2
    response = client.get("/books/cam-hai-dong/csl.json")
    data = json.loads(response.content)
    plan = next(e for e in data if e["id"] == "item-%d" % shelf.plan.pk)
    assert plan["number"] == "98-KH/TU" and "archive_location" in plan and plan["type"] == "manuscript"
    assert all(e["id"] != "item-%d" % shelf.report.pk for e in data)
