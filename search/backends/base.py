"""What a search backend offers: the full protocol the search service, commands and migrations use."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable
from typing import Any, Protocol, runtime_checkable

from orgs.access import PUBLIC_SCOPE, AccessScope
from search.documents import Results, SearchDocument
from search.query import ParsedQuery


@runtime_checkable
class SearchBackend(Protocol):
    """A search index (loaded from ``SULIEU_SEARCH_BACKENDS`` by :func:`search.backends.get_backend`)."""

    vendor: str

    def ensure_schema(self) -> None:
        """Create the index's tables if they are missing (idempotent; migrations call it)."""

    def drop_schema(self) -> None:
        """Remove the index's tables."""

    def index(self, docs: Iterable[SearchDocument]) -> int:
        """Add or replace documents; returns the number of passages written."""

    def delete(self, ids: Iterable[int]) -> None:
        """Remove documents by item id (absent ids are ignored)."""

    def clear(self) -> None:
        """Remove everything."""

    def optimize(self) -> None:
        """After a bulk load: merge index segments, refresh statistics and document frequencies."""

    def bulk(self, *, lists: bool = False) -> contextlib.AbstractContextManager[None]:
        """A context for loading many documents into an empty index (``reindex``): the backend may defer
        work to its end (PostgreSQL builds the GIN index once instead of row by row); then optimizes.
        Derived structures (SQLite: the best-passage lists) are left to :meth:`refresh` unless ``lists``."""

    def refresh_due(self) -> bool:
        """Whether derived structures (SQLite: the best-passage lists) lag the index enough that
        :meth:`refresh` should run in the background; marks the request so it is not asked twice."""

    def refresh(self, progress: Callable[[int, int], None] | None = None) -> None:
        """Rebuild those derived structures (long; outside any transaction the ingest holds); ``progress(done,
        total)`` is called as it goes."""

    def search(self, query: str | ParsedQuery, *, scope: AccessScope = PUBLIC_SCOPE,
               filters: dict[str, Any] | None = None, sort: str = "relevance", page: int = 1,
               page_size: int = 10, facets: bool = True) -> Results:
        """Ranked results visible in ``scope``, with facet counts; hits carry no URL (the service adds it).

        ``filters`` may only name filters declared in :mod:`search.filters` (else
        :class:`search.filters.UnknownFilter`)."""

    def count(self) -> int:
        """Number of indexed documents."""

    def passage_count(self) -> int:
        """Number of indexed passages."""

    def indexed_ids(self) -> list[int]:
        """Ids of the indexed documents."""
