from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.core.management import call_command

from books.models import EventPrecision
from books.services import chronology_create, event_add, pack_create
from books.tests.factories import cite, make_shelf, para

pytestmark = pytest.mark.django_db


def test_published_chapter_reads_under_books_with_notes_and_links(world: Any, client: Any) -> None:
    shelf = make_shelf(world)
    response = client.get("/books/cam-hai-dong/chuong-i-vung-at-va-con-nguoi/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Chương I. Vùng đất và con người" in html
    assert 'href="/items/%d/?page=2"' % shelf.plan.pk in html
    assert "/items/%d/" % shelf.report.pk not in html
    toc = client.get("/books/cam-hai-dong/").content.decode()
    assert "Chương II. Kháng chiến" in toc


def test_draft_chapter_is_not_on_the_public_site(world: Any, client: Any) -> None:
    shelf = make_shelf(world, publish=False)
    assert client.get("/books/cam-hai-dong/%s/" % shelf.chapters[0].slug).status_code == 404


def test_internal_book_answers_404_to_the_public(world: Any, client: Any) -> None:
    shelf = make_shelf(world)
    shelf.book.access = "internal"
    shelf.book.org_unit = world.commune
    shelf.book.save()
    assert client.get("/books/cam-hai-dong/").status_code == 404
    client.force_login(world.reader)
    assert client.get("/books/cam-hai-dong/").status_code == 200


def test_item_page_lists_where_it_is_cited(world: Any, client: Any) -> None:
    shelf = make_shelf(world)
    chronology = chronology_create(by=world.superuser, title="Biên niên xã Cam Hải Đông")
    event_add(by=world.superuser, chronology=chronology, date_earliest=dt.date(2022, 8, 18),
              text="Tỉnh ủy ban hành Kế hoạch 98-KH/TU", sources=[{"item": shelf.plan.pk, "page": 1}])
    pack_create(by=world.superuser, title="Chuyên đề 20-CT/TW", slug="chuyen-de-20",
                body=[para("Trích kế hoạch"), cite(shelf.plan, "1")])
    html = client.get("/items/%d/" % shelf.plan.pk).content.decode()
    assert "Được trích dẫn trong" in html
    assert "Chương I. Vùng đất và con người" in html and "Chương II. Kháng chiến" in html
    assert "Biên niên xã Cam Hải Đông" in html and "Chuyên đề 20-CT/TW" in html
    # an unpublished chapter disappears from the list
    shelf.chapters[1].unpublish()
    html = client.get("/items/%d/" % shelf.plan.pk).content.decode()
    assert "Chương II. Kháng chiến" not in html


def test_pack_downloads_as_docx_and_pdf(world: Any, client: Any) -> None:
    shelf = make_shelf(world)
    pack_create(by=world.superuser, title="Chuyên đề sinh hoạt chi bộ", slug="chuyen-de",
                body=[para("Trích dẫn kế hoạch"), cite(shelf.plan, "2"),
                      {"type": "chapter", "value": shelf.chapters[1].pk}])
    page = client.get("/books/packs/chuyen-de/")
    assert page.status_code == 200 and "Kháng chiến" in page.content.decode()
    docx = client.get("/books/packs/chuyen-de/docx/")
    assert docx.status_code == 200 and b"".join(docx.streaming_content)[:2] == b"PK"
    pdf = client.get("/books/packs/chuyen-de/pdf/")
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content)[:4] == b"%PDF"


def test_timeline_filters_and_pages_with_lunar_dates(world: Any, client: Any) -> None:
    chronology = chronology_create(by=world.superuser, title="Biên niên")
    for i in range(150):
        event_add(by=world.superuser, chronology=chronology, date_earliest=dt.date(1975, 1, 1) + dt.timedelta(days=i),
                  text="Sự kiện %d" % i, place="Cam Lâm" if i % 2 else "Nha Trang")
    event_add(by=world.superuser, chronology=chronology, date_earliest=dt.date(1930, 1, 1),
              date_latest=dt.date(1930, 12, 31), precision=EventPrecision.YEAR, text="Thành lập chi bộ",
              actors="Chi bộ Cam Lâm")
    html = client.get("/books/chronology/%d/" % chronology.pk).content.decode()
    assert "151 sự kiện" in html and "1/2" in html
    assert "âm lịch" in html  # lunar date beside the solar one
    only_1930 = client.get("/books/chronology/%d/?year=1930" % chronology.pk).content.decode()
    assert "Thành lập chi bộ" in only_1930 and "Sự kiện 1<" not in only_1930
    by_place = client.get("/books/chronology/%d/?place=Nha+Trang&year=1975" % chronology.pk).content.decode()
    assert "Sự kiện 0" in by_place and "Sự kiện 1 " not in by_place
    by_actor = client.get("/books/chronology/%d/?actor=Chi+b%%E1%%BB%%99" % chronology.pk).content.decode()
    assert "Thành lập chi bộ" in by_actor


def test_event_dates_must_be_in_order(world: Any) -> None:
    chronology = chronology_create(by=world.superuser, title="Biên niên")
    with pytest.raises(ValueError):
        event_add(by=world.superuser, chronology=chronology, date_earliest=dt.date(2000, 5, 1),
                  date_latest=dt.date(1999, 1, 1), text="x", precision="range")


def test_chronology_suggest_json(world: Any, capsys: Any) -> None:
    shelf = make_shelf(world)
    call_command("chronology", "suggest", "--collection", shelf.file.code, "--json")
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"suggestions"} and data["suggestions"]
    first = data["suggestions"][0]
    assert set(first) == {"date", "precision", "text", "item_id", "page"}
    assert any(s["date"] == "2022-08-18" and s["item_id"] == shelf.plan.pk and s["page"] == 1
               for s in data["suggestions"])
