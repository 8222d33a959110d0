"""Writers: one :class:`books.document.Document` → HTML (web and print), PDF, DOCX, EPUB.

- HTML: notes after each chapter, citations linking to the archive (when the reader may see the item),
  the bibliography grouped by source kind, the index with links to the mentions.
- PDF: the print HTML through WeasyPrint (A5/B5, DejaVu Serif, ``float: footnote`` notes restarting per
  chapter, running heads, page numbers, the index with page numbers through ``target-counter``).
- DOCX / EPUB: the HTML read by pandoc into its AST, notes put back as real notes (``word/footnotes.xml``),
  index entries as Word XE fields with an INDEX field, then pandoc's DOCX and EPUB 3 writers.
"""

from __future__ import annotations

import html as htmlmod
import json
import re
import tempfile
from pathlib import Path
from typing import Any

from books.csl import run_pandoc
from books.document import MARKER_RE, NOTE_OPEN, Document, kind_label

FORMATS = ("docx", "pdf", "epub", "html")
SUPPORTED_FORMATS = FORMATS

CSS_WEB = """
body{font-family:"DejaVu Serif",serif;line-height:1.55;max-width:46rem;margin:2rem auto;padding:0 1rem}
h1,h2,h3{line-height:1.25} sup.fnref a{text-decoration:none} .notes{font-size:.9em;border-top:1px solid #999}
table{border-collapse:collapse} td,th{border:1px solid #aaa;padding:.2em .4em;vertical-align:top}
.index a{margin-left:.2em}
"""

CSS_PRINT = """
@page { size: %(paper)s; margin: 18mm 15mm 20mm 17mm;
  @top-center { content: string(chapter); font: italic 8pt "DejaVu Serif"; }
  @bottom-center { content: counter(page); font: 9pt "DejaVu Serif"; }
  @footnote { border-top: .5pt solid black; padding-top: 2mm; } }
@page :first { @top-center { content: none; } }
html { font-family: "DejaVu Serif", serif; font-size: 10pt; line-height: 1.4; }
h1.book-title { font-size: 20pt; text-align: center; margin-top: 40mm; }
h2.part { page-break-before: always; font-size: 16pt; text-align: center; }
h2.chapter { page-break-before: always; font-size: 14pt; string-set: chapter content(); counter-reset: footnote; }
h3 { font-size: 11pt; } p { text-align: justify; margin: 0 0 .4em; orphans: 2; widows: 2; }
.fn { float: footnote; font-size: 8pt; line-height: 1.3; text-align: left; }
.fn::footnote-call { content: counter(footnote); vertical-align: super; font-size: 65%%; line-height: 0; }
.fn::footnote-marker { content: counter(footnote) ". "; }
table { border-collapse: collapse; width: 100%%; font-size: 8.5pt; }
td, th { border: .5pt solid #444; padding: 1mm; vertical-align: top; }
.index-list { columns: 2; font-size: 8.5pt; } .index-list p { margin: 0; text-align: left; }
.index-list a.pg::after { content: ", " target-counter(attr(href url), page); }
.bib p { text-indent: -1em; margin-left: 1em; }
a { color: black; text-decoration: none; }
"""

INDEX_KIND_TITLES = [("person", "Nhân vật"), ("place", "Địa danh"), ("organisation", "Tổ chức"),
                     ("subject", "Chủ đề")]


def _markers_to_html(text: str, doc: Document, *, mode: str) -> str:
    def repl(match: re.Match[str]) -> str:
        n = int(match.group(2))
        if match.group(1) == NOTE_OPEN:
            note = doc.notes[n]
            if mode == "print":
                return '<span class="fn">%s</span>' % note.html
            if mode == "pandoc":
                return '<span class="sulieu-note" data-n="%d"></span>' % n
            return '<sup class="fnref" id="fnref%d"><a href="#fn%d">%d</a></sup>' % (n, n, note.number)
        if mode == "pandoc":
            return '<span class="sulieu-ix" data-n="%d"></span>' % n
        return '<a id="ix%d"></a>' % n

    return MARKER_RE.sub(repl, text)


def _strip_p(text: str) -> str:
    return text


