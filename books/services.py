"""Writes of the books app: each checks ``orgs.policy``, writes, and audits.

Chapters themselves are edited in Wagtail's page editor (revisions, workflow, comments, locking); these
services cover the rest: the books' index page, creating books and chapters from scripts and imports, the
"cited in" table kept in step with live content, chronology events, entities and exports.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.db import transaction
from django.utils.text import slugify
from wagtail.models import Page

from books.models import (
    BookExport,
    BookPage,
    BooksIndexPage,
    ChapterPage,
    Chronology,
    CitationLink,
    Entity,
    Event,
    EventSource,
    PartPage,
    SectionPage,
    ThematicPack,
)
from core.audit import audit
from core.wagtail import tree_root
from orgs.policy import ensure_can


def books_index() -> BooksIndexPage:
    """The index page holding every book: a child of Wagtail's tree root (depth 2), made on first use."""
    existing = BooksIndexPage.objects.first()
    if existing is not None:
        return existing
    root = tree_root()
    index = BooksIndexPage(title="Sách biên soạn", slug="sach-bien-soan")
    root.add_child(instance=index)
    return index


def _unique_slug(parent: Page, base: str) -> str:
    base = slugify(base, allow_unicode=False)[:60] or "trang"
    slug, n = base, 1
    while parent.get_children().filter(slug=slug).exists():
        n += 1
        slug = "%s-%d" % (base, n)
    return slug


def book_create(*, by: Any, title: str, slug: str = "", org_unit: Any = None, **fields: Any) -> BookPage:
    ensure_can(by, "books.edit", _unit_holder(org_unit))
    index = books_index()
    if slug and BookPage.objects.filter(slug=slug).exists():
        raise ValueError("a book with the slug %r exists" % slug)
    book = BookPage(title=title, slug=slug or _unique_slug(index, title), org_unit=org_unit, **fields)
    index.add_child(instance=book)
    book.save_revision(user=by if getattr(by, "is_authenticated", False) else None)
    audit(book, "books.book_create", by=by)
    return book


class _unit_holder:  # noqa: N801 - a tiny stand-in so policy judges "books.edit" in a unit
    def __init__(self, unit: Any) -> None:
        self.org_unit = unit
        self.access = "public"


def division_add(*, by: Any, parent: Page, kind: str, title: str, body: list[dict[str, Any]] | None = None,
                 assignee: Any = None, publish: bool = False) -> Page:
    """Add a part, chapter or section (``kind``) under ``parent`` with a first revision."""
    book = _book_of(parent)
    ensure_can(by, "books.edit", book)
    model = {"part": PartPage, "chapter": ChapterPage, "section": SectionPage}[kind]
    page = model(title=title, slug=_unique_slug(parent, title))
    if body is not None:
        page.body = json.dumps(body)
    if assignee is not None and kind == "chapter":
        page.assignee = assignee
    page.live = publish
    parent.add_child(instance=page)
    revision = page.save_revision(user=by if getattr(by, "is_authenticated", False) else None)
    if publish:
        revision.publish(user=by if getattr(by, "is_authenticated", False) else None)
    return page


def _book_of(page: Page) -> BookPage:
    specific = page.specific
    if isinstance(specific, BookPage):
        return specific
    book = BookPage.objects.ancestor_of(page).first()
    if book is None:
        raise ValueError("this page is not inside a book")
    return book


def book_get(slug: str) -> BookPage:
    return BookPage.objects.select_related("org_unit").get(slug=slug)


# -- "cited in" ------------------------------------------------------------------------------------------

def _stream_item_ids(stream: Any) -> list[tuple[int, str]]:
    found = []
    for child in stream:
        if child.block_type == "citation":
            raw = child.value
            item = raw.get("item")
            if item is not None:
                found.append((item.pk, raw.get("locator") or ""))
    return found


def citations_sync(page: Page) -> int:
    """Rebuild the "cited in" rows of one live page from its live content."""
    specific = page.specific
    CitationLink.objects.filter(page=page).delete()
    if not isinstance(specific, (ChapterPage, SectionPage)) or not specific.live:
        return 0
    book = _book_of(specific)
    rows = [CitationLink(item_id=item_id, page=page, book=book, locator=loc[:32])
            for item_id, loc in _stream_item_ids(specific.body)]
    CitationLink.objects.bulk_create(rows)
    return len(rows)


