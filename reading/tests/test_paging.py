"""Request integers in the reading room (pages, years, ids) never reach SQL out of range: 404 or the last page."""

from __future__ import annotations

import pytest

from reading.tests.factories import make_text_item, make_tree

pytestmark = pytest.mark.django_db

HUGE = "461168601842738790"
BIG = [HUGE, "9" * 30, "9" * 5000]


@pytest.fixture
def item(world):
    tree = make_tree(org_unit=world.commune)
    return make_text_item(["Kế hoạch số 98-KH/TU ngày 18 tháng 8 năm 2022.", "Trang hai."], name="kh-98.txt",
                          collection=tree[2])


@pytest.mark.parametrize("value", BIG)
def test_browse_pages_past_the_end_are_404_not_500(client, item, value):
    for url in ("/collections/", "/collections/children/", "/collections/%d/" % item.collection.pk,
                "/collections/%d/children/" % item.collection.pk):
        assert client.get(url, {"page": value}).status_code == 404, url
    assert client.get("/collections/", {"page": "2"}).status_code == 404  # one page only
    assert client.get("/collections/", {"page": "abc"}).status_code == 200


@pytest.mark.parametrize("value", BIG)
def test_lists_and_item_pages_past_the_end_give_the_last_page(client, item, value):
    for url, params in (("/timeline/", {"year": "2022"}), ("/places/", {"name": "Khánh Hòa"}),
                        ("/items/%d/" % item.pk, {}), ("/items/%d/cite.json" % item.pk, {})):
        response = client.get(url, {**params, "page": value})
        assert response.status_code == 200, url
    page = client.get("/items/%d/" % item.pk, {"page": value}).content.decode()
    assert "Kế hoạch số 98-KH/TU" in page  # an unknown page number shows the first page


@pytest.mark.parametrize("year", [*BIG, "10000", "0", "-5"])
def test_timeline_year_out_of_range_is_404(client, item, year):
    assert client.get("/timeline/", {"year": year}).status_code == 404
    assert client.get("/timeline/", {"year": "2022"}).status_code == 200


@pytest.mark.parametrize("value", ["9" * 19, "9" * 30])
def test_ids_in_urls_out_of_range_are_404(client, item, value):
    for url in ("/items/%s/", "/items/%s/print/", "/items/%s/manifest.json", "/items/%s/cite.json",
                "/collections/%s/", "/collections/%s/children/", "/api/v1/items/%s", "/items/%s/pages/1/image",
                "/items/%s/thumbnail"):
        assert client.get(url % value).status_code == 404, url
    assert client.get("/items/%d/pages/%s/image" % (item.pk, value)).status_code == 404
