"""Wagtail's page tree root, made when a database has none (a flushed test database, a restored empty one)."""

from __future__ import annotations

from django.conf import settings
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Collection, Locale, Page


def tree_root() -> Page:
    """The root of Wagtail's page tree; created with the default content locale when it is missing."""
    root = Page.get_first_root_node()
    if root is None:
        Locale.objects.get_or_create(language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE))
        root = Page.add_root(instance=Page(title="Root", slug="root"))
    return root


def ensure_base_rows(using: str = "default", **kwargs: object) -> None:
    """Wagtail's own rows that its migrations make and `flush` removes: the default locale, the page tree root and
    the root collection (without it every image and document chooser fails).  Connected to post_migrate, so a
    flushed database (the tests' flush between transactional tests, a restored empty one) works like a new one."""
    if using != "default":
        return
    tree_root()
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
