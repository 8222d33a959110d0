"""The search index's migrations.  Those after 0005 bring a PostgreSQL index to the backend's schema (its own
tables, not Django models) through :func:`migrate_index`."""

from __future__ import annotations

from typing import Any


def migrate_index(alias: str) -> Any:
    """A migration's step: the index's tables and indexes brought to this code's schema on a PostgreSQL
    database (``ensure_schema`` is idempotent; a column or index it adds is built there); None on SQLite."""
    from search.backends.postgres import PostgresBackend
    from search.backends.sql.connection import DjangoDb

    db = DjangoDb(alias)
    if db.vendor != "postgresql":
        return None
    backend = PostgresBackend({}, db=db)
    backend.ensure_schema()
    return backend
