"""Search backends, chosen in ``SULIEU_SEARCH_BACKENDS`` (dotted path + options, like Django's caches).

The default, ``search.backends.database.DatabaseBackend``, picks the backend of the database in use.
"""

from __future__ import annotations

from typing import Any, cast

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from search.backends.base import SearchBackend

__all__ = ["SearchBackend", "get_backend"]


def get_backend(alias: str = "default", **kwargs: Any) -> SearchBackend:
    """The backend configured as ``SULIEU_SEARCH_BACKENDS[alias]``."""
    try:
        config = cast("dict[str, Any]", settings.SULIEU_SEARCH_BACKENDS[alias])
    except KeyError:
        raise ImproperlyConfigured(f"SULIEU_SEARCH_BACKENDS has no {alias!r} backend") from None
    factory = import_string(config["BACKEND"])
    backend: SearchBackend = factory(dict(config.get("OPTIONS") or {}), **kwargs)
    return backend
