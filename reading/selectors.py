"""Reads of the reading room, always narrowed to what the user may see (``orgs.access``).

Built on ``archive.selectors``; what the archive does not offer (paginated tree children, ancestors,
places and years with counts) lives here so the archive's modules stay theirs.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import ExtractYear

from archive import storage
from archive.models import Collection, Item, ItemFile, ItemPage, ItemPlace
from archive.ocr.words import PageWords, words_load
from archive.selectors import collection_list, item_list
from orgs.access import filter_visible

TREE_PAGE = 200  # children per htmx request: 10k children open page by page, each one indexed query
LIST_PAGE = 50


# --- items -----------------------------------------------------------------------------------------

@dataclass
class PageRef:
    n: int
    has_image: bool


def item_page_refs(item: Item) -> list[PageRef]:
    """Every page of the item (number, has an image) in one query of two small columns."""
    rows = ItemPage.objects.filter(item=item).order_by("n").values_list("n", "image_id")
    return [PageRef(n=n, has_image=image_id is not None) for n, image_id in rows]


def item_page(item: Item, n: int) -> ItemPage | None:
    return ItemPage.objects.filter(item=item, n=n).select_related("image").first()


def item_files(item: Item, words_of_page: int | None = None) -> dict[str, ItemFile]:
    """The item's whole-item files by role (original, searchable PDF, thumbnail, converted), and the word boxes
    of page ``words_of_page`` when asked (role ``page_words``), in one query."""
    where = Q(page_n__isnull=True)
    if words_of_page is not None:
        where |= Q(role=ItemFile.Role.PAGE_WORDS, page_n=words_of_page)
    rows = ItemFile.objects.filter(where, item=item).select_related("blob")
    return {f.role: f for f in rows}


def item_file(item: Item, role: str) -> ItemFile | None:
    return ItemFile.objects.filter(item=item, role=role, page_n__isnull=True).select_related("blob").first()


def page_image_blob(item: Item, n: int) -> Any:
    """The stored image of page ``n`` (the page's own, else a page-image file), or None."""
    page = ItemPage.objects.filter(item=item, n=n).select_related("image").first()
    if page is not None and page.image is not None:
        return page.image
    file = ItemFile.objects.filter(item=item, role=ItemFile.Role.PAGE_IMAGE, page_n=n).select_related("blob").first()
    return file.blob if file is not None else None


def page_words(file: ItemFile | None) -> PageWords | None:
    """The OCR word boxes stored in ``file`` (None without one, or if it is unreadable)."""
    if file is None:
        return None
    try:
        return words_load(storage.read_bytes(file.blob.sha256))
    except OSError:
        return None


def page_images(item: Item) -> dict[int, Any]:
    """Page number → image blob for every page that has one (one query)."""
    rows = ItemPage.objects.filter(item=item, image__isnull=False).select_related("image").order_by("n")
    return {p.n: p.image for p in rows}


def recent_items(user: Any, *, limit: int = 8) -> list[Item]:
    # Newest by id: the primary key index answers it at any size (created_at has no index).
    return list(item_list(user).order_by("-id")[:limit])


# --- hierarchy ---------------------------------------------------------------------------------------

def collection_trail(user: Any, collection: Collection | None) -> list[Collection]:
    """The collection and its ancestors (root first) that the user may see, in one query."""
    if collection is None:
        return []
    ids = collection.ancestor_ids()
    found = {c.pk: c for c in collection_list(user).filter(pk__in=ids)}
    return [found[i] for i in ids if i in found]


@dataclass
class TreeNode:
    collection: Collection
    child_count: int = 0
    item_count: int = 0


@dataclass
class TreePage:
    nodes: list[TreeNode]
    items: list[Item] = field(default_factory=list)
    next_page: int | None = None


def tree_children(user: Any, parent: Collection | None, *, page: int = 1, size: int = TREE_PAGE) -> TreePage:
    """One page of a node's children: sub-collections first, then its own items.

    Each page costs a fixed number of indexed queries whatever the number of children: the slice of
    children (``parent_id`` index, ordered by the materialised path), their child and item counts
    (grouped over the page's ids only), and, past the sub-collections, a slice of items.
    """
    page = max(1, page)
    offset = (page - 1) * size
    children = collection_list(user).filter(parent=parent).order_by("path")
    n_children = children.count()
    window = list(children[offset : offset + size]) if offset < n_children else []
    ids = [c.pk for c in window]
    child_counts: dict[int, int] = {}
    item_counts: dict[int, int] = {}
    if ids:
        child_counts = dict(collection_list(user).filter(parent_id__in=ids).order_by().values_list("parent_id")
                            .annotate(n=Count("id")).values_list("parent_id", "n"))
        item_counts = dict(item_list(user).filter(collection_id__in=ids).order_by().values_list("collection_id")
                           .annotate(n=Count("id")).values_list("collection_id", "n"))
    nodes = [TreeNode(c, child_counts.get(c.pk, 0), item_counts.get(c.pk, 0)) for c in window]
    more = offset + size < n_children
    items: list[Item] = []
    if parent is not None:
        room = size - len(window)
        item_offset = max(0, offset - n_children)
        qs = item_list(user).filter(collection=parent).order_by("date_earliest", "id")
        if room > 0:
            fetched = list(qs[item_offset : item_offset + room + 1])
            items = fetched[:room]
            more = more or len(fetched) > room
        elif not more:
            # Unordered: the collection index answers; ordered by date it would walk the date index.
            more = qs.order_by().exists()
    return TreePage(nodes=nodes, items=items, next_page=page + 1 if more else None)


# --- browse: years and places --------------------------------------------------------------------------

AGGREGATE_SECONDS = 300


def _cached(name: str, user: Any, compute: Any) -> Any:
    """Archive-wide counts change slowly: kept a few minutes per access scope (users with the same scope
    share them), so browse pages stay fast with a big archive."""
    from django.core.cache import cache

    from orgs.access import scope_for

    key = "reading:%s:%s" % (name, hashlib.sha1(repr(scope_for(user)).encode()).hexdigest())  # noqa: S324
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, AGGREGATE_SECONDS)
    return value


