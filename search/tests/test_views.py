from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command

from search import services
from search.documents import SearchDocument, SearchPage
from search.tests.factories import index_sample

pytestmark = pytest.mark.django_db


@pytest.fixture
def sample(world):  # type: ignore[no-untyped-def]
    engine = index_sample()
    engine.index([SearchDocument(id=50, title="Biên bản mật về nhân sự", access="restricted",
                                 unit_id=world.province.pk, unit_path=world.province.path,
                                 pages=[SearchPage(1, "Nội dung mật của biên bản nhân sự.")])])
    return engine


def test_api_shape_and_access(client, world, sample) -> None:
    data = client.get("/api/v1/search", {"q": "98 KH TU"}).json()
    assert set(data) >= {"count", "results", "facets"}
    assert set(data["results"][0]) == {"id", "title", "url", "snippet", "page", "score"}
    assert data["results"][0]["id"] == 1 and data["results"][0]["url"] == "/items/1/"
    assert client.get("/api/v1/search", {"q": '"biên bản"'}).json()["count"] == 0
    client.force_login(world.archivist)
    assert [r["id"] for r in client.get("/api/v1/search", {"q": '"biên bản"'}).json()["results"]] == [50]


def test_api_pages(client, sample) -> None:
    first = client.get("/api/v1/search", {"q": "tài sản", "page_size": 1}).json()
    second = client.get("/api/v1/search", {"q": "tài sản", "page_size": 1, "page": 2}).json()
    assert first["results"][0]["id"] != second["results"][0]["id"]


def test_search_page_renders_results_facets_and_escapes(client, sample) -> None:
    response = client.get("/search/", {"q": "lạ"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in body and "&lt;script&gt;" in body
    assert "<mark>lạ</mark>" in body
    body = client.get("/search/", {"q": "tai san"}).content.decode()
    assert "Báo cáo bàn giao tài sản" in body and "gõ không dấu" in body.lower() or "không dấu" in body
    assert "Loại văn bản" in body and "so:98-KH/TU" in body  # facets and the query-language help
    assert client.get("/search/").status_code == 200


def test_cli_search_json(sample) -> None:
    out = StringIO()
    call_command("search", "98-kh/tu", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["results"][0]["id"] == 1
    out = StringIO()
    call_command("search", '"biên bản"', stdout=out)
    assert "mật" not in out.getvalue()


def test_index_items_indexes_and_forgets_missing(monkeypatch, sample) -> None:
    def docs(ids, chunk=200):  # type: ignore[no-untyped-def]
        return iter([SearchDocument(id=i, title=f"Tài liệu tái bản {i}") for i in ids if i != 2])

    monkeypatch.setattr(services.sources, "archive_documents", docs)
    services.index_items(item_ids=[2, 7])
    results = services.search_items(user=None, query='"tái bản"')
    assert [h.id for h in results.hits] == [7]
    assert services.search_items(user=None, query='"bàn giao"').count == 0  # item 2 is gone
    services.remove_items(item_ids=[7])
    assert services.search_items(user=None, query='"tái bản"').count == 0
