from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from books.document import build_book
from books.models import BookPage, ChapterPage, ImportReport
from books.samples import make_manuscript
from books.tests.factories import make_items

pytestmark = pytest.mark.django_db


def _manuscript(tmp_path: Path) -> Path:
    return make_manuscript(tmp_path / "ban-thao.docx", [
        ("Chương I. Vùng đất Cam Hải", [
            ("Năm 2022 Tỉnh ủy ra kế hoạch sơ kết.", [
                "Kế hoạch số 98-KH/TU ngày 18/8/2022 của Ban Thường vụ Tỉnh ủy, lưu tại Tỉnh ủy, tr. 2."]),
            ("Chỉ thị của Ban Bí thư.", ["Chỉ thị số 20-CT/TW, ngày 18/01/2018 của Ban Bí thư, tờ 1."]),
        ]),
        ("Chương II. Kháng chiến", [
            ("Theo lời kể của nhân chứng.", ["Lời kể của cụ Nguyễn Văn Ba, ghi năm 2020."]),
            ("Một văn bản chưa có trong kho <script>alert(1)</script>.",
             ["Quyết định số 77-QĐ/HU ngày 02/3/1999 của Huyện ủy."]),
        ]),
    ])


def test_import_links_footnotes_that_name_archive_items(world: Any, tmp_path: Path, capsys: Any) -> None:
    plan, directive, _report, _file = make_items(world)
    path = _manuscript(tmp_path)
    call_command("book", "import", str(path), "--book", "ban-thao", "--json", "--user", "root")
    data = json.loads(capsys.readouterr().out)
    assert data == {"book": "ban-thao", "chapters": 2, "footnotes": 4, "linked": 2, "unresolved": [
        {"chapter": "Chương II. Kháng chiến", "n": 1, "text": "Lời kể của cụ Nguyễn Văn Ba, ghi năm 2020."},
        {"chapter": "Chương II. Kháng chiến", "n": 2, "text": "Quyết định số 77-QĐ/HU ngày 02/3/1999 của Huyện ủy."},
    ]}
    book = BookPage.objects.get(slug="ban-thao")
    chapters = list(ChapterPage.objects.descendant_of(book).order_by("path"))
    assert [c.title for c in chapters] == ["Chương I. Vùng đất Cam Hải", "Chương II. Kháng chiến"]
    citations = [b.value for b in chapters[0].body if b.block_type == "citation"]
    assert [c["item"].pk for c in citations] == [plan.pk, directive.pk]
    assert citations[0]["locator"] == "2" and citations[1]["locator_kind"] == "folio"
    assert ImportReport.objects.get(book=book).data["linked"] == 2
    doc = build_book(book, user=world.superuser)
    assert len(doc.notes) == 4
    # hostile text stays text
    assert "<script>" not in "".join(b.html for d in doc.divisions for b in d.blocks)


def test_export_then_import_keeps_every_footnote(world: Any, tmp_path: Path, capsys: Any) -> None:
    make_items(world)
    call_command("book", "import", str(_manuscript(tmp_path)), "--book", "ban-thao", "--user", "root")
    out = tmp_path / "again.docx"
    call_command("book", "export", "ban-thao", "--format", "docx", "--out", str(out))
    with zipfile.ZipFile(out) as z:
        assert z.read("word/footnotes.xml").decode().count("<w:footnote ") >= 4
    capsys.readouterr()
    call_command("book", "import", str(out), "--book", "ban-thao-2", "--json", "--user", "root")
    data = json.loads(capsys.readouterr().out)
    assert data["footnotes"] == 4 and data["linked"] == 2


@pytest.mark.parametrize("content,message", [(b"not a zip at all", "cannot read"), (None, "no such file")])
def test_import_bad_input_is_one_clear_error(world: Any, tmp_path: Path, content: bytes | None,
                                            message: str) -> None:
    path = tmp_path / "broken.docx"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(CommandError) as exc:
        call_command("book", "import", str(path), "--book", "x", "--user", "root")
    assert exc.value.returncode == 2 and message in str(exc.value)
    assert not BookPage.objects.filter(slug="x").exists()
