"""No N+1: the item page and the list pages cost the same number of queries however much there is to show."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from archive.services import collection_create, item_update
from reading.tests.factories import make_text_item, make_tree

pytestmark = pytest.mark.django_db


def _count(client, url: str) -> int:
    cache.clear()  # browse counts are cached a few minutes; count the queries that fill them
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.fixture
def small_and_big(world):
    fonds, _series, file = make_tree(org_unit=world.commune)
    small = make_text_item(["Khánh Hòa, ngày 02 tháng 3 năm 2026. Chỉ thị số 20-CT/TW về lịch sử Đảng"],
                           name="small.txt", collection=file,
                           org_unit=world.commune)
    big = make_text_item(["Trang %d: Kế hoạch số 98-KH/TU và Chỉ thị số 20-CT/TW, Quyết định số %d-QĐ/TU" % (n, n)
                          for n in range(1, 9)], name="big.txt", collection=file, org_unit=world.commune)
    for n in range(4):  # items that cite `big`
        make_text_item("Thực hiện Kế hoạch số 98-KH/TU số %d" % n, name="c%d.txt" % n, org_unit=world.commune)
    item_update(item=big, by=world.superuser, fields={"symbol": "98-KH/TU"})
    return small, big, fonds, file


@pytest.mark.parametrize("who", ["anonymous", "reader"])
def test_item_page_queries_do_not_grow_with_pages_or_references(world, client, small_and_big, who,
                                                                django_assert_num_queries):
    if who == "reader":
        client.force_login(world.reader)
    small, big, _fonds, _file = small_and_big
    n_small = _count(client, "/items/%s/" % small.pk)
    n_big = _count(client, "/items/%s/?page=5&q=ke hoach" % big.pk)
    assert n_small == n_big
    # item, page list, page, files, hierarchy trail, refers to, referred by, cited in (books: chapters and packs,
    # chronology events) (+ session, user, memberships × 2)
    expected = {"anonymous": 9, "reader": 13}[who]
    with django_assert_num_queries(expected):
        client.get("/items/%s/?page=3" % big.pk)
    with django_assert_num_queries(expected - 4):  # htmx page flip: no reference or cited-in lists
        client.get("/items/%s/?page=4" % big.pk, HTTP_HX_REQUEST="true")


def test_api_and_manifest_queries_are_fixed(client, small_and_big, django_assert_num_queries):
    small, big, _fonds, _file = small_and_big
    assert _count(client, "/api/v1/items/%s" % small.pk) == _count(client, "/api/v1/items/%s" % big.pk)
    assert _count(client, "/items/%s/manifest.json" % small.pk) == _count(client, "/items/%s/manifest.json" % big.pk)
    with django_assert_num_queries(5):  # item, files, trail, refers to, referred by
        client.get("/api/v1/items/%s" % big.pk)


def test_list_pages_queries_do_not_grow_with_rows(world, client, small_and_big, django_assert_num_queries):
    _small, _big, fonds, file = small_and_big
    urls = ["/luu-tru/", "/collections/", "/collections/%s/" % fonds.pk, "/collections/%s/children/" % file.pk,
            "/timeline/", "/timeline/?year=2026", "/places/", "/places/?name=Khánh+Hòa"]
    before = {url: _count(client, url) for url in urls}
    for n in range(6):
        collection_create(by=None, title="Hồ sơ thêm %d" % n, kind="file", parent=fonds, access="public")
        make_text_item("Khánh Hòa, ngày 02 tháng 3 năm 2026. Văn bản thêm %d" % n, name="m%d.txt" % n,
                       collection=file)
    after = {url: _count(client, url) for url in urls}
    assert before == after
    cache.clear()
    with django_assert_num_queries(before["/collections/%s/children/" % file.pk]):
        client.get("/collections/%s/children/" % file.pk)
