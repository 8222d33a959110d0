"""Anonymous article pages served from the cache; any change that could alter a public page purges them all.

Purging bumps a generation number that is part of every key, so a purge is one write whatever the number
of pages (stale entries simply expire).  The parts of a page that change on every request (the view
counter, visitor statistics, the CSRF token of the comment form) are holes filled at serve time.

Pages are kept per language (the language switcher's choice) and, once Wagtail has served a page to the
anonymous public, its address is remembered (a *route*: host + path → page id) so that the next anonymous
GET of that address is answered from the cache before URL and page routing (``portal.fastpath``).
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.utils import translation

GENERATION_KEY = "portal:generation"
# Query parameters that only say where a reader came from (campaign tags, click ids of Facebook, Google, Zalo):
# the page is the same, so such a GET is still answered from the cache.
TRACKING_PREFIXES = ("utm_",)
TRACKING_PARAMS = frozenset({"fbclid", "gclid", "zarsrc", "dclid", "msclkid", "_hsenc", "mc_cid", "mc_eid"})
PAGE_TTL = 3600


def cacheable(request: Any) -> bool:
    """An anonymous plain GET (tracking parameters aside) of the published page: answered from the cache."""
    if request.method != "GET" or request.user.is_authenticated or getattr(request, "is_preview", False):
        return False
    return all(key in TRACKING_PARAMS or key.startswith(TRACKING_PREFIXES) for key in request.GET)


def generation() -> int:
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, 1, None)
        value = cache.get(GENERATION_KEY) or 1
    return int(value)


def purge(**_: Any) -> None:
    """Forget every cached portal page and route (after a publish, an unpublish, a move, a restriction…)."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 2, None)


def _language() -> str:
    return translation.get_language() or settings.LANGUAGE_CODE


def page_key(page_id: int, gen: int | None = None) -> str:
    return "portal:page:%s:%s:%s" % (page_id, _language(), gen or generation())


def get_page(page_id: int) -> str | None:
    return cache.get(page_key(page_id))


def set_page(page_id: int, html: str) -> None:
    cache.set(page_key(page_id), html, PAGE_TTL)


def route_key(host: str, path: str, gen: int) -> str:
    digest = hashlib.sha256(("%s\n%s" % (host, path)).encode("utf-8", "surrogateescape")).hexdigest()[:32]
    return "portal:route:%s:%s" % (digest, gen)


def set_route(host: str, path: str, page_id: int) -> None:
    """Remember that this address shows this page to the anonymous public (until the next purge)."""
    cache.set(route_key(host, path, generation()), page_id, PAGE_TTL)


def cached_route(host: str, path: str) -> tuple[int, str] | None:
    """(page id, cached HTML) for an address seen before, or None."""
    gen = generation()
    page_id = cache.get(route_key(host, path, gen))
    if page_id is None:
        return None
    html = cache.get(page_key(page_id, gen))
    return None if html is None else (page_id, html)


def connect() -> None:
    """Purge on whatever changes what a public address shows: publishing (the editor's, workflows', scheduled),
    unpublishing, moving or deleting a page, view restrictions, sites."""
    from django.db.models.signals import post_delete, post_save
    from wagtail.models import Page, PageViewRestriction, Site
    from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

    page_published.connect(purge, dispatch_uid="portal-cache-purge-published")
    page_unpublished.connect(purge, dispatch_uid="portal-cache-purge-unpublished")
    post_page_move.connect(purge, dispatch_uid="portal-cache-purge-moved")
    page_slug_changed.connect(purge, dispatch_uid="portal-cache-purge-slug")
    post_delete.connect(purge, sender=Page, dispatch_uid="portal-cache-purge-page-deleted")
    for model in (PageViewRestriction, Site):
        post_save.connect(purge, sender=model, dispatch_uid="portal-cache-purge-saved-%s" % model.__name__)
        post_delete.connect(purge, sender=model, dispatch_uid="portal-cache-purge-deleted-%s" % model.__name__)
