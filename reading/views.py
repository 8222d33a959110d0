"""Reading-room pages: parse → access → selector/service → render. Partial templates answer htmx."""

from __future__ import annotations

import urllib.parse
from typing import Any

from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from archive import storage
from archive.models import ItemFile
from archive.selectors import access_collection
from core.paging import page_number, request_int
from core.replica import replica_reads
from reading import images, selectors, services
from reading.access import access_reading_item, ensure_file_right, item_rights


def _int(value: str | None, default: int = 1) -> int:
    """A page number from the request (1 when missing or not a number; never past MAX_PAGE)."""
    return page_number(value) if value else default


def _tree(user: Any, parent: Any, request: HttpRequest) -> selectors.TreePage:
    """One page of a node's children; a page past the last one is a 404, never a 500."""
    page = _int(request.GET.get("page"))
    tree = selectors.tree_children(user, parent, page=page)
    if page > 1 and not tree.nodes and not tree.items:
        raise Http404
    return tree


def _query(request: HttpRequest) -> str:
    """Terms to highlight: ``?q=``, else those of the search page the reader came from."""
    query = request.GET.get("q", "")
    if not query:
        referer = urllib.parse.urlsplit(request.headers.get("referer", ""))
        if referer.path.startswith("/search") and referer.netloc == request.get_host():
            query = urllib.parse.parse_qs(referer.query).get("q", [""])[0]
    return query.strip()[:500]


@require_GET
@replica_reads
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "reading/home.html", {
        "recent": selectors.recent_items(request.user),
        "fonds": selectors.fonds_list(request.user),
        "facets": selectors.browse_facets(request.user),
        "places": selectors.place_counts(request.user, limit=24),
    })


@require_GET
@replica_reads
def item_detail(request: HttpRequest, item_id: int) -> HttpResponse:
    item = access_reading_item(request.user, item_id)
    if item.merged_into_id:
        return redirect("reading:item", item.merged_into_id)
    query = _query(request)
    partial = bool(getattr(request, "htmx", False))
    reading = services.item_reading(request.user, item, page_n=_int(request.GET.get("page")), query=query,
                                    related=False, links=not partial)
    urls = services.item_urls(item)
    page_url = request.build_absolute_uri(urls["page"])
    context: dict[str, Any] = {"r": reading, "item": item, "query": query, "urls": urls,
                               "citation": services.citation(item, reading.trail, page_url, reading.page_n)}
    if partial:  # the page flipped: the reader, and the citation (its page) out of band
        return render(request, "reading/_reader.html", {**context, "oob": True})
    context["metadata"] = services.metadata_rows(item)
    return render(request, "reading/item.html", context)


@require_GET
@replica_reads
def item_related(request: HttpRequest, item_id: int) -> HttpResponse:
    """htmx: related items, asked after the item page has rendered (a search: kept off the page's own time)."""
    item = access_reading_item(request.user, item_id)
    return render(request, "reading/_related.html", {"related": services.related_items(request.user, item)})


@require_GET
def item_print(request: HttpRequest, item_id: int) -> HttpResponse:
    item = access_reading_item(request.user, item_id)
    reading = services.item_reading(request.user, item, related=False)
    pages = selectors.ItemPage.objects.filter(item=item).order_by("n").only("n", "text")
    page_url = request.build_absolute_uri(services.item_urls(item)["page"])
    return render(request, "reading/print.html", {
        "r": reading, "item": item, "pages": pages, "metadata": services.metadata_rows(item),
        "citation": services.citation(item, reading.trail, page_url)})


@require_GET
def page_image(request: HttpRequest, item_id: int, n: int) -> HttpResponse:
    item = access_reading_item(request.user, item_id)
    ensure_file_right(request.user, item, "page")
    blob = selectors.page_image_blob(item, n)
    if blob is not None:
        return _file(blob, private=item.access != "public")
    image = images.rendered_pdf_page(item, n) if images.renders_pdf(item) else None
    if image is None:
        raise Http404
    response = HttpResponse(image.data, content_type=image.mime)
    response["Cache-Control"] = "private, max-age=3600" if item.access != "public" else "public, max-age=3600"
    return response


@require_GET
def thumbnail(request: HttpRequest, item_id: int) -> HttpResponse:
    item = access_reading_item(request.user, item_id)
    ensure_file_right(request.user, item, "thumbnail")
    file = selectors.item_file(item, ItemFile.Role.THUMBNAIL)
    if file is None:
        raise Http404
    return _file(file.blob, private=item.access != "public")


@require_GET
def download(request: HttpRequest, item_id: int, kind: str) -> HttpResponse:
    if kind not in ("original", "pdf"):
        raise Http404
    item = access_reading_item(request.user, item_id)
    if kind == "original":
        ensure_file_right(request.user, item, "original")
        return _file(item.original, private=True, name=item.original_name or "item-%s" % item.pk,
                     mime=item.mime)
    ensure_file_right(request.user, item, "searchable_pdf")
    file = selectors.item_file(item, ItemFile.Role.SEARCHABLE_PDF)
    if file is None:
        raise Http404
    return _file(file.blob, private=True, name="%s.pdf" % (item.symbol.replace("/", "-") or "item-%s" % item.pk),
                 mime="application/pdf")


