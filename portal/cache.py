"""Anonymous article pages served from the cache; any publish or unpublish purges every cached page.

Purging bumps a generation number that is part of every key, so a purge is one write whatever the number
of pages (stale entries simply expire).  The parts of a page that change on every request (the view
counter, visitor statistics, the CSRF token of the comment form) are holes filled at serve time.
"""

from __future__ import annotations

from typing import Any

from django.core.cache import cache

GENERATION_KEY = "portal:generation"
PAGE_TTL = 3600


def generation() -> int:
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, 1, None)
        value = cache.get(GENERATION_KEY) or 1
    return int(value)


def purge(**_: Any) -> None:
    """Forget every cached portal page (after a publish, an unpublish, an approved comment)."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 2, None)


def page_key(page_id: int) -> str:
    return "portal:page:%s:%s" % (page_id, generation())


def get_page(page_id: int) -> str | None:
    return cache.get(page_key(page_id))


def set_page(page_id: int, html: str) -> None:
    cache.set(page_key(page_id), html, PAGE_TTL)


def connect() -> None:
    """Purge on Wagtail's publish signals: they fire for the editor's publish, workflows and scheduled publishing."""
    from wagtail.signals import page_published, page_unpublished

    page_published.connect(purge, dispatch_uid="portal-cache-purge-published")
    page_unpublished.connect(purge, dispatch_uid="portal-cache-purge-unpublished")
