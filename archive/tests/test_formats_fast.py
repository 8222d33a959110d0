"""The fast DOCX reader gives python-docx's text exactly; trafilatura's fast mode keeps the main text."""

from __future__ import annotations

import io
import re
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
import trafilatura
from docx.enum.text import WD_BREAK
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from archive import formats, samples
from archive.formats import BadInput
from archive.officetext import DocxError, docx_text

HOSTILE = '<script>alert("x")</script> & <b onmouseover="alert(1)">Đảng ủy</b>'


def python_docx_extraction(data: bytes) -> tuple[str, dict[str, str]]:
    """What ``formats.extract_docx`` did before (python-docx's object tree), kept here as the reference."""
    document = docx.Document(io.BytesIO(data))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append(" | ".join(cell.text for cell in row.cells))
    meta = {}
    if document.core_properties.title:
        meta["title"] = document.core_properties.title
    if document.core_properties.author:
        meta["author"] = document.core_properties.author
    return "\n".join(lines).strip(), meta


def fast_extraction(data: bytes) -> tuple[str, dict[str, str]]:
    extracted = formats.extract_docx(data)
    return extracted.pages[0].text, extracted.metadata


def _rich_document() -> docx.Document:
    document = docx.Document()
    document.core_properties.title = "Kế hoạch số 98-KH/TU " + HOSTILE
    document.core_properties.author = "Ban Tuyên giáo Tỉnh ủy"
    document.add_heading("TỈNH ỦY KHÁNH HÒA", level=1)
    p = document.add_paragraph("Số: 98-KH/TU\t")
    p.add_run("in đậm").bold = True
    p.add_run(" và nghiêng").italic = True
    run = p.add_run("dòng một")
    run.add_break()  # a line break: "\n"
    run.add_text("dòng hai")
    run.add_break(WD_BREAK.PAGE)  # page and column breaks give no text
    run.add_break(WD_BREAK.COLUMN)
    run.add_tab()
    run.add_text("sau tab")
    document.add_paragraph("")
    document.add_paragraph("  khoảng trắng giữ nguyên  ")
    document.add_paragraph(HOSTILE)
    # A hyperlink, a soft return, a non-breaking hyphen, an absolute tab; text in w:ins and w:smartTag (left out
    # by python-docx, and so by the fast reader).
    p = document.add_paragraph("Xem ")
    p._p.append(parse_xml(
        '<w:hyperlink %s r:id="rId99"><w:r><w:t>trang</w:t></w:r><w:r><w:t xml:space="preserve"> web</w:t></w:r>'
        '</w:hyperlink>' % nsdecls("w", "r")))
    p._p.append(parse_xml('<w:r %s><w:t>A</w:t><w:cr/><w:t>B</w:t><w:noBreakHyphen/><w:t>C</w:t><w:ptab '
                          'w:relativeTo="margin" w:alignment="right" w:leader="none"/><w:t>D</w:t></w:r>'
                          % nsdecls("w")))
    p._p.append(parse_xml('<w:ins %s w:id="1" w:author="x"><w:r><w:t>chèn</w:t></w:r></w:ins>' % nsdecls("w")))
    p._p.append(parse_xml('<w:smartTag %s w:element="x"><w:r><w:t>thẻ</w:t></w:r></w:smartTag>' % nsdecls("w")))
    p._p.append(parse_xml('<w:r %s><w:t></w:t><w:t> </w:t></w:r>' % nsdecls("w")))
    # Tables: a plain one, one with horizontal and vertical merges, one nested in a cell.
    table = document.add_table(rows=2, cols=3)
    for i, row in enumerate(table.rows):
        for j, cell in enumerate(row.cells):
            cell.text = "ô %d,%d" % (i, j)
    table.cell(1, 2).add_paragraph("đoạn hai của ô")
    merged = document.add_table(rows=4, cols=3)
    for i, row in enumerate(merged.rows):
        for j, cell in enumerate(row.cells):
            cell.text = "m %d,%d" % (i, j)
    merged.cell(0, 0).merge(merged.cell(0, 1))  # gridSpan
    merged.cell(1, 2).merge(merged.cell(3, 2))  # vMerge restart/continue
    merged.cell(2, 0).merge(merged.cell(3, 1))  # both
    outer = document.add_table(rows=1, cols=2)
    outer.cell(0, 0).text = "ngoài"
    outer.cell(0, 1).add_table(rows=1, cols=1).cell(0, 0).text = "bảng lồng (bị bỏ qua)"
    document.add_paragraph("Đoạn cuối sau các bảng.")
    return document


def _save(document: docx.Document) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_docx_text_equals_python_docx_on_runs_breaks_hyperlinks_and_tables() -> None:
    data = _save(_rich_document())
    text, meta = fast_extraction(data)
    assert (text, meta) == python_docx_extraction(data)
    assert "dòng một\ndòng hai\tsau tab" in text and "trang web" in text and "A\nB-C\tD" in text
    assert "chèn" not in text and "bảng lồng" not in text
    assert "m 0,0\nm 0,1 | m 0,0\nm 0,1 | m 0,2" in text  # a cell spanning two grid columns is repeated
    assert HOSTILE in text  # text, never markup: kept verbatim, escaped wherever it is shown
    assert meta["author"] == "Ban Tuyên giáo Tỉnh ủy"


