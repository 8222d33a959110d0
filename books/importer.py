"""Import a Word manuscript: headings → parts / chapters / sections, paragraphs, images with captions, and
every footnote kept. A footnote that names a document the archive holds (its number-symbol, or type + number +
date + issuer, as ``vntext.find_refs`` reads them) becomes a citation of that item with its page or sheet; the
others stay as text and are listed for a person to resolve.

pandoc reads the DOCX (``-t json``): its AST keeps Word footnotes as ``Note`` elements where they stand.
"""

from __future__ import annotations

import datetime as dt
import html as htmlmod
import json
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction

from archive.models import Item
from books.blocks import NOTE_MARK
from books.csl import PandocError, run_pandoc
from books.models import BookPage, ImportReport
from books.services import book_create, books_index, division_add
from vntext import canonical_symbol, find_refs


class ImportError_(ValueError):  # noqa: N801 - "ImportError" is a builtin
    pass


LOCATOR_RE = re.compile(r"\b(tr\.?|trang|tờ|t\.)\s*(\d+(?:\s*[-–]\s*\d+)?)", re.IGNORECASE)


@dataclass
class Footnote:
    chapter: str
    n: int
    text: str
    item_id: int | None = None
    locator: str = ""
    locator_kind: str = "page"


@dataclass
class Report:
    book: str
    chapters: int = 0
    footnotes: list[Footnote] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        linked = [f for f in self.footnotes if f.item_id]
        return {"book": self.book, "chapters": self.chapters, "footnotes": len(self.footnotes),
                "linked": len(linked),
                "unresolved": [{"chapter": f.chapter, "n": f.n, "text": f.text}
                               for f in self.footnotes if not f.item_id]}


class ItemMatcher:
    """Finds the archive item a footnote names: by symbol (and date when given), else by type, number,
    date and issuer. Ambiguous matches stay unresolved."""

    def __init__(self) -> None:
        self.by_symbol: dict[str, list[tuple[int, dt.date | None]]] = {}
        self.by_parts: dict[tuple[str, str], list[tuple[int, dt.date | None, str]]] = {}
        rows = (Item.objects.filter(merged_into__isnull=True)
                .values_list("pk", "symbol", "doc_number", "doc_type_code", "issuer_code", "date_earliest"))
        for pk, symbol, number, type_code, issuer, date in rows.iterator(chunk_size=2000):
            if symbol:
                self.by_symbol.setdefault(canonical_symbol(symbol) or symbol, []).append((pk, date))
            if number and type_code:
                self.by_parts.setdefault((number, type_code.upper()), []).append((pk, date, (issuer or "").upper()))

    def match(self, text: str) -> int | None:
        for ref in find_refs(text):
            date = dt.date.fromisoformat(ref.date) if ref.date else None
            candidates = self.by_symbol.get(ref.symbol, [])
            if date is not None:
                dated = [c for c in candidates if c[1] == date]
                candidates = dated or ([c for c in candidates if c[1] is None])
            if len(candidates) == 1:
                return candidates[0][0]
            if not candidates and ref.number and ref.type_code and date is not None:
                parts = [c for c in self.by_parts.get((ref.number, ref.type_code.upper()), []) if c[1] == date]
                if ref.issuer_code:
                    parts = [c for c in parts if not c[2] or c[2] == ref.issuer_code.upper()] or parts
                if len(parts) == 1:
                    return parts[0][0]
        return None


def _locator(text: str) -> tuple[str, str]:
    found = list(LOCATOR_RE.finditer(text))
    match = found[-1] if found else None  # the last one: "…, tr. 3" closes a citation
    if match is None:
        return "", "page"
    kind = "folio" if match.group(1).lower() == "tờ" else "page"
    return re.sub(r"\s+", "", match.group(2)).replace("-", "–"), kind


# -- pandoc AST → our blocks ----------------------------------------------------------------------------

def _plain(inlines: list[Any]) -> str:
    out = []
    for node in inlines:
        t, c = node.get("t"), node.get("c")
        if t == "Str":
            out.append(c)
        elif t in {"Space", "SoftBreak", "LineBreak"}:
            out.append(" ")
        elif t in {"Emph", "Strong", "Underline", "SmallCaps", "Strikeout", "Superscript", "Subscript"}:
            out.append(_plain(c))
        elif t == "Quoted":
            out.append("“%s”" % _plain(c[1]))
        elif t in {"Link", "Image"} or t == "Span":
            out.append(_plain(c[1]))
        elif t == "Code":
            out.append(c[1])
    return "".join(out)