def pack_citations_sync(pack: ThematicPack) -> int:
    CitationLink.objects.filter(pack=pack).delete()
    rows = [CitationLink(item_id=item_id, pack=pack, book=pack.book, locator=loc[:32])
            for item_id, loc in _stream_item_ids(pack.body)]
    CitationLink.objects.bulk_create(rows)
    return len(rows)


def on_page_published(sender: Any, instance: Page, **kwargs: Any) -> None:
    if isinstance(instance, (ChapterPage, SectionPage)):
        citations_sync(instance)


def on_page_unpublished(sender: Any, instance: Page, **kwargs: Any) -> None:
    CitationLink.objects.filter(page=instance).delete()


# -- chronology ------------------------------------------------------------------------------------------

def chronology_create(*, by: Any, title: str, book: BookPage | None = None, org_unit: Any = None,
                      access: str = "public") -> Chronology:
    ensure_can(by, "books.edit", _unit_holder(org_unit))
    chronology = Chronology.objects.create(title=title, book=book, org_unit=org_unit, access=access)
    audit(chronology, "books.chronology_create", by=by)
    return chronology


def event_add(*, by: Any, chronology: Chronology, date_earliest: dt.date, text: str,
              date_latest: dt.date | None = None, precision: str = "day", date_text: str = "", place: str = "",
              actors: str = "", sources: list[dict[str, Any]] | None = None) -> Event:
    """A confirmed event (a person confirms each suggestion through this)."""
    from books.chronology import event_fields

    ensure_can(by, "books.edit", chronology)
    if not text.strip():
        raise ValueError("an event needs a text")
    event = Event.objects.create(chronology=chronology, text=text.strip(), date_text=date_text, place=place,
                                 actors=actors, sources=sources or [],
                                 confirmed_by=by if getattr(by, "is_authenticated", False) else None,
                                 **event_fields(date_earliest=date_earliest, date_latest=date_latest,
                                                precision=precision))
    EventSource.objects.bulk_create([EventSource(event=event, item_id=int(s["item"]), page=s.get("page"))
                                     for s in event.sources if isinstance(s, dict) and s.get("item")])
    audit(event, "books.event_add", by=by, data={"chronology": chronology.pk})
    return event


# -- entities --------------------------------------------------------------------------------------------

def entity_confirm(*, by: Any, book: BookPage, kind: str, name: str, aliases: list[str] | None = None,
                   org_unit: Any = None) -> Entity:
    ensure_can(by, "books.edit", book)
    entity, created = Entity.objects.get_or_create(book=book, kind=kind, name=name.strip(),
                                                   defaults={"aliases": aliases or [], "org_unit": org_unit,
                                                             "confirmed": True})
    if not created:
        entity.confirmed = True
        entity.aliases = sorted(set(entity.aliases or []) | set(aliases or []))
        entity.save(update_fields=["confirmed", "aliases"])
    audit(entity, "books.entity_confirm", by=by)
    return entity


# -- packs and exports -----------------------------------------------------------------------------------

def pack_create(*, by: Any, title: str, slug: str, body: list[dict[str, Any]], book: BookPage | None = None,
                org_unit: Any = None, access: str = "public") -> ThematicPack:
    ensure_can(by, "books.edit", _unit_holder(org_unit))
    pack = ThematicPack.objects.create(title=title, slug=slug, body=body, book=book, org_unit=org_unit,
                                       access=access)
    pack_citations_sync(pack)
    audit(pack, "books.pack_create", by=by)
    return pack


def export_request(*, by: Any, book: BookPage, fmt: str) -> BookExport:
    from books.tasks import run_export
    from books.writers import FORMATS

    ensure_can(by, "books.edit", book)
    if fmt not in FORMATS:
        raise ValueError("unknown format %r" % fmt)
    export = BookExport.objects.create(book=book, format=fmt, by=by)
    audit(book, "books.export", by=by, data={"format": fmt, "export": export.pk})
    transaction.on_commit(lambda: run_export.enqueue(export_id=export.pk))
    return export
