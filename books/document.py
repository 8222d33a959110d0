"""One source for every output: a book (or a thematic pack) read into a plain document model.

``build_book`` walks the page tree (parts → chapters → sections), turns each StreamField into blocks,
attaches every citation to its paragraph as a numbered note, renders the notes and the bibliography with
CSL (``books.csl``) and marks the first mention of each index entry per division. The writers
(``books.writers``) turn this into HTML, PDF, DOCX and EPUB.

Who reads decides what a note shows: an archive item the reader may see gives its full CSL entry and a link
to ``/items/<id>/?page=N``; an item the reader may not see gives only the text the compiler wrote.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse
from wagtail.rich_text import expand_db_html

from archive.models import Item
from books import csl
from books.blocks import NOTE_MARK
from books.models import (
    SOURCE_KIND_ORDER,
    BookPage,
    ChapterPage,
    Chronology,
    Entity,
    Event,
    PartPage,
    SectionPage,
    Source,
    SourceKind,
    ThematicPack,
)
from orgs.access import can_view

NOTE_OPEN, NOTE_CLOSE = "\ue000", "\ue001"
ANCHOR_OPEN, ANCHOR_CLOSE = "\ue002", "\ue003"
MARKER_RE = re.compile("(\ue000|\ue002)(\\d+)(\ue001|\ue003)")


def note_marker(n: int) -> str:
    return "%s%d%s" % (NOTE_OPEN, n, NOTE_CLOSE)


def anchor_marker(n: int) -> str:
    return "%s%d%s" % (ANCHOR_OPEN, n, ANCHOR_CLOSE)


@dataclass
class Block:
    kind: str  # heading, paragraph, quote, figure, table
    html: str = ""  # inline HTML, with note and index-anchor markers
    image_path: str = ""
    image_url: str = ""
    rows: list[list[str]] = field(default_factory=list)


@dataclass
class Division:
    level: int  # 1 part, 2 chapter, 3 section
    title: str
    anchor: str
    page_id: int | None = None
    slug: str = ""
    blocks: list[Block] = field(default_factory=list)


@dataclass
class Note:
    cite: csl.Cite
    extra: str = ""  # text after (or instead of) the citation, escaped HTML
    item_id: int | None = None
    page: int | None = None
    linked: bool = False
    html: str = ""  # rendered note
    number: int = 0  # as printed (per chapter or continuous)
    division: int = 0


@dataclass
class Mention:
    entity: int
    division: int


@dataclass
class IndexEntry:
    name: str
    kind: str
    mentions: list[int]  # mention numbers (anchor markers)


@dataclass
class Document:
    title: str
    subtitle: str = ""
    authors: str = ""
    imprint: str = ""
    paper: str = "A5"
    note_numbering: str = "chapter"
    divisions: list[Division] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    entries: dict[str, dict[str, Any]] = field(default_factory=dict)
    bibliography: dict[str, list[str]] = field(default_factory=dict)  # source kind → rendered entries
    mentions: list[Mention] = field(default_factory=list)
    index: list[IndexEntry] = field(default_factory=list)

    @property
    def footnote_count(self) -> int:
        return len(self.notes)


def item_url(item_id: int, page: int | None) -> str:
    url = reverse("reading:item", args=[item_id])
    return url + ("?page=%d" % page if page else "")


def _first_number(locator: str) -> int | None:
    match = re.search(r"\d+", locator or "")
    return int(match.group()) if match else None


class _Builder:
    def __init__(self, user: Any, *, progress: Callable[[str], None] | None = None) -> None:
        self.user = user
        self.doc: Document | None = None
        self.progress = progress or (lambda _msg: None)
        self.item_ids: set[int] = set()
        self.source_ids: set[int] = set()
        self.event_chronologies: dict[int, Chronology] = {}

    # -- blocks -------------------------------------------------------------------------------------
    def add_stream(self, division: Division, stream: Iterable[Any], division_index: int) -> None:
        assert self.doc is not None
        last_para: Block | None = None
        for child in stream:
            kind, value = child.block_type, child.value
            if kind == "paragraph":
                last_para = Block("paragraph", expand_db_html(value.source))
                division.blocks.append(last_para)
            elif kind == "heading":
                division.blocks.append(Block("heading", _esc(value)))
                last_para = None
            elif kind == "quote":
                last_para = Block("quote", _esc(value["text"]).replace("\n", "<br>"))
                division.blocks.append(last_para)
            elif kind == "citation":
                if last_para is None:
                    last_para = Block("paragraph", "")
                    division.blocks.append(last_para)
                self._attach_note(last_para, value, division_index)
            elif kind == "figure":
                image = value["image"]
                if image is not None:
                    rendition_path = image.file.path if image.file else ""
                    division.blocks.append(Block("figure", _esc(value["caption"] or image.title),
                                                 image_path=rendition_path, image_url=image.file.url))
                last_para = None
            elif kind == "chronology" and value is not None:
                division.blocks.append(self.chronology_table(value))
                last_para = None
            elif kind == "event" and value is not None:
                division.blocks.append(self.chronology_table(None, events=[value]))
                last_para = None
            elif kind == "chapter" and value is not None:
                chapter = value.specific
                division.blocks.append(Block("heading", _esc(chapter.title)))
                self.add_stream(division, chapter.body, division_index)
                last_para = None

    def _attach_note(self, para: Block, value: Any, division_index: int) -> None:
        assert self.doc is not None
        item = value["item"]
        source = value["source"]
        note = Note(cite=csl.Cite(None, value["locator"] or "", value["locator_kind"] or "page"),
                    extra=_esc(value["text"] or ""), division=division_index)
        if item is not None:
            key = csl.item_key(item.pk)
            note.item_id = item.pk
            note.page = _first_number(value["locator"]) if value["locator_kind"] == "page" else None
            if can_view(self.user, item):
                note.linked = True
                self.item_ids.add(item.pk)
                note.cite.key = key
            elif note.extra:
                pass  # the compiler's own words stand; nothing from the item
            else:
                note.extra = _esc("Tài liệu lưu trữ (hạn chế tiếp cận)")
        elif source is not None:
            note.cite.key = csl.source_key(source.pk)
            self.source_ids.add(source.pk)
        self.doc.notes.append(note)
        marker = note_marker(len(self.doc.notes) - 1)
        if NOTE_MARK in para.html:
            para.html = para.html.replace(NOTE_MARK, marker, 1)
        else:
            para.html = _append_inline(para.html, marker)

    def chronology_table(self, chronology: Chronology | None, events: list[Event] | None = None) -> Block:
        from books.chronology import lunar_label

        if events is None:
            assert chronology is not None
            events = list(chronology.events.order_by("date_earliest", "pk"))
        rows = [["Thời gian", "Sự kiện", "Địa điểm"]]
        for event in events:
            when = event.date_text or event.date_earliest.strftime("%d/%m/%Y")
            lunar = lunar_label(event)
            rows.append([_esc(when + (" (%s)" % lunar if lunar else "")), _esc(event.text), _esc(event.place)])
        return Block("table", _esc(chronology.title if chronology else ""), rows=rows)

    # -- notes, bibliography, index ----------------------------------------------------------------
    def finish(self, entities: list[Entity]) -> Document:
        doc = self.doc
        assert doc is not None
        items = Item.objects.filter(pk__in=self.item_ids).select_related("org_unit", "collection")
        for item in items:
            doc.entries[csl.item_key(item.pk)] = csl.item_csl(item)
        for source in Source.objects.filter(pk__in=self.source_ids):
            doc.entries[csl.source_key(source.pk)] = csl.source_csl(source)
        self.progress("citations: rendering %d notes with CSL" % len(doc.notes))
        rendered, bibliography = csl.render([n.cite for n in doc.notes], doc.entries)
        chapter_counter: dict[int, int] = {}
        current_chapter = -1
        for i, (note, text) in enumerate(zip(doc.notes, rendered, strict=True)):
            body = text
            if note.linked and note.item_id:
                body = '<a class="cite" href="%s">%s</a>' % (item_url(note.item_id, note.page), text)
            if note.extra:
                body = (body[:-1] + ". " if body.endswith(".") else body + (". " if body else "")) + note.extra
                body = body.strip()
            note.html = body
            if doc.note_numbering == "continuous":
                note.number = i + 1
            else:
                chapter = _chapter_of(doc.divisions, note.division)
                if chapter != current_chapter:
                    current_chapter = chapter
                chapter_counter[chapter] = chapter_counter.get(chapter, 0) + 1
                note.number = chapter_counter[chapter]
        grouped: dict[str, list[str]] = {}
        for key, text in sorted(bibliography.items(), key=lambda kv: kv[1]):
            entry = doc.entries.get(key)
            if entry is None:
                continue
            grouped.setdefault(csl.entry_kind(entry), []).append(text)
        doc.bibliography = {kind: grouped[kind] for kind in SOURCE_KIND_ORDER if kind in grouped}
        if entities:
            self.progress("index: marking %d entries" % len(entities))
            mark_index(doc, entities)
        return doc


def _chapter_of(divisions: list[Division], index: int) -> int:
    for i in range(index, -1, -1):
        if divisions[i].level <= 2:
            return i
    return 0


def _esc(text: str) -> str:
    from html import escape

    return escape(text or "", quote=False)


def _append_inline(html_text: str, marker: str) -> str:
    """Put a marker at the end of a paragraph's text (inside its last closing block tag)."""
    match = re.search(r"(</p>\s*)$", html_text)
    if match:
        return html_text[: match.start()] + marker + html_text[match.start():]
    return html_text + marker