def _file(blob: Any, *, private: bool, name: str = "", mime: str = "") -> FileResponse:
    path = storage.object_path(blob.sha256)
    if not path.exists():
        raise Http404
    response = FileResponse(open(path, "rb"), as_attachment=bool(name), filename=name or None,  # noqa: SIM115
                            content_type=mime or blob.mime or "application/octet-stream")
    response["Cache-Control"] = "private, max-age=3600" if private else "public, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
def cite_csl(request: HttpRequest, item_id: int) -> JsonResponse:
    item = access_reading_item(request.user, item_id)
    trail = selectors.collection_trail(request.user, item.collection)
    page = _int(request.GET.get("page"), 0) if request.GET.get("page") else None
    url = request.build_absolute_uri(services.item_urls(item)["page"])
    data = [services.citation(item, trail, url, page)["csl"]]
    response = JsonResponse(data, safe=False, json_dumps_params={"ensure_ascii": False, "indent": 2},
                            content_type="application/vnd.citationstyles.csl+json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="sulieu-%s.json"' % item.pk
    return response


@require_GET
def manifest(request: HttpRequest, item_id: int) -> JsonResponse:
    from reading.iiif import build_manifest

    item = access_reading_item(request.user, item_id)
    ensure_file_right(request.user, item, "manifest")
    urls = services.item_urls(item)
    files = selectors.item_files(item)
    if ItemFile.Role.SEARCHABLE_PDF not in files:
        urls.pop("searchable_pdf")
    if ItemFile.Role.THUMBNAIL not in files:
        urls.pop("thumbnail")
    data = build_manifest(item, pages=selectors.item_page_refs(item), blobs=selectors.page_images(item),
                          rights=item_rights(request.user, item), absolute=request.build_absolute_uri, urls=urls,
                          metadata=services.metadata_rows(item),
                          page_image_url=lambda n: services.page_image_url(item, n))
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False},
                            content_type='application/ld+json;profile="http://iiif.io/api/presentation/3/context.json"')
    if item.access == "public":
        response["Access-Control-Allow-Origin"] = "*"  # outside viewers may open public manifests
    return response


# --- hierarchy ---------------------------------------------------------------------------------------

@require_GET
@replica_reads
def collections(request: HttpRequest) -> HttpResponse:
    tree = _tree(request.user, None, request)
    return render(request, "reading/collections.html", {"tree": tree, "parent": None, "trail": []})


@require_GET
@replica_reads
def collection_detail(request: HttpRequest, collection_id: int) -> HttpResponse:
    collection = access_collection(request.user, collection_id)
    tree = _tree(request.user, collection, request)
    return render(request, "reading/collections.html", {
        "tree": tree, "parent": collection, "trail": selectors.collection_trail(request.user, collection)})


@require_GET
@replica_reads
def tree_children(request: HttpRequest, collection_id: int | None = None) -> HttpResponse:
    """htmx: one page of a node's children as <li> rows (with a "more" row when there are more)."""
    parent = access_collection(request.user, collection_id) if collection_id else None
    tree = _tree(request.user, parent, request)
    return render(request, "reading/_tree_children.html", {"tree": tree, "parent": parent})


# --- timeline and places --------------------------------------------------------------------------------

@require_GET
@replica_reads
def timeline(request: HttpRequest) -> HttpResponse:
    years = selectors.year_counts(request.user)
    year = None
    if request.GET.get("year"):
        year = request_int(request.GET.get("year"), minimum=1, maximum=9998)
        if year is None:
            raise Http404  # no such year in any calendar the archive dates by
    items = None
    if year:
        items = Paginator(selectors.items_of_year(request.user, year), selectors.LIST_PAGE).get_page(
            request.GET.get("page"))
    peak = max((n for _y, n in years), default=1)
    decades: dict[int, list[tuple[int, int, int]]] = {}
    for y, n in years:
        decades.setdefault(y // 10 * 10, []).append((y, n, max(4, round(100 * n / peak))))
    return render(request, "reading/timeline.html", {"decades": sorted(decades.items()), "year": year,
                                                     "items": items, "query_prefix": "year=%s&" % year})


@require_GET
@replica_reads
def places(request: HttpRequest) -> HttpResponse:
    name = request.GET.get("name", "").strip()[:200]
    items = None
    if name:
        items = Paginator(selectors.items_of_place(request.user, name), selectors.LIST_PAGE).get_page(
            request.GET.get("page"))
    return render(request, "reading/places.html", {
        "places": selectors.place_counts(request.user), "name": name, "items": items,
        "query_prefix": urllib.parse.urlencode({"name": name}) + "&"})
