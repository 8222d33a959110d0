"""Back-office views of the books app: export with progress, import reports, entity and event suggestions."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_POST

from archive.models import Collection
from books import services
from books.entities import suggest_entities
from books.models import BookExport, BookPage, Chronology, ImportReport
from books.writers import FORMATS
from orgs.access import can_view
from orgs.policy import can


def _book(request: HttpRequest, book_id: int) -> BookPage:
    book = get_object_or_404(BookPage, pk=book_id)
    if not can_view(request.user, book):
        raise Http404
    return book


def dashboard(request: HttpRequest) -> HttpResponse:
    books = [b for b in BookPage.objects.order_by("title").select_related("org_unit") if can_view(request.user, b)]
    exports = BookExport.objects.filter(book__in=books).select_related("book")[:20]
    reports = ImportReport.objects.filter(book__in=books).select_related("book")[:10]
    return TemplateResponse(request, "books/admin/dashboard.html", {
        "books": books, "exports": exports, "reports": reports, "formats": FORMATS,
        "chronologies": Chronology.objects.order_by("title"), "collections": Collection.objects.order_by("code")[:200],
    })


@require_POST
def export_start(request: HttpRequest, book_id: int) -> HttpResponse:
    book = _book(request, book_id)
    fmt = request.POST.get("format", "")
    if fmt not in FORMATS:
        messages.error(request, "Định dạng không hợp lệ.")
        return redirect("books_admin:dashboard")
    try:
        export = services.export_request(by=request.user, book=book, fmt=fmt)
    except PermissionDenied:
        raise
    messages.success(request, "Đang xuất %s (%s)." % (book.title, fmt.upper()))
    return redirect("books_admin:export_status", export_id=export.pk)


def export_status(request: HttpRequest, export_id: int) -> HttpResponse:
    export = get_object_or_404(BookExport.objects.select_related("book"), pk=export_id)
    _book(request, export.book_id)
    template = "books/admin/_export_row.html" if getattr(request, "htmx", False) else "books/admin/export.html"
    return TemplateResponse(request, template, {"export": export})


def export_download(request: HttpRequest, export_id: int) -> FileResponse:
    export = get_object_or_404(BookExport, pk=export_id, status=BookExport.Status.DONE)
    _book(request, export.book_id)
    path = Path(export.path)
    if not path.is_file():
        raise Http404
    return FileResponse(path.open("rb"), as_attachment=True, filename=path.name)


def import_report(request: HttpRequest, book_id: int, report_id: int) -> HttpResponse:
    book = _book(request, book_id)
    report = get_object_or_404(ImportReport, pk=report_id, book=book)
    return TemplateResponse(request, "books/admin/import_report.html", {"book": book, "report": report})


def entity_suggestions(request: HttpRequest, book_id: int) -> HttpResponse:
    book = _book(request, book_id)
    if request.method == "POST":
        if not can(request.user, "books.edit", book):
            raise PermissionDenied
        chosen = request.POST.getlist("entity")
        for value in chosen:
            kind, _sep, name = value.partition("|")
            services.entity_confirm(by=request.user, book=book, kind=kind, name=name)
        messages.success(request, "Đã xác nhận %d mục từ." % len(chosen))
        return redirect("books_admin:entities", book_id=book.pk)
    return TemplateResponse(request, "books/admin/entities.html",
                            {"book": book, "suggestions": suggest_entities(book)})


def chronology_suggest(request: HttpRequest, chronology_id: int) -> HttpResponse:
    from books.chronology import SUGGEST_PRECISIONS, suggest_events

    chronology = get_object_or_404(Chronology, pk=chronology_id)
    if not can_view(request.user, chronology):
        raise Http404
    code = request.GET.get("collection") or request.POST.get("collection") or ""
    collection = Collection.objects.filter(code=code).first()
    if request.method == "POST":
        count = 0
        for value in request.POST.getlist("suggestion"):
            date, precision, item_id, page, latest, text = value.split("|", 5)
            services.event_add(by=request.user, chronology=chronology, date_earliest=dt.date.fromisoformat(date),
                               date_latest=dt.date.fromisoformat(latest), text=text,
                               precision=SUGGEST_PRECISIONS.get(precision, "approximate"),
                               sources=[{"item": int(item_id), "page": int(page)}])
            count += 1
        messages.success(request, "Đã thêm %d sự kiện." % count)
        return redirect("books_admin:dashboard")
    suggestions = suggest_events(user=request.user, collection=collection, limit=300) if collection else []
    return TemplateResponse(request, "books/admin/suggest.html",
                            {"chronology": chronology, "collection": collection, "suggestions": suggestions,
                             "collections": Collection.objects.order_by("code")[:200]})
