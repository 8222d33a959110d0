"""How portal pages are served: contexts, the article cache with its holes, counting, search, feeds, print."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.utils.html import strip_tags

import vntext
from portal import cache, selectors, stats
from portal.feeds import ArticleFeed
from search.services import search_items

HOLES = ("views", "online", "today", "total", "csrf")
HOLE_MARKS = {name: "\u27e6portal:%s\u27e7" % name for name in HOLES}


def fold_article_text(page: Any) -> str:
    parts = [page.title or "", page.sapo or "", page.author or ""]
    for block in page.body or []:
        value = block.value
        if block.block_type == "paragraph":
            parts.append(strip_tags(value.source if hasattr(value, "source") else str(value)))
        elif block.block_type in {"heading", "quote"}:
            parts.append(str(value))
        elif block.block_type == "image":
            parts.append(value.get("caption") or "")
    return vntext.fold(" ".join(p for p in parts if p))


def fill_holes(html: str, request: HttpRequest, page_id: int | None) -> str:
    site = stats.site_stats_cached()
    values = {"online": site["online"], "today": site["today"], "total": site["total"]}
    if page_id is not None and HOLE_MARKS["views"] in html:
        values["views"] = stats.page_views_cached(page_id)
    if HOLE_MARKS["csrf"] in html:
        values["csrf"] = get_token(request)
    for name, value in values.items():
        shown = f"{value:,}".replace(",", ".") if isinstance(value, int) else str(value)
        html = html.replace(HOLE_MARKS[name], shown)
    return html


def _finish(response: HttpResponse, request: HttpRequest, page_id: int) -> HttpResponse:
    if response.status_code == 200:
        if hasattr(response, "render"):
            response.render()
        response.content = fill_holes(response.content.decode(), request, page_id).encode()
        stats.record_hit(page_id=page_id, request=request)
    return response


def serve_counted(page: Any, request: HttpRequest, render_page: Callable[[], HttpResponse]) -> HttpResponse:
    """Serve a page uncached and count it (home, topics): counted only once it rendered."""
    return _finish(render_page(), request, page.pk)


def serve_article(page: Any, request: HttpRequest, render_page: Callable[[], HttpResponse]) -> HttpResponse:
    """Anonymous plain GETs come from the cache (purged on publish); every request still counts once."""
    if not cache.cacheable(request):
        return _finish(render_page(), request, page.pk)
    html = cache.get_page(page.pk)
    if html is None:
        response = render_page()
        if response.status_code != 200:
            return response
        if hasattr(response, "render"):
            response.render()
        html = response.content.decode()
        cache.set_page(page.pk, html)
    response = HttpResponse(fill_holes(html, request, page.pk))
    stats.record_hit(page_id=page.pk, request=request)
    return response


def sidebar_context() -> dict[str, Any]:
    return {
        "new_documents": list(selectors.new_documents()[:5]),
        "most_read": selectors.most_read(limit=5),
        "holes": HOLE_MARKS,
        "portal_home": selectors.pm.PortalHomePage.objects.live().first(),
    }


def home_context(home: Any) -> dict[str, Any]:
    leads = [s.article for s in home.lead_stories.select_related("article").order_by("sort_order")
             if s.article.live]
    latest = list(selectors.live_articles().select_related("lead_image")[:12])
    lead_ids = {a.pk for a in leads}
    if not leads:
        leads = latest[:1]
        lead_ids = {a.pk for a in leads}
    topics = list(selectors.topics().child_of(home))
    newest = selectors.latest_by_parent(topics, 4)
    topic_blocks = [{"topic": topic, "articles": newest[topic.pk]} for topic in topics if newest[topic.pk]]
    return {
        "leads": leads,
        "latest": [a for a in latest if a.pk not in lead_ids][:6],
        "topic_blocks": topic_blocks,
        "document_lists": selectors.pm.DocumentListPage.objects.live().public().child_of(home),
        **sidebar_context(),
    }


def articles_of(topic: Any) -> Any:
    return selectors.articles_of(topic)


def article_context(article: Any) -> dict[str, Any]:
    topic = article.get_parent().specific
    return {
        "topic": topic,
        "related": selectors.related_articles(article),
        "footnotes": selectors.footnotes(article),
        "comments": list(selectors.approved_comments(article)),
        "tags": list(article.tags.all()),
        **sidebar_context(),
    }


def document_list_context(request: HttpRequest) -> dict[str, Any]:
    doc_type = request.GET.get("loai", "")[:16]
    issuer = request.GET.get("co-quan", "")[:500]
    documents = selectors.new_documents(doc_type=doc_type, issuer=issuer)
    return {
        "documents": Paginator(documents, 20).get_page(request.GET.get("page")),
        "filters": selectors.document_filters(),
        "chosen_type": doc_type,
        "chosen_issuer": issuer,
        **sidebar_context(),
    }


def print_view(article: Any, request: HttpRequest) -> HttpResponse:
    return render(request, "portal/print.html", {"page": article, **article_context(article)})


def search_view(home: Any, request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:200]
    articles = selectors.search_articles(query) if query else []
    items = search_items(user=request.user, query=query, page_size=10, facets=False) if query else None
    response = render(request, "portal/search.html", {"page": home, "query": query, "articles": articles,
                                                      "items": items, **sidebar_context()})
    response.content = fill_holes(response.content.decode(), request, None).encode()
    return response


def feed_response(request: HttpRequest, home: Any, topic: Any) -> HttpResponse:
    return ArticleFeed(home=home, topic=topic)(request)