WORD_RE = re.compile(r"\w+")
MAX_NAME_WORDS = 8


def mark_index(doc: Document, entities: list[Entity]) -> None:
    """Mark the first mention of each entity (its name or an alias) in each division; build the index."""
    names: dict[tuple[str, ...], int] = {}
    for position, entity in enumerate(entities):
        for name in [entity.name, *(entity.aliases or [])]:
            words = tuple(WORD_RE.findall(name))
            if words and len(words) <= MAX_NAME_WORDS:
                names.setdefault(words, position)
    longest = max((len(k) for k in names), default=0)
    mentions_of: dict[int, list[int]] = {}
    for d_index, division in enumerate(doc.divisions):
        seen: set[int] = set()
        for block in division.blocks:
            if block.kind not in {"paragraph", "quote"} or not block.html:
                continue
            parts = re.split(r"(<[^>]+>|[\ue000\ue002]\d+[\ue001\ue003])", block.html)
            for p_index, part in enumerate(parts):
                if not part or part.startswith("<") or MARKER_RE.fullmatch(part):
                    continue
                words = list(WORD_RE.finditer(part))
                inserts: list[tuple[int, int]] = []
                w = 0
                while w < len(words):
                    hit = None
                    for size in range(min(longest, len(words) - w), 0, -1):
                        key = tuple(m.group() for m in words[w:w + size])
                        if key in names:
                            hit = (names[key], size)
                            break
                    if hit is None:
                        w += 1
                        continue
                    position, size = hit
                    if position not in seen:
                        seen.add(position)
                        doc.mentions.append(Mention(position, d_index))
                        number = len(doc.mentions) - 1
                        mentions_of.setdefault(position, []).append(number)
                        inserts.append((words[w].start(), number))
                    w += size
                for offset, number in reversed(inserts):
                    part = part[:offset] + anchor_marker(number) + part[offset:]
                parts[p_index] = part
            block.html = "".join(parts)
    for position, entity in enumerate(entities):
        if position in mentions_of:
            doc.index.append(IndexEntry(entity.name, entity.kind, mentions_of[position]))
    doc.index.sort(key=lambda e: _sort_key(e.name))


