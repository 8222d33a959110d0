"""Background tasks of the search index."""

from __future__ import annotations

import logging

from django_tasks import task

from search.backends import get_backend

log = logging.getLogger("sulieu.search")


class ListsProgress:
    """Logs how far a rebuild got, every tenth of it (the lists of 200,000 passages take a minute or more)."""

    def __init__(self, step: float = 0.1) -> None:
        self.step = step
        self.next = step

    def __call__(self, done: int, total: int) -> None:
        if total and (done == total or done / total >= self.next):
            log.info("search: best-passage lists %s of %s terms (%.0f %%)", done, total, 100 * done / total)
            while self.next <= done / total:
                self.next += self.step


@task(queue_name="index")
def refresh_index() -> None:
    """Rebuild what the backend derives from the index (SQLite: the best-passage lists) outside the ingest's
    transactions; queued by :func:`search.services.index_items` when due and at the end of ``reindex_all``
    (a bulk load leaves the lists out: queries take the exact path until they are built)."""
    get_backend().refresh(ListsProgress())
