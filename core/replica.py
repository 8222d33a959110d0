"""Reads that may come from a streaming replica: search and reading pages (SULIEU_REPLICA_DATABASE_URL).

Only code that runs inside :func:`reading_from_replica` (or a view wrapped with :func:`replica_reads`) reads
from the replica; everything else, and every write, uses the primary.  So a page that must see what was
just written (an edit form, a login, a task) never reads stale rows, and search — the read load that grows
with a province's archive — moves off the primary.  Without a "replica" database nothing changes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps
from typing import Any

from django.conf import settings

REPLICA = "replica"
_reading = ContextVar("sulieu_reading_from_replica", default=False)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


def read_alias(alias: str = "default") -> str:
    """The alias raw read queries of ``alias`` should use now."""
    return REPLICA if alias == "default" and _reading.get() and replica_configured() else alias


@contextmanager
def reading_from_replica() -> Iterator[None]:
    token = _reading.set(True)
    try:
        yield
    finally:
        _reading.reset(token)


def replica_reads(view: Callable[..., Any]) -> Callable[..., Any]:
    """A view whose GET/HEAD reads come from the replica (other methods use the primary)."""

    @wraps(view)
    def wrapped(request: Any, *args: Any, **kwargs: Any) -> Any:
        if request.method not in {"GET", "HEAD"}:
            return view(request, *args, **kwargs)
        with reading_from_replica():
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and not getattr(response, "is_rendered", True):
                response.render()  # lazy templates read while still on the replica
            return response

    return wrapped


class ReplicaRouter:
    def db_for_read(self, model: Any, **hints: Any) -> str | None:
        return REPLICA if _reading.get() and replica_configured() else None

    def db_for_write(self, model: Any, **hints: Any) -> str | None:
        return None

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        return True  # the replica holds the same rows as the primary

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        return db != REPLICA
