"""Reads of the books app, narrowed to what the reader may see (orgs.access)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from books.models import BookPage, BookStatus, ChapterPage, Chronology, CitationLink, ThematicPack
from orgs.access import can_view, filter_visible


def book_summaries() -> list[dict[str, Any]]:
    out = []
    for book in BookPage.objects.order_by("title"):
        chapters = ChapterPage.objects.descendant_of(book).count()
        out.append({"slug": book.slug, "title": book.title, "chapters": chapters, "status": book.book_status})
    return out


def public_books(user: Any) -> QuerySet[BookPage]:
    """Books a reader may open on the web: visible, with at least one published chapter."""
    return filter_visible(user, BookPage.objects.live().filter(book_status__in=[BookStatus.PUBLISHED,
                                                                                BookStatus.REVIEW,
                                                                                BookStatus.DRAFT]))


def access_book(user: Any, slug: str) -> BookPage:
    book = BookPage.objects.filter(slug=slug).select_related("org_unit").first()
    if book is None or not can_view(user, book):
        raise Http404
    return book


def access_chronology(user: Any, pk: int) -> Chronology:
    chronology = Chronology.objects.filter(pk=pk).select_related("org_unit").first()
    if chronology is None or not can_view(user, chronology):
        raise Http404
    return chronology


def access_pack(user: Any, slug: str) -> ThematicPack:
    pack = ThematicPack.objects.filter(slug=slug).select_related("org_unit").first()
    if pack is None or not can_view(user, pack):
        raise Http404
    return pack


def cited_in(user: Any, item_id: int) -> dict[str, list[Any]]:
    """Live chapters and packs (of books the reader may see) and chronology events citing an item."""
    from books.models import Event

    links = (CitationLink.objects.filter(item_id=item_id).select_related("page", "book", "pack", "book__org_unit",
                                                                           "pack__org_unit"))
    chapters, packs, seen = [], [], set()
    for link in links:
        if link.page_id and link.page and link.page.live and link.book and can_view(user, link.book):
            if link.book.live and ("p", link.page_id) not in seen:
                seen.add(("p", link.page_id))
                chapters.append(link)
        elif link.pack_id and link.pack and can_view(user, link.pack) and ("k", link.pack_id) not in seen:
            seen.add(("k", link.pack_id))
            packs.append(link)
    chronologies = filter_visible(user, Chronology.objects.all())
    events = list(Event.objects.filter(chronology__in=chronologies, source_links__item_id=item_id)
                  .select_related("chronology").distinct().order_by("date_earliest")[:50])
    return {"chapters": chapters, "packs": packs, "events": events}


def visible_chronologies(user: Any) -> QuerySet[Chronology]:
    return filter_visible(user, Chronology.objects.all()).order_by("title")


def chapter_divisions(doc: Any, chapter_slug: str) -> set[int]:
    """Indexes of the divisions shown on one chapter page: the chapter and its sections."""
    wanted: set[int] = set()
    inside = False
    for i, division in enumerate(doc.divisions):
        if division.level <= 2:
            inside = division.slug == chapter_slug and division.level == 2
        if inside:
            wanted.add(i)
    return wanted


def chapter_links(doc: Any) -> list[dict[str, Any]]:
    return [{"title": d.title, "slug": d.slug, "level": d.level} for d in doc.divisions if d.level <= 2]


def index_links(doc: Any, book: BookPage) -> list[dict[str, Any]]:
    """Index entries with links to the chapter pages where each is mentioned."""
    from django.urls import reverse

    chapter_slug: dict[int, tuple[str, str]] = {}
    current = ("", "")
    for i, division in enumerate(doc.divisions):
        if division.level == 2:
            current = (division.slug, division.title)
        chapter_slug[i] = current
    out = []
    for entry in doc.index:
        links = []
        for n in entry.mentions:
            slug, title = chapter_slug.get(doc.mentions[n].division, ("", ""))
            if slug:
                links.append({"url": reverse("books:chapter", args=[book.slug, slug]) + "#ix%d" % n, "title": title})
        out.append({"name": entry.name, "kind": entry.kind, "links": links})
    return out
