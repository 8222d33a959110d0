"""Wagtail's page tree root, made when a database has none (a flushed test database, a restored empty one)."""

from __future__ import annotations

from django.conf import settings
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page


def tree_root() -> Page:
    """The root of Wagtail's page tree; created with the default content locale when it is missing."""
    root = Page.get_first_root_node()
    if root is None:
        Locale.objects.get_or_create(language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE))
        root = Page.add_root(instance=Page(title="Root", slug="root"))
    return root
