"""Search backends, chosen in ``SULIEU_SEARCH_BACKENDS`` (dotted path + options, like Django's caches)."""

from __future__ import annotations

from typing import Any

from search.backends.base import SearchBackend

__all__ = ["SearchBackend", "get_backend", "backend_for_vendor"]

_DEFAULTS = {
    "sqlite": "search.backends.sqlite.SqliteBackend",
    "postgresql": "search.backends.postgres.PostgresBackend",
}


def backend_for_vendor(vendor: str) -> str:
    try:
        return _DEFAULTS[vendor]
    except KeyError:
        raise ValueError(f"no search backend for the {vendor} database") from None


def get_backend(alias: str = "default", **kwargs: Any) -> SearchBackend:
    """The configured backend (``SULIEU_SEARCH_BACKENDS[alias]``), or the one for the current database."""
    from django.conf import settings
    from django.db import connection
    from django.utils.module_loading import import_string

    config = dict(getattr(settings, "SULIEU_SEARCH_BACKENDS", {}).get(alias) or {})
    path = config.get("BACKEND") or backend_for_vendor(connection.vendor)
    cls = import_string(path)
    return cls(config.get("OPTIONS") or {}, **kwargs)
