"""The search page (server-rendered) and the JSON API: parse input, ask the service, render."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

import vntext
from core.paging import MAX_INT, deepest_page, page_number, request_int
from core.replica import replica_reads
from search import filters as filter_schema
from search.documents import Results
from search.services import search_items

FILTER_PARAMS = filter_schema.PUBLIC
FACET_TITLES = {
    "type": _("Loại văn bản"), "issuer": _("Cơ quan ban hành"), "year": _("Năm"), "decade": _("Thập niên"),
    "unit": _("Đơn vị"), "collection": _("Phông / hồ sơ"), "access": _("Mức độ tiếp cận"),
}
PAGE_SIZE = 20
INT_FILTERS = {"year": 9999, "decade": 9999, "unit": MAX_INT, "collection": MAX_INT}


def _clean_filters(request: HttpRequest) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in FILTER_PARAMS:
        value = request.GET.get(name, "").strip()[:200]
        if not value:
            continue
        if name in INT_FILTERS:
            number = request_int(value, minimum=0, maximum=INT_FILTERS[name])
            if number is None:
                continue  # not a number, or one that no row can hold: no such filter
            value = str(number)
        out[name] = value
    return out


def _run(request: HttpRequest, page_size: int) -> tuple[str, dict[str, Any], str, Results | None]:
    query = request.GET.get("q", "").strip()[:500]
    filters = _clean_filters(request)
    sort = "date" if request.GET.get("sort") == "date" else "relevance"
    if not query and not filters:
        return query, filters, sort, None
    page = page_number(request.GET.get("page"), maximum=deepest_page(page_size))
    results = search_items(user=request.user, query=query, filters=filters, sort=sort, page=page,
                           page_size=page_size)
    if results.count and page > results.num_pages:  # past the end: the last page
        results = search_items(user=request.user, query=query, filters=filters, sort=sort,
                               page=min(results.num_pages, deepest_page(page_size)), page_size=page_size)
    return query, filters, sort, results


@replica_reads
def search_page(request: HttpRequest) -> HttpResponse:
    query, filters, sort, results = _run(request, PAGE_SIZE)
    base = {"q": query, **filters, **({"sort": sort} if sort != "relevance" else {})}

    def url(**changes: Any) -> str:
        params = {k: v for k, v in {**base, **changes}.items() if v not in (None, "")}
        return "?" + urlencode(params)

    facets = []
    if results is not None:
        for name, values in results.facets.items():
            if not values:
                continue
            items = [{"label": v.label, "count": v.count, "active": str(filters.get(name)) == v.value,
                      "url": url(**{name: None if str(filters.get(name)) == v.value else v.value, "page": None})}
                     for v in values[:12]]
            facets.append({"name": name, "title": FACET_TITLES.get(name, name), "values": items})
    unaccented = bool(query) and vntext.fold(query) == vntext.casefold(query) and any(c.isalpha() for c in query)
    pages = None
    if results is not None and results.num_pages > 1:
        pages = {
            "previous": url(page=results.page - 1) if results.page > 1 else None,
            "next": url(page=results.page + 1) if results.page < results.num_pages else None,
        }
    return render(request, "search/search.html", {
        "query": query, "results": results, "facets": facets, "sort": sort, "pages": pages,
        "unaccented": unaccented, "sort_relevance_url": url(sort=None, page=None),
        "sort_date_url": url(sort="date", page=None), "filters": filters,
        "clear_filters_url": "?" + urlencode({"q": query}),
        "first_rank": ((results.page - 1) * results.page_size + 1) if results else 1,
    })


@replica_reads
def search_api(request: HttpRequest) -> JsonResponse:
    """``GET /api/v1/search?q=…&page=…`` → {"count", "results": [...], "facets": {...}} as the user may see."""
    page_size = request_int(request.GET.get("page_size"), default=10, minimum=1, maximum=10**6) or 10
    page_size = min(page_size, 100)
    _query, _filters, _sort, results = _run(request, page_size)
    if results is None:
        return JsonResponse({"count": 0, "results": [], "facets": {}})
    return JsonResponse(results.to_dict(), json_dumps_params={"ensure_ascii": False})
