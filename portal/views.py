"""Non-page views of the portal: posting a comment, the public JSON API, the sitemap."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import sitemap as django_sitemap
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST
from wagtail.contrib.sitemaps import Sitemap as PageSitemap

from archive.selectors import item_list
from core.http import client_address
from portal import selectors, stats
from portal.services import CommentRefused, comment_post


def _article_or_404(article_id: int) -> Any:
    article = selectors.live_articles().filter(pk=article_id).first()
    if article is None:
        raise Http404
    return article


@require_POST
def comment_create(request: HttpRequest, article_id: int) -> HttpResponse:
    article = _article_or_404(article_id)
    if request.POST.get("website"):  # a field people never see: only robots fill it
        return redirect(article.url + "?binh_luan=cho-duyet#binh-luan")
    try:
        comment_post(article=article, user=request.user, name=request.POST.get("name", ""),
                     email=request.POST.get("email", ""), body=request.POST.get("body", ""),
                     ip=client_address(request))
    except CommentRefused as exc:
        messages.error(request, exc.messages[0])
        return redirect(article.url + "?binh_luan=loi#binh-luan")
    return redirect(article.url + "?binh_luan=cho-duyet#binh-luan")


def _article_json(article: Any, request: HttpRequest, views: int, comments: int) -> dict[str, Any]:
    first = article.first_published_at
    return {"id": article.pk, "title": article.title, "url": request.build_absolute_uri(article.url),
            "first_published_at": first.isoformat() if first else None, "views": views, "comments": comments}


@require_GET
def api_article(request: HttpRequest, article_id: int) -> JsonResponse:
    article = _article_or_404(article_id)
    views = stats.page_views([article.pk])[article.pk]
    comments = selectors.comment_counts([article.pk])[article.pk]
    return JsonResponse(_article_json(article, request, views, comments),
                        json_dumps_params={"ensure_ascii": False})


@require_GET
def api_articles(request: HttpRequest) -> JsonResponse:
    qs = selectors.live_articles()
    slug = request.GET.get("topic", "").strip()
    if slug:
        topic = selectors.topic_by_slug(slug)
        if topic is None:
            return JsonResponse({"error": "unknown topic %r" % slug[:100]}, status=404)
        qs = qs.child_of(topic)
    articles = list(qs[:200])
    ids = [a.pk for a in articles]
    views = stats.page_views(ids)
    comments = selectors.comment_counts(ids)
    return JsonResponse({"count": len(articles),
                         "results": [_article_json(a, request, views[a.pk], comments[a.pk]) for a in articles]},
                        json_dumps_params={"ensure_ascii": False})


class PublicItemSitemap(Sitemap):
    """Archive items the anonymous public may read (the reading room's item pages)."""

    limit = 5000

    def items(self) -> Any:
        return item_list(None).filter(status="done").select_related(None).order_by("pk").only("pk", "updated_at")

    def location(self, item: Any) -> str:
        return reverse("reading:item", args=[item.pk])

    def lastmod(self, item: Any) -> Any:
        return item.updated_at


def sitemap(request: HttpRequest) -> HttpResponse:
    return django_sitemap(request, sitemaps={"pages": PageSitemap(request), "items": PublicItemSitemap()})