def _blocks_plain(blocks: list[Any]) -> str:
    parts = []
    for block in blocks:
        if block["t"] in {"Para", "Plain"}:
            parts.append(_plain(block["c"]))
        elif block["t"] == "BlockQuote":
            parts.append(_blocks_plain(block["c"]))
    return " ".join(p.strip() for p in parts if p.strip())


class _Converter:
    def __init__(self, matcher: ItemMatcher, media_dir: Path, by: Any, report: Report) -> None:
        self.matcher = matcher
        self.media_dir = media_dir
        self.by = by
        self.report = report
        self.chapter_title = ""
        self.chapter_note = 0
        self.pending_notes: list[Footnote] = []

    def inline_html(self, inlines: list[Any]) -> str:
        out = []
        for node in inlines:
            t, c = node.get("t"), node.get("c")
            if t == "Str":
                out.append(htmlmod.escape(c, quote=False))
            elif t in {"Space", "SoftBreak"}:
                out.append(" ")
            elif t == "LineBreak":
                out.append("<br>")
            elif t == "Emph":
                out.append("<i>%s</i>" % self.inline_html(c))
            elif t == "Strong":
                out.append("<b>%s</b>" % self.inline_html(c))
            elif t == "Superscript":
                out.append("<sup>%s</sup>" % self.inline_html(c))
            elif t in {"Underline", "SmallCaps", "Strikeout", "Subscript"}:
                out.append(self.inline_html(c))
            elif t == "Quoted":
                out.append("“%s”" % self.inline_html(c[1]))
            elif t == "Span":
                out.append(self.inline_html(c[1]))
            elif t == "Link":
                target = c[2][0]
                if target.startswith(("http://", "https://")):
                    out.append('<a href="%s">%s</a>' % (htmlmod.escape(target), self.inline_html(c[1])))
                else:
                    out.append(self.inline_html(c[1]))
            elif t == "Code":
                out.append(htmlmod.escape(c[1], quote=False))
            elif t == "Note":
                self.note(_blocks_plain(c))
                out.append(NOTE_MARK)
        return "".join(out)

    def note(self, text: str) -> None:
        self.chapter_note += 1
        footnote = Footnote(chapter=self.chapter_title, n=self.chapter_note, text=text)
        item_id = self.matcher.match(text)
        if item_id is not None:
            footnote.item_id = item_id
            footnote.locator, footnote.locator_kind = _locator(text)
        self.report.footnotes.append(footnote)
        self.pending_notes.append(footnote)

    def _citations(self) -> list[dict[str, Any]]:
        blocks = []
        for f in self.pending_notes:
            value = {"item": f.item_id, "source": None, "locator": f.locator if f.item_id else "",
                     "locator_kind": f.locator_kind, "text": "" if f.item_id else f.text}
            blocks.append({"type": "citation", "value": value})
        self.pending_notes = []
        return blocks

    def paragraph(self, inlines: list[Any]) -> list[dict[str, Any]]:
        images = [n for n in inlines if n.get("t") == "Image"]
        if images and not _plain([n for n in inlines if n.get("t") != "Image"]).strip():
            return [b for img in images if (b := self.figure(img)) is not None]
        html_text = self.inline_html(inlines).strip()
        if not html_text:
            return []
        return [{"type": "paragraph", "value": "<p>%s</p>" % html_text}, *self._citations()]

    def figure(self, node: dict[str, Any]) -> dict[str, Any] | None:
        from django.core.files.images import ImageFile
        from wagtail.images import get_image_model

        caption = _plain(node["c"][1]).strip()
        src = Path(node["c"][2][0])
        path = src if src.is_absolute() else self.media_dir / src
        if not path.exists():
            path = Path(node["c"][2][0])
        if not path.exists():
            return None
        Image = get_image_model()
        with path.open("rb") as fh:
            image = Image(title=caption[:255] or path.name)
            image.file.save(path.name, ImageFile(fh, name=path.name), save=False)
            image.save()
        return {"type": "figure", "value": {"image": image.pk, "caption": caption[:500]}}

    def blocks(self, blocks: list[Any]) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for block in blocks:
            t, c = block["t"], block.get("c")
            if t in {"Para", "Plain"}:
                out += self.paragraph(c)
            elif t == "BlockQuote":
                text = _blocks_plain(c)
                for inner in c:
                    if inner["t"] in {"Para", "Plain"}:
                        self.inline_html(inner["c"])  # notes inside a quotation
                if text:
                    out.append({"type": "quote", "value": {"text": text}})
                    out += self._citations()
            elif t in {"BulletList", "OrderedList"}:
                items = c if t == "BulletList" else c[1]
                for entry in items:
                    out += self.blocks(entry)
            elif t == "Div":
                out += self.blocks(c[1])
            elif t == "Header":
                out.append({"type": "heading", "value": _plain(c[2])[:255]})
            elif t == "Table":
                out += self.table(block)
        return out

    def table(self, block: dict[str, Any]) -> list[dict[str, Any]]:
        rows: list[str] = []

        def cells(node: Any) -> None:
            if isinstance(node, dict):
                if node.get("t") in {"Para", "Plain"}:
                    rows.append(self.inline_html(node["c"]))
                    return
                for value in node.values():
                    cells(value)
            elif isinstance(node, list):
                for value in node:
                    cells(value)

        cells(block.get("c"))
        text = " · ".join(r for r in rows if r.strip())
        return [{"type": "paragraph", "value": "<p>%s</p>" % text}, *self._citations()] if text else []


