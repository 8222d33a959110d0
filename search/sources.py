"""Adapters from content apps to :class:`search.documents.SearchDocument` (the archive now; books later)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from django.db.models import QuerySet

from archive import selectors
from archive.models import Item
from search.documents import SearchDocument, SearchPage


def _archive_queryset(ids: list[int]) -> QuerySet[Item]:
    return selectors.items_for_index(ids)


def item_document(item: object) -> SearchDocument | None:
    """The search document of one archive item, or None if it must not be searchable (merged away)."""
    if getattr(item, "merged_into_id", None):
        return None
    unit = getattr(item, "org_unit", None)
    collection = getattr(item, "collection", None)
    pages = [SearchPage(n=p.n, text=p.text or "") for p in item.pages.all()]  # type: ignore[attr-defined]
    return SearchDocument(
        id=item.pk,  # type: ignore[attr-defined]
        title=getattr(item, "title", "") or "",
        pages=pages,
        summary=getattr(item, "summary", "") or "",
        symbol=getattr(item, "symbol", "") or "",
        doc_type=getattr(item, "doc_type_name", "") or "",
        doc_type_code=getattr(item, "doc_type_code", "") or "",
        issuer=getattr(item, "issuer_name", "") or "",
        issuer_code=getattr(item, "issuer_code", "") or "",
        date_from=getattr(item, "date_earliest", None),
        date_to=getattr(item, "date_latest", None),
        access=getattr(item, "access", "public") or "public",
        unit_id=unit.pk if unit is not None else None,
        unit_path=(unit.path or None) if unit is not None else None,
        collection_id=collection.pk if collection is not None else None,
        collection_path=(collection.path or None) if collection is not None else None,
        kind=getattr(item, "kind", "") or "",
        keywords=[str(k) for k in (getattr(item, "keywords", None) or [])],
        places=[p if isinstance(p, str) else str(p.get("name", "")) if isinstance(p, dict) else str(p)
                for p in (getattr(item, "places", None) or [])],
    )


def archive_documents(ids: Iterable[int] | None = None, *, chunk: int = 200) -> Iterator[SearchDocument]:
    """Search documents of archive items (all of them when ``ids`` is None), loaded ``chunk`` at a time."""
    if ids is not None:
        id_list = sorted({int(i) for i in ids})
        for start in range(0, len(id_list), chunk):
            for item in _archive_queryset(id_list[start : start + chunk]):
                doc = item_document(item)
                if doc is not None:
                    yield doc
        return
    all_ids = list(Item.objects.order_by("pk").values_list("pk", flat=True))
    yield from archive_documents(all_ids, chunk=chunk)


def archive_count() -> int:
    return Item.objects.count()