def body_html(doc: Document, *, mode: str, division_filter: set[int] | None = None) -> str:
    """The book's divisions as HTML. ``mode``: web (notes after each chapter), print, pandoc."""
    out: list[str] = []
    pending_notes: list[int] = []

    def flush_notes() -> None:
        if mode == "web" and pending_notes:
            out.append('<section class="notes"><ol>')
            for n in pending_notes:
                note = doc.notes[n]
                out.append('<li id="fn%d" value="%d">%s <a href="#fnref%d" aria-label="↩">↩</a></li>'
                           % (n, note.number, note.html, n))
            out.append("</ol></section>")
            pending_notes.clear()

    for d_index, division in enumerate(doc.divisions):
        if division_filter is not None and d_index not in division_filter:
            continue
        if division.level <= 2:
            flush_notes()
        tag = "h2" if division.level <= 2 else "h3"
        css = "part" if division.level == 1 else "chapter" if division.level == 2 else "section"
        out.append('<%s class="%s" id="%s">%s</%s>' % (tag, css, division.anchor, htmlmod.escape(division.title),
                                                       tag))
        for block in division.blocks:
            if mode == "web":
                pending_notes.extend(int(m.group(2)) for m in MARKER_RE.finditer(block.html)
                                     if m.group(1) == NOTE_OPEN)
            text = _markers_to_html(block.html, doc, mode=mode)
            if block.kind == "paragraph":
                out.append(text if text.lstrip().startswith("<p") else "<p>%s</p>" % text)
            elif block.kind == "heading":
                out.append("<h4>%s</h4>" % text)
            elif block.kind == "quote":
                out.append("<blockquote><p>%s</p></blockquote>" % text)
            elif block.kind == "figure":
                src = block.image_url if mode == "web" else (Path(block.image_path).as_uri()
                                                               if block.image_path else "")
                out.append('<figure><img src="%s" alt="%s"><figcaption>%s</figcaption></figure>'
                           % (htmlmod.escape(src), text, text))
            elif block.kind == "table":
                rows = block.rows
                head = "".join("<th>%s</th>" % c for c in rows[0]) if rows else ""
                body = "".join("<tr>%s</tr>" % "".join("<td>%s</td>" % c for c in row) for row in rows[1:])
                caption = "<caption>%s</caption>" % text if text else ""
                out.append("<table>%s<thead><tr>%s</tr></thead><tbody>%s</tbody></table>" % (caption, head, body))
    flush_notes()
    return "\n".join(out)


def bibliography_html(doc: Document) -> str:
    if not doc.bibliography:
        return ""
    out = ['<h2 class="chapter" id="bibliography">Tài liệu tham khảo</h2><div class="bib">']
    for kind, entries in doc.bibliography.items():
        out.append("<h3>%s</h3>" % htmlmod.escape(kind_label(kind)))
        out.extend("<p>%s</p>" % e for e in entries)
    out.append("</div>")
    return "\n".join(out)


def index_html(doc: Document, *, mode: str) -> str:
    if not doc.index:
        return ""
    out = ['<h2 class="chapter" id="index">Chỉ dẫn tên người, địa danh, tổ chức, chủ đề</h2><div class="index-list">']
    for kind, title in INDEX_KIND_TITLES:
        entries = [e for e in doc.index if e.kind == kind]
        if not entries:
            continue
        out.append("<h3>%s</h3>" % title)
        for entry in entries:
            if mode == "print":
                links = "".join('<a class="pg" href="#ix%d"></a>' % n for n in entry.mentions)
            else:
                links = " ".join('<a href="#ix%d">%d</a>' % (n, i + 1) for i, n in enumerate(entry.mentions))
            out.append("<p>%s%s</p>" % (htmlmod.escape(entry.name), links))
    out.append("</div>")
    return "\n".join(out)


def _title_html(doc: Document) -> str:
    parts = ['<h1 class="book-title">%s</h1>' % htmlmod.escape(doc.title)]
    if doc.subtitle:
        parts.append('<p class="subtitle">%s</p>' % htmlmod.escape(doc.subtitle))
    if doc.authors:
        parts.append('<p class="authors">%s</p>' % htmlmod.escape(doc.authors))
    if doc.imprint:
        parts.append('<p class="imprint">%s</p>' % htmlmod.escape(doc.imprint))
    return "\n".join(parts)


def write_html(doc: Document) -> str:
    toc = "".join('<li class="l%d"><a href="#%s">%s</a></li>' % (d.level, d.anchor, htmlmod.escape(d.title))
                  for d in doc.divisions)
    return ('<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>%s</title><style>%s</style></head>'
            '<body>%s<nav><h2>Mục lục</h2><ol>%s</ol></nav>%s%s%s</body></html>'
            % (htmlmod.escape(doc.title), CSS_WEB, _title_html(doc), toc, body_html(doc, mode="web"),
               bibliography_html(doc), index_html(doc, mode="web")))


def print_html(doc: Document) -> str:
    return ('<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>%s</title><style>%s</style></head>'
            "<body>%s%s%s%s</body></html>"
            % (htmlmod.escape(doc.title), CSS_PRINT % {"paper": doc.paper}, _title_html(doc),
               body_html(doc, mode="print"), bibliography_html(doc), index_html(doc, mode="print")))


def write_pdf(doc: Document, out: Path) -> None:
    from weasyprint import HTML

    HTML(string=print_html(doc), base_url="/").write_pdf(str(out))


# -- pandoc: DOCX and EPUB ------------------------------------------------------------------------------

def _xe_field(name: str) -> dict[str, Any]:
    text = htmlmod.escape(name.replace('"', "'"))
    xml = ('<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> XE "%s" '
           '</w:instrText></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>' % text)
    return {"t": "RawInline", "c": ["openxml", xml]}


INDEX_FIELD = ('<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> INDEX '
               '\\c "2" \\h "A" </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>'
               '(Cập nhật trường để đánh số trang chỉ dẫn: F9)</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/>'
               '</w:r></w:p>')