def year_counts(user: Any) -> list[tuple[int, int]]:
    """(year, number of items) for visible items with a date, oldest first (cached a few minutes)."""
    return _cached("years", user, lambda: _year_counts(user))


def _year_counts(user: Any) -> list[tuple[int, int]]:
    rows = (item_list(user).filter(date_earliest__isnull=False).order_by()
            .annotate(year=ExtractYear("date_earliest")).values_list("year").annotate(n=Count("id"))
            .values_list("year", "n"))
    return sorted((int(y), n) for y, n in rows if y)


def items_of_year(user: Any, year: int) -> QuerySet[Item]:
    import datetime as dt

    return item_list(user).filter(date_earliest__gte=dt.date(year, 1, 1),
                                  date_earliest__lt=dt.date(year + 1, 1, 1)).order_by("date_earliest", "id")


def place_counts(user: Any, *, limit: int = 500) -> list[tuple[str, int]]:
    """(place name, number of visible items naming it), most frequent first (cached a few minutes)."""
    return _cached("places:%d" % limit, user, lambda: _place_counts(user, limit))


def _place_counts(user: Any, limit: int) -> list[tuple[str, int]]:
    # The place rows carry the access columns: counted over the place index alone (one row per item and name).
    rows = filter_visible(user, ItemPlace.objects.filter(merged_into__isnull=True))
    return [(name, n) for name, n in rows.order_by().values_list("name").annotate(n=Count("id"))
            .order_by("-n", "name").values_list("name", "n")[:limit] if name]


class PlaceItems:
    """Visible items naming one place, oldest first (date, then id), as a sequence for ``Paginator``.

    Deep pages cost what shallow ones do: the count and a page's ids are read from the place index alone
    (``itemplace_order``: place, date, item, then the access columns ``orgs.access`` filters on), never from
    item rows sorted whole; the page's items are then read by id. Two statements per page (the count, the page
    with its ids as a subquery), whatever the page number. The items are filtered by ``item_list`` again, so
    that a place row out of step could hide an item but never show a hidden one.
    """

    def __init__(self, user: Any, place: str) -> None:
        self.user = user
        self.place = place
        rows = filter_visible(user, ItemPlace.objects.filter(name=place, merged_into__isnull=True))
        self.ids = rows.order_by("date_earliest", "item_id").values_list("item_id", flat=True)

    def count(self) -> int:
        return self.ids.count()

    def __len__(self) -> int:
        return self.count()

    def __iter__(self) -> Iterator[Item]:
        return iter(self[:])

    def __getitem__(self, window: slice) -> list[Item]:
        if not isinstance(window, slice):
            raise TypeError("PlaceItems is read by pages (slices)")
        return list(item_list(self.user).filter(pk__in=self.ids[window]).order_by("date_earliest", "id"))


def items_of_place(user: Any, place: str) -> PlaceItems:
    """Visible items naming ``place``, oldest first, to hand to a ``Paginator`` (see :class:`PlaceItems`)."""
    return PlaceItems(user, place)


def visible_collections(user: Any) -> QuerySet[Collection]:
    return filter_visible(user, Collection.objects.all())


def fonds_list(user: Any) -> list[Collection]:
    return list(collection_list(user).filter(parent__isnull=True).order_by("path")[:100])


def browse_facets(user: Any) -> dict[str, Any]:
    """Document types, years and issuers with counts, from the search (cached a few minutes); ``approximate``:
    the counts are estimated from a sample (more items than the search counts facets of exactly)."""
    from search.services import search_items

    def compute() -> dict[str, Any]:
        results = search_items(user=user, query="", page_size=1, facets=True)
        out: dict[str, Any] = {name: values[:12] for name, values in results.facets.items()}
        out["approximate"] = results.facets_approximate
        return out

    return _cached("facets", user, compute)
