from __future__ import annotations

import json
import re
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from books.services import entity_confirm
from books.tests.factories import make_shelf

pytestmark = pytest.mark.django_db


def _export(slug: str, fmt: str, out: Path, *extra: str) -> Path:
    call_command("book", "export", slug, "--format", fmt, "--out", str(out), *extra)
    assert out.exists() and out.stat().st_size > 0
    return out


def test_docx_has_real_footnotes_and_index_fields(world: Any, tmp_path: Path) -> None:
    shelf = make_shelf(world)
    entity_confirm(by=world.superuser, book=shelf.book, kind="place", name="Cam Hải Đông")
    out = _export(shelf.book.slug, "docx", tmp_path / "book.docx")
    with zipfile.ZipFile(out) as z:
        footnotes = z.read("word/footnotes.xml").decode()
        document = z.read("word/document.xml").decode()
    # Word's separator and continuation notes carry ids -1/0 (pandoc) — count the real ones.
    real = [n for n in re.findall(r'<w:footnote [^>]*w:id="(\d+)"', footnotes) if int(n) > 0]
    assert len(real) == 6
    assert "98-KH/TU" in footnotes and "Tlđd" in footnotes
    assert document.count("w:footnoteReference") == 6
    assert 'XE "Cam Hải Đông"' in document and " INDEX " in document
    import docx

    assert any("Vùng đất và con người" in p.text for p in docx.Document(str(out)).paragraphs)


def test_pdf_has_the_index_with_pages_and_cited_pages(world: Any, tmp_path: Path) -> None:
    shelf = make_shelf(world)
    entity_confirm(by=world.superuser, book=shelf.book, kind="place", name="Cam Hải Đông")
    out = _export(shelf.book.slug, "pdf", tmp_path / "book.pdf")
    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True,  # noqa: S607
                          check=True).stdout
    assert "Chỉ dẫn" in text
    assert re.search(r"Cam Hải Đông, \d+, \d+", text), text[-800:]  # the index with the page of each mention
    assert "tr. 2" in text and "98-KH/TU" in text  # the cited pages in the footnotes
    assert "Chương I. Vùng đất và con người" in text
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True, check=True).stdout  # noqa: S607
    assert "419.528 x 595.276 pts" in info  # A5


def test_epub_is_a_zip_with_mimetype_first_and_a_nav(world: Any, tmp_path: Path) -> None:
    shelf = make_shelf(world)
    out = _export(shelf.book.slug, "epub", tmp_path / "book.epub")
    with zipfile.ZipFile(out) as z:
        names = z.namelist()
        assert names[0] == "mimetype" and z.read("mimetype") == b"application/epub+zip"
        assert z.getinfo("mimetype").compress_type == zipfile.ZIP_STORED
        opf_name = next(n for n in names if n.endswith(".opf"))
        opf = z.read(opf_name).decode()
        assert 'properties="nav"' in opf
        text = "".join(z.read(n).decode() for n in names if n.endswith(".xhtml"))
    assert "98-KH/TU" in text and "footnote" in text


def test_html_export_links_citations_for_the_public(world: Any, tmp_path: Path) -> None:
    shelf = make_shelf(world)
    out = _export(shelf.book.slug, "html", tmp_path / "book.html")
    html = out.read_text()
    assert 'href="/items/%d/?page=2"' % shelf.plan.pk in html
    assert "/items/%d/" % shelf.report.pk not in html


def test_book_list_json(world: Any, capsys: Any) -> None:
    make_shelf(world)
    call_command("book", "list", "--json")
    data = json.loads(capsys.readouterr().out)
    assert data == {"books": [{"slug": "cam-hai-dong", "title": "Lịch sử Đảng bộ xã Cam Hải Đông", "chapters": 2,
                               "status": "draft"}]}


def test_export_of_an_unknown_book_is_a_clear_error(world: Any, tmp_path: Path) -> None:
    with pytest.raises(CommandError) as exc:
        call_command("book", "export", "nope", "--format", "docx", "--out", str(tmp_path / "x.docx"))
    assert exc.value.returncode == 2 and "no book 'nope'" in str(exc.value)
