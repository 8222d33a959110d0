"""Harvesting a DSpace-shaped provider (responses kept under tests/samples/dspace) over real HTTP."""

from __future__ import annotations

import threading
import urllib.parse
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

SAMPLES = Path(__file__).resolve().parent / "samples" / "dspace"


class Handler(BaseHTTPRequestHandler):
    requests: list[dict[str, list[str]]] = []

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
        Handler.requests.append(query)
        verb = query.get("verb", [""])[0]
        name = {"Identify": "Identify.xml", "ListMetadataFormats": "ListMetadataFormats.xml"}.get(verb)
        if verb == "ListRecords":
            name = "ListRecords-2.xml" if "resumptionToken" in query else "ListRecords-1.xml"
        if name is None:
            self.send_response(400)
            self.end_headers()
            return
        body = (SAMPLES / name).read_bytes()
        self.send_response(200)
        self.send_header("Content-Type", "text/xml;charset=UTF-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def dspace() -> Iterator[str]:
    server = None
    for port in range(8760, 8790):
        try:
            server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
            break
        except OSError:
            continue
    assert server is not None, "no free port"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    Handler.requests = []
    try:
        yield "http://127.0.0.1:%d/server/oai/request" % server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.django_db(transaction=True)
def test_dspace_records_become_catalogue_records_pointing_back(dspace, world):
    from archive.models import Item
    from archive.runner import run_until_done
    from interop.harvest import harvest
    from interop.models import HarvestedRecord

    report = harvest(url=dspace, by=world.superuser, collection_code="DSPACE-KH")
    assert report.as_dict()["seen"] == 3
    assert (report.imported, report.updated, report.deleted, report.failed) == (2, 0, 0, 0)
    run_until_done([r.item_id for r in HarvestedRecord.objects.all()], poll=0.01)
    book = Item.objects.get(source_url="http://repository.example.edu.vn/handle/123456789/1638")
    assert book.title == "Lịch sử Đảng bộ xã Cam Hải Đông (1930 - 2020)"
    assert book.issuer_name == "Nguyễn, Văn Bình"
    assert book.keywords == ["Lịch sử Đảng bộ", "Cam Lâm"]
    assert book.date_earliest.year == 2021 and book.date_precision == "year"
    assert book.collection.code == "DSPACE-KH"
    assert "oai:repository.example.edu.vn:123456789/1638" in book.provenance
    article = Item.objects.get(source_url__endswith="/1702")
    assert article.title.endswith("<giai đoạn 1945-1975>")
    assert article.date_precision == "month"
    assert "Cam Hải Đông" in book.text  # the description is searchable text here

    from search.services import search_items

    found = search_items(user=None, query="Cam Hải Đông")
    assert book.pk in [hit.id for hit in found.hits]

    # Second run: the provider is asked from its last responseDate; nothing is imported twice.
    again = harvest(url=dspace, by=world.superuser, collection_code="DSPACE-KH")
    assert Handler.requests[-2].get("from") == ["2026-11-20T03:14:07Z"]
    assert again.imported == 0 and again.unchanged == 2
    assert Item.objects.count() == 2

