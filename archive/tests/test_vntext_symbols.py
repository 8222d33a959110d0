"""`sulieu search` finds the old and Party symbols that vntext reads in an ingested document (issue 12)."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command

from archive.models import Item

pytestmark = pytest.mark.django_db

TEXT = (
    "ĐẢNG ỦY XÃ CAM HẢI ĐÔNG\nSố: 45-BC/ĐU\nBÁO CÁO\n"
    "Tư liệu lịch sử Đảng bộ xã: thực hiện Quyết định số 217-HĐBT ngày 14/11/1987 của Hội đồng Bộ trưởng và "
    "Nghị quyết số 10-NQ/TƯ ngày 5/4/1988 của Bộ Chính trị, hợp tác xã đã khoán đến hộ xã viên.\n"
    "Ngày 12/7/2005, Ban Thường vụ Huyện ủy ban hành Chỉ thị số 07-NQ/TƯ về công tác lịch sử Đảng.\n"
)


def _search(query: str) -> list[int]:
    out = io.StringIO()
    call_command("search", query, "--json", stdout=out)
    return [r["id"] for r in json.loads(out.getvalue())["results"]]


def test_search_finds_old_and_tu_symbols_in_an_ingested_document(tmp_path, ingest) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "tu-lieu.txt").write_text(TEXT, encoding="utf-8")
    summary = ingest(folder, access="public")
    assert summary["imported"] == 1 and summary["failures"] == []
    item = Item.objects.get()
    assert item.symbol == "45-BC/ĐU"
    assert {r.symbol for r in item.references.all()} == {"217-HĐBT", "10-NQ/TW", "07-NQ/TW"}
    for query in ("217-HĐBT", "217-hdbt", "07-NQ/TƯ", "07-NQ/TW", "10-NQ/TƯ"):
        assert _search(query) == [item.pk], query
