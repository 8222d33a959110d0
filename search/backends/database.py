"""The one place that picks a backend by database vendor: FTS5 on SQLite, tsvector/GIN on PostgreSQL."""

from __future__ import annotations

from typing import Any

from django.db import connections
from django.utils.module_loading import import_string

from search.backends.base import SearchBackend

VENDOR_BACKENDS = {
    "sqlite": "search.backends.sqlite.SqliteBackend",
    "postgresql": "search.backends.postgres.PostgresBackend",
}


def backend_for_vendor(vendor: str) -> str:
    try:
        return VENDOR_BACKENDS[vendor]
    except KeyError:
        raise ValueError(f"no search backend for the {vendor} database") from None


def DatabaseBackend(options: dict[str, Any] | None = None, **kwargs: Any) -> SearchBackend:  # noqa: N802
    """The backend for the vendor of ``options["DATABASE"]`` (default: the default database)."""
    alias = (options or {}).get("DATABASE", "default")
    cls = import_string(backend_for_vendor(connections[alias].vendor))
    backend: SearchBackend = cls(options or {}, **kwargs)
    return backend