def _sort_key(name: str) -> str:
    from vntext import fold

    return fold(name)


def _division(page: Any, level: int) -> Division:
    return Division(level=level, title=page.title, anchor="d%d" % page.pk, page_id=page.pk, slug=page.slug)


def book_pages(book: BookPage, *, live_only: bool) -> list[Any]:
    """The book's parts, chapters and sections in reading order (draft content unless ``live_only``)."""
    pages = book.get_descendants().specific().order_by("path")
    if live_only:
        hidden = [p.path for p in pages if not p.live]
        return [p for p in pages if p.live and not any(p.path.startswith(h) for h in hidden)]
    result = []
    for page in pages:
        latest = page.get_latest_revision_as_object() if page.has_unpublished_changes else page
        result.append(latest)
    return result


def build_book(book: BookPage, *, user: Any, live_only: bool = False,
               progress: Callable[[str], None] | None = None) -> Document:
    builder = _Builder(user, progress=progress)
    imprint = ", ".join(p for p in (book.publisher, book.publisher_place, str(book.year or "")) if p)
    builder.doc = Document(title=book.title, subtitle=book.subtitle, authors=book.authors, imprint=imprint,
                           paper=book.paper, note_numbering=book.note_numbering)
    pages = book_pages(book, live_only=live_only)
    for page in pages:
        level = 1 if isinstance(page, PartPage) else 2 if isinstance(page, ChapterPage) else 3
        division = _division(page, level)
        builder.doc.divisions.append(division)
        index = len(builder.doc.divisions) - 1
        if isinstance(page, PartPage) and page.intro:
            division.blocks.append(Block("paragraph", "<p>%s</p>" % _esc(page.intro)))
        if isinstance(page, (ChapterPage, SectionPage)):
            builder.add_stream(division, page.body, index)
    builder.progress("book: %d divisions read" % len(builder.doc.divisions))
    entities = list(Entity.objects.filter(book=book, confirmed=True).order_by("pk"))
    return builder.finish(entities)


def build_pack(pack: ThematicPack, *, user: Any) -> Document:
    builder = _Builder(user)
    builder.doc = Document(title=pack.title, note_numbering="continuous")
    division = Division(level=2, title=pack.title, anchor="pack%d" % pack.pk)
    builder.doc.divisions.append(division)
    builder.add_stream(division, pack.body, 0)
    return builder.finish([])


def kind_label(kind: str) -> str:
    return str(dict(SourceKind.choices).get(kind, kind))