def _levels(blocks: list[Any]) -> dict[int, str]:
    used = sorted({b["c"][0] for b in blocks if b["t"] == "Header"})
    names = ["part", "chapter", "section"] if len(used) >= 3 else ["chapter", "section"]
    return {level: names[min(i, len(names) - 1)] for i, level in enumerate(used)}


def import_docx(*, path: Path, book_slug: str, by: Any, progress: Callable[[str], None] | None = None) -> Report:
    """Read ``path`` into the book ``book_slug`` (created when missing). Raises ImportError_ on bad input."""
    progress = progress or (lambda _m: None)
    if not path.is_file():
        raise ImportError_("no such file: %s" % path)
    if path.suffix.lower() != ".docx":
        raise ImportError_("not a .docx file: %s" % path.name)
    with tempfile.TemporaryDirectory(prefix="sulieu-import-") as tmp:
        try:
            ast = json.loads(run_pandoc(["-f", "docx", "-t", "json", "--extract-media", tmp, str(path)]))
        except PandocError as exc:
            raise ImportError_("cannot read %s as a Word document: %s" % (path.name, exc)) from exc
        progress("import: %d blocks read" % len(ast.get("blocks", [])))
        blocks = ast.get("blocks", [])
        levels = _levels(blocks)
        if not levels:
            raise ImportError_("%s has no headings (Heading 1/2/3 styles) to make chapters from" % path.name)
        report = Report(book=book_slug)
        converter = _Converter(ItemMatcher(), Path(tmp), by, report)
        with transaction.atomic():
            book = BookPage.objects.filter(slug=book_slug).first()
            if book is None:
                meta_title = _plain(ast.get("meta", {}).get("title", {}).get("c", [])) if ast.get("meta") else ""
                books_index()
                book = book_create(by=by, title=meta_title or book_slug, slug=book_slug)
            sections: list[tuple[str, str, list[Any]]] = []  # (kind, title, blocks)
            preface: list[Any] = []
            for block in blocks:
                if block["t"] == "Header" and block["c"][0] in levels:
                    sections.append((levels[block["c"][0]], _plain(block["c"][2]).strip() or "…", []))
                elif sections:
                    sections[-1][2].append(block)
                else:
                    preface.append(block)
            if preface and _blocks_plain(preface).strip():
                sections.insert(0, ("chapter", "Lời nói đầu", preface))
            part = chapter = None
            for kind, title, body_ast in sections:
                if kind != "section":
                    converter.chapter_title, converter.chapter_note = title, 0
                body = converter.blocks(body_ast)
                if kind == "part":
                    part = division_add(by=by, parent=book, kind="part", title=title)
                    chapter = None
                    if body:  # text under a part heading opens its first chapter
                        chapter = division_add(by=by, parent=part, kind="chapter", title=title, body=body)
                        report.chapters += 1
                elif kind == "chapter":
                    chapter = division_add(by=by, parent=part or book, kind="chapter", title=title, body=body)
                    report.chapters += 1
                else:
                    if chapter is None:
                        chapter = division_add(by=by, parent=part or book, kind="chapter", title=title, body=[])
                        report.chapters += 1
                    division_add(by=by, parent=chapter, kind="section", title=title, body=body)
            ImportReport.objects.create(book=book, source_name=path.name, data=report.to_dict())
        progress("import: %(chapters)d chapters, %(footnotes)d footnotes, %(linked)d linked" % report.to_dict())
        return report
