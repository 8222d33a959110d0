"""Anonymous GETs of a cached article, answered before URL and Wagtail page routing.

Wagtail's routing of a page three levels down costs about ten queries (site, each level, the page's specific
row, aliases, view restrictions) before the cached HTML is even looked at.  This middleware, the last of the
chain (sessions, language, CSRF, authentication and the security headers all still apply), looks the
address up in the routes ``portal.cache`` remembers and answers from the cache with the holes filled and the
view counted, exactly as ``portal.serving.serve_article`` does after routing.

A route is remembered only after Wagtail itself served that address to the anonymous public with a 200 and
without the never-cache headers Wagtail puts on pages under a view restriction; every publish, unpublish,
move, deletion, restriction or site change purges all routes (``portal.cache.connect``).
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from portal import cache, serving, stats

ARTICLE_ATTR = "portal_article_id"  # set by the before_serve_page hook (portal.wagtail_hooks)


class CachedArticleMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        cacheable = cache.cacheable(request)
        if cacheable:
            found = cache.cached_route(request.get_host(), request.path_info)
            if found is not None:
                page_id, html = found
                response = HttpResponse(serving.fill_holes(html, request, page_id))
                stats.record_hit(page_id=page_id, request=request)
                return response
        response = self.get_response(request)
        page_id = getattr(request, ARTICLE_ATTR, None)
        if (cacheable and page_id is not None and response.status_code == 200
                and "no-store" not in response.get("Cache-Control", "")):
            cache.set_route(request.get_host(), request.path_info, page_id)
        return response
