"""Paging and other request integers are checked before SQL: out of range → the last page, never a 500."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from search.tests.factories import index_sample

pytestmark = pytest.mark.django_db

HUGE = "461168601842738790"
# page sent → page answered ("last": the last page)
HOSTILE_PAGES = {HUGE: "last", "9" * 40: "last", "9" * 5000: "last", "10001": "last", "0": 1, "-3": 1, "abc": 1,
                 "1e9": 1, "２": 1, " 2 ": 2, "": 1}


@pytest.fixture
def sample(world):  # type: ignore[no-untyped-def]
    return index_sample()


@pytest.mark.parametrize("page", list(HOSTILE_PAGES))
def test_api_page_out_of_range_is_the_last_page(client, sample, page) -> None:
    response = client.get("/api/v1/search", {"q": "tài sản", "page": page, "page_size": 1})
    assert response.status_code == 200
    data = response.json()
    assert data["count"] >= 2 and len(data["results"]) == 1
    expected = HOSTILE_PAGES[page]
    assert data["page"] == (data["num_pages"] if expected == "last" else expected)


@pytest.mark.parametrize("page", list(HOSTILE_PAGES))
def test_search_page_out_of_range_is_the_last_page(client, sample, page) -> None:
    response = client.get("/search/", {"q": "tài sản", "page": page})
    assert response.status_code == 200
    assert "Báo cáo bàn giao tài sản" in response.content.decode()


@pytest.mark.parametrize("name", ["year", "decade", "unit", "collection"])
@pytest.mark.parametrize("value", [HUGE + "0000", "9" * 30, "-1", "1.5", "１９"])
def test_integer_filters_out_of_range_are_ignored_not_500(client, sample, name, value) -> None:
    for url in ("/api/v1/search", "/search/"):
        response = client.get(url, {"q": "tài sản", name: value})
        assert response.status_code == 200, (url, name, value)


def test_page_size_is_bounded(client, sample) -> None:
    for size in ("0", "-1", "9" * 40, "x", "100000"):
        response = client.get("/api/v1/search", {"q": "tài sản", "page_size": size})
        assert response.status_code == 200 and 1 <= len(response.json()["results"]) <= 100


def test_search_command_page_is_validated() -> None:
    for bad in (HUGE + "0", "0", "-1", "x"):
        with pytest.raises(CommandError, match="--page"):
            call_command("search", "tài sản", "--page", bad, stdout=io.StringIO())
    with pytest.raises(CommandError, match="--page-size"):
        call_command("search", "tài sản", "--page-size", "1000", stdout=io.StringIO())


def test_search_command_past_the_end_prints_the_last_page(sample) -> None:
    out = io.StringIO()
    call_command("search", "tài sản", "--json", "--page", "10000", "--page-size", "1", stdout=out)
    data = json.loads(out.getvalue())
    assert data["page"] == data["num_pages"] >= 2 and len(data["results"]) == 1