def test_docx_text_equals_python_docx_on_the_sample_and_bench_documents(tmp_path: Path) -> None:
    lines = ["ĐẢNG ỦY XÃ CAM LÂM", "Số 12-BC/ĐU", "Cam Lâm, ngày 3 tháng 2 năm 2020", "BÁO CÁO",
             "Thực hiện Chỉ thị số 20-CT/TW của Ban Bí thư về công tác lịch sử Đảng."]
    for i, title in enumerate(["", "Báo cáo sơ kết"]):
        data = samples.make_docx(tmp_path / ("s%d.docx" % i), lines * (i + 1), title=title).read_bytes()
        assert fast_extraction(data) == python_docx_extraction(data)


def test_docx_text_equals_python_docx_on_a_pandoc_document_with_footnotes_and_a_table(tmp_path: Path) -> None:
    source = tmp_path / "in.md"
    source.write_text("---\ntitle: Lịch sử Đảng bộ xã\nauthor: Ban biên soạn\n---\n\n# Chương 1\n\n"
                      "Năm 1930[^1] chi bộ đầu tiên ra đời, [xem thêm](https://example.org).\n\n"
                      "| Năm | Sự kiện |\n|---|---|\n| 1945 | Giành chính quyền |\n| 1975 | Giải phóng |\n\n"
                      "[^1]: Theo hồi ký của đồng chí Nguyễn Văn A.\n", "utf-8")
    out = tmp_path / "out.docx"
    subprocess.run(["pandoc", str(source), "-o", str(out)], check=True)  # noqa: S603, S607 (fixed arguments)
    data = out.read_bytes()
    assert fast_extraction(data) == python_docx_extraction(data)
    assert "1945 | Giành chính quyền" in fast_extraction(data)[0]


def _rezip(data: bytes, replace: dict[str, bytes | None]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            if info.filename in replace:
                if replace[info.filename] is not None:
                    target.writestr(info.filename, replace[info.filename])  # type: ignore[arg-type]
            else:
                target.writestr(info, source.read(info.filename))
    return out.getvalue()


def test_docx_without_core_properties_has_no_made_up_title(tmp_path: Path) -> None:
    data = samples.make_docx(tmp_path / "a.docx", ["Nội dung"], title="Tên").read_bytes()
    rels = zipfile.ZipFile(io.BytesIO(data)).read("_rels/.rels").decode()
    rels = re.sub(r'<Relationship [^>]*core-properties"[^>]*/>', "", rels)
    stripped = _rezip(data, {"docProps/core.xml": None, "_rels/.rels": rels.encode()})
    assert fast_extraction(stripped) == ("Nội dung", {})
    assert python_docx_extraction(stripped)[1] == {"title": "Word Document"}  # python-docx's invention


def test_broken_docx_is_a_clear_error(tmp_path: Path) -> None:
    data = samples.make_docx(tmp_path / "a.docx", ["Nội dung"]).read_bytes()
    for broken in (b"PK\x03\x04 not a zip", data[: len(data) // 2],
                   _rezip(data, {"word/document.xml": b"<w:document><unclosed>"}),
                   _rezip(data, {"word/document.xml": None})):
        with pytest.raises(BadInput, match="DOCX hỏng"):
            formats.extract_docx(broken)


def test_docx_entities_are_not_resolved(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("BÍ MẬT")
    data = samples.make_docx(tmp_path / "a.docx", ["x"]).read_bytes()
    body = ('<?xml version="1.0"?><!DOCTYPE d [<!ENTITY xxe SYSTEM "file://%s">]>'
            '<w:document %s><w:body><w:p><w:r><w:t>a&xxe;b</w:t></w:r></w:p></w:body></w:document>'
            % (secret, nsdecls("w"))).encode()
    try:
        text = "\n".join(docx_text(_rezip(data, {"word/document.xml": body})).lines)
    except DocxError:
        text = ""
    assert "BÍ MẬT" not in text


def _html_text(html: str, **options: object) -> str:
    doc = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False, include_tables=True,
                                      favor_precision=True, **options)
    return doc.text if doc is not None else ""


def test_html_fast_mode_keeps_the_main_text_of_news_pages() -> None:
    paragraphs = ["Sáng 3/2, Đảng bộ xã Cam Lâm tổ chức lễ kỷ niệm 90 năm ngày thành lập Đảng Cộng sản Việt Nam.",
                  "Tại buổi lễ, đồng chí Bí thư Đảng ủy ôn lại truyền thống vẻ vang của Đảng bộ và nhân dân xã.",
                  HOSTILE * 2,
                  "Dịp này, Ban Chấp hành Đảng bộ xã trao Huy hiệu 50 năm tuổi Đảng cho ba đảng viên lão thành."]
    for n in (1, 2, 4):
        html = samples.make_article_html("Kỷ niệm 90 năm thành lập Đảng", paragraphs[:n] * 2,
                                         date="2020-02-03", author="Minh Anh")
        fast = formats.extract_html(html.encode()).pages[0].text
        assert fast == _html_text(html)  # the full pass gives the same text
        assert paragraphs[0] in fast and "Tin khác cùng chủ đề" not in fast