def _ast(doc: Document, fmt: str) -> dict[str, Any]:
    """pandoc AST of the book with real notes (and, for DOCX, XE index fields)."""
    notes_html = "".join('<div class="sulieu-notebody" data-n="%d"><p>%s</p></div>' % (i, n.html)
                         for i, n in enumerate(doc.notes))
    body = body_html(doc, mode="pandoc")
    index_part = index_html(doc, mode="web") if fmt != "docx" else ""
    source = ("<html><body>%s%s%s<div id=\"sulieu-notes\">%s</div></body></html>"
              % (body, bibliography_html(doc), index_part, notes_html))
    ast = json.loads(run_pandoc(["-f", "html", "-t", "json"], input_text=source))
    note_blocks: dict[int, list[Any]] = {}
    kept = []
    for block in ast["blocks"]:
        if block["t"] == "Div" and block["c"][0][0] == "sulieu-notes":
            for inner in block["c"][1]:
                if inner["t"] == "Div":
                    attrs = dict(inner["c"][0][2])
                    note_blocks[int(attrs.get("n", attrs.get("data-n", "-1")))] = inner["c"][1]
        else:
            kept.append(block)
    names = {n: doc.index[i].name for i, e in enumerate(doc.index) for n in e.mentions}

    def fix_inlines(inlines: list[Any]) -> list[Any]:
        result = []
        for node in inlines:
            if node.get("t") == "Span":
                attrs = node["c"][0]
                classes = attrs[1]
                kv = dict(attrs[2])
                number = kv.get("n", kv.get("data-n"))
                if "sulieu-note" in classes and number is not None:
                    result.append({"t": "Note", "c": note_blocks.get(int(number), [])})
                    continue
                if "sulieu-ix" in classes and number is not None:
                    n = int(number)
                    if fmt == "docx" and n in names:
                        result.append(_xe_field(names[n]))
                    else:
                        result.append({"t": "Span", "c": [["ix%d" % n, [], []], []]})
                    continue
            result.append(walk(node))
        return result

    def walk(node: Any) -> Any:
        if isinstance(node, list):
            if node and all(isinstance(x, dict) and "t" in x for x in node) and _is_inline_list(node):
                return fix_inlines(node)
            return [walk(x) for x in node]
        if isinstance(node, dict):
            if "c" in node:
                return {**node, "c": walk(node["c"])}
            return node
        return node

    ast["blocks"] = [walk(b) for b in kept]
    if fmt == "docx" and doc.index:
        ast["blocks"].append({"t": "Header", "c": [1, ["index", [], []],
                                                   [{"t": "Str", "c": "Chỉ dẫn"}]]})
        ast["blocks"].append({"t": "RawBlock", "c": ["openxml", INDEX_FIELD]})
    ast["meta"] = {
        "title": {"t": "MetaInlines", "c": [{"t": "Str", "c": doc.title}]},
        "lang": {"t": "MetaString", "c": "vi-VN"},
    }
    if doc.authors:
        ast["meta"]["author"] = {"t": "MetaList", "c": [{"t": "MetaInlines", "c": [{"t": "Str", "c": doc.authors}]}]}
    if doc.subtitle:
        ast["meta"]["subtitle"] = {"t": "MetaInlines", "c": [{"t": "Str", "c": doc.subtitle}]}
    return ast


_INLINE_TYPES = {"Str", "Space", "SoftBreak", "LineBreak", "Emph", "Strong", "Strikeout", "Superscript",
                 "Subscript", "SmallCaps", "Quoted", "Cite", "Code", "Math", "RawInline", "Link", "Image", "Note",
                 "Span", "Underline"}


def _is_inline_list(nodes: list[Any]) -> bool:
    return nodes[0].get("t") in _INLINE_TYPES


def write_pandoc(doc: Document, out: Path, fmt: str) -> None:
    ast = _ast(doc, fmt)
    with tempfile.TemporaryDirectory(prefix="sulieu-book-") as tmp:
        source = Path(tmp) / "book.json"
        source.write_text(json.dumps(ast, ensure_ascii=False), encoding="utf-8")
        args = ["-f", "json", str(source), "-o", str(out), "--toc", "--toc-depth=2"]
        if fmt == "epub":
            css = Path(tmp) / "book.css"
            css.write_text(CSS_WEB, encoding="utf-8")
            args += ["-t", "epub3", "--css", str(css), "--epub-chapter-level=2"]
        else:
            args += ["-t", "docx"]
        run_pandoc(args)


def write(doc: Document, fmt: str, out: Path) -> Path:
    """Write ``doc`` as ``fmt`` (docx, pdf, epub, html) to ``out``."""
    if fmt not in FORMATS:
        raise ValueError("unknown format %r (choose from %s)" % (fmt, ", ".join(FORMATS)))
    out.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "html":
        out.write_text(write_html(doc), encoding="utf-8")
    elif fmt == "pdf":
        write_pdf(doc, out)
    else:
        write_pandoc(doc, out, fmt)
    return out
