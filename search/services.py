"""The search service: the one write path into the index and the one read path out of it.

``index_items`` / ``remove_items`` are called by the archive pipeline (last step, and on delete); they are
idempotent (re-indexing replaces an item's rows). ``search_items`` answers as the asking user may see.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.db import transaction
from django.urls import reverse

from archive.models import Collection
from orgs.access import AccessLevel, scope_for
from orgs.models import OrgUnit
from search import sources, tasks
from search.backends import SearchBackend, get_backend
from search.documents import Results, SearchDocument
from search.filters import check

log = logging.getLogger("sulieu.search")


def backend() -> SearchBackend:
    return get_backend()


def index_items(*, item_ids: Iterable[int]) -> int:
    """(Re)index these archive items; items that no longer exist (or were merged away) leave the index."""
    ids = sorted({int(i) for i in item_ids})
    if not ids:
        return 0
    engine = backend()
    docs = list(sources.archive_documents(ids))
    gone = set(ids) - {d.id for d in docs}
    if gone:
        engine.delete(sorted(gone))
    written = engine.index(docs)
    log.info("search: indexed %s items (%s passages)", len(docs), written)
    if engine.refresh_due():
        transaction.on_commit(tasks.refresh_index.enqueue)
    return written


def remove_items(*, item_ids: Iterable[int]) -> None:
    """Drop these items from the index (after a delete)."""
    backend().delete(item_ids)


def reindex_all(*, batch: int = 200, progress: Callable[[int], None] | None = None,
                lists: Callable[[int, int], None] | None = None) -> tuple[int, int]:
    """Rebuild the whole index from the archive; returns (items, passages).  Derived structures (SQLite's
    best-passage lists) are built by the background task queued at the end, or here when ``lists`` is given
    (called with their progress)."""
    engine = backend()
    engine.ensure_schema()  # tables added since the index was made (idempotent)
    engine.clear()
    items = 0

    def counted() -> Iterator[SearchDocument]:
        nonlocal items
        for doc in sources.archive_documents(None, chunk=batch):
            yield doc
            items += 1
            if progress and items % batch == 0:
                progress(batch)

    with engine.bulk():  # then optimized; derived structures (SQLite's lists) are left to the refresh task
        # one stream: the backend analyses the next batches in another process while it writes this one
        passages = engine.index(counted())
    if progress and items % batch:
        progress(items % batch)
    if lists is not None:
        engine.refresh(lists)
    elif engine.refresh_due():
        transaction.on_commit(tasks.refresh_index.enqueue)
    return items, passages


def _resolve_filters(filters: dict[str, Any]) -> dict[str, Any]:
    """Unit and collection filters include what lies below them (by materialised path)."""
    out = check(filters)
    if out.get("unit"):
        path = OrgUnit.objects.filter(pk=int(out.pop("unit"))).values_list("path", flat=True).first()
        out["unit_path"] = path or "x"
    if out.get("collection"):
        path = Collection.objects.filter(pk=int(out.pop("collection"))).values_list("path", flat=True).first()
        out["collection_path"] = path or "x"
    if out.get("unit_path") == "x" or out.get("collection_path") == "x":
        out["ids"] = []
        out.pop("unit_path", None)
        out.pop("collection_path", None)
    return out


def _label_facets(results: Results) -> None:
    labels = dict(AccessLevel.choices)
    for v in results.facets.get("access", []):
        v.label = str(labels.get(v.value, v.value))
    units = results.facets.get("unit", [])
    if units:
        names = dict(OrgUnit.objects.filter(pk__in=[int(v.value) for v in units]).values_list("pk", "name"))
        for v in units:
            v.label = names.get(int(v.value), v.value)
    collections = results.facets.get("collection", [])
    if collections:
        titles = dict(Collection.objects.filter(pk__in=[int(v.value) for v in collections])
                      .values_list("pk", "title"))
        for v in collections:
            v.label = titles.get(int(v.value), v.value)
    for v in results.facets.get("decade", []):
        v.label = f"{v.value}s" if v.value else v.value


def search_items(*, user: Any, query: str, filters: dict[str, Any] | None = None, sort: str = "relevance",
                 page: int = 1, page_size: int = 10, facets: bool = True) -> Results:
    """Search the index as ``user`` (None = the anonymous public) may see it."""
    results = backend().search(query or "", scope=scope_for(user), filters=_resolve_filters(filters or {}),
                               sort=sort, page=page, page_size=page_size, facets=facets)
    for hit in results.hits:
        hit.url = reverse("reading:item", args=[hit.id])
    if facets:
        _label_facets(results)
    return results
