"""Background tasks of the search index."""

from __future__ import annotations

from django_tasks import task

from search.backends import get_backend


@task(queue_name="index")
def refresh_index() -> None:
    """Rebuild what the backend derives from the index (SQLite: the best-passage lists) outside the ingest's
    transactions; queued by :func:`search.services.index_items` when due."""
    get_backend().refresh()
