"""Public reading pages of the books under /books/ (until the portal links them), the chronology timeline,
thematic packs and CSL-JSON. Thin: access → build → render."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from books import chronology as chrono
from books import selectors
from books.document import build_book, build_pack
from books.models import ChapterPage, Chronology
from books.writers import bibliography_html, body_html


def _int(value: str | None, default: int) -> int:
    try:
        return int(value or default)
    except ValueError:
        return default


@require_GET
def book_list(request: HttpRequest) -> HttpResponse:
    books = selectors.public_books(request.user).order_by("title")
    chronologies = selectors.visible_chronologies(request.user)
    return render(request, "books/list.html", {"books": books, "chronologies": chronologies})


@require_GET
def book_detail(request: HttpRequest, slug: str) -> HttpResponse:
    book = selectors.access_book(request.user, slug)
    doc = build_book(book, user=request.user, live_only=True)
    return render(request, "books/book.html", {"book": book, "doc": doc,
                                               "bibliography": mark_safe(bibliography_html(doc)),  # noqa: S308
                                               "chapters": selectors.chapter_links(doc)})


@require_GET
def chapter_detail(request: HttpRequest, slug: str, chapter: str) -> HttpResponse:
    book = selectors.access_book(request.user, slug)
    doc = build_book(book, user=request.user, live_only=True)
    wanted = selectors.chapter_divisions(doc, chapter)
    if not wanted:
        raise Http404
    body = body_html(doc, mode="web", division_filter=wanted)
    return render(request, "books/chapter.html", {"book": book, "doc": doc, "body": mark_safe(body),  # noqa: S308
                                                  "title": doc.divisions[min(wanted)].title,
                                                  "chapters": selectors.chapter_links(doc)})


@require_GET
def book_index(request: HttpRequest, slug: str) -> HttpResponse:
    book = selectors.access_book(request.user, slug)
    doc = build_book(book, user=request.user, live_only=True)
    return render(request, "books/index.html", {"book": book, "entries": selectors.index_links(doc, book)})


@require_GET
def book_csl(request: HttpRequest, slug: str) -> JsonResponse:
    book = selectors.access_book(request.user, slug)
    doc = build_book(book, user=request.user, live_only=True)
    response = JsonResponse(list(doc.entries.values()), safe=False, json_dumps_params={"ensure_ascii": False})
    response["Content-Disposition"] = 'inline; filename="%s.csl.json"' % book.slug
    return response


@require_GET
def chronology_detail(request: HttpRequest, pk: int) -> HttpResponse:
    chronology = selectors.access_chronology(request.user, pk)
    year = _int(request.GET.get("year"), 0) or None
    place = request.GET.get("place", "").strip()[:100]
    actor = request.GET.get("actor", "").strip()[:100]
    data = chrono.timeline(user=request.user, chronology=chronology, year=year, place=place, actor=actor,
                           page=_int(request.GET.get("page"), 1))
    peak = max((y["n"] for y in data["years"]), default=1)
    years = [(y["year"], y["n"], max(4, round(100 * y["n"] / peak))) for y in data["years"]]
    events = list(data["page"])
    for event in events:
        event.lunar = chrono.lunar_label(event)
    context = {"chronology": chronology, "years": years, "year": year, "place": place, "actor": actor,
               "page_obj": data["page"], "events": events, "places": data["places"], "total": data["total"]}
    template = "books/_events.html" if getattr(request, "htmx", False) else "books/chronology.html"
    return render(request, template, context)


@require_GET
def pack_detail(request: HttpRequest, slug: str) -> HttpResponse:
    pack = selectors.access_pack(request.user, slug)
    doc = build_pack(pack, user=request.user)
    return render(request, "books/pack.html", {"pack": pack, "body": mark_safe(body_html(doc, mode="web")),  # noqa: S308
                                               "bibliography": mark_safe(bibliography_html(doc))})  # noqa: S308


@require_GET
def pack_download(request: HttpRequest, slug: str, fmt: str) -> FileResponse:
    from books.writers import write

    if fmt not in {"docx", "pdf"}:
        raise Http404
    pack = selectors.access_pack(request.user, slug)
    doc = build_pack(pack, user=request.user)
    tmp = Path(tempfile.mkdtemp(prefix="sulieu-pack-")) / ("%s.%s" % (pack.slug, fmt))
    write(doc, fmt, tmp)
    return FileResponse(tmp.open("rb"), as_attachment=True, filename=tmp.name)


__all__ = ["ChapterPage", "Chronology", "json"]
