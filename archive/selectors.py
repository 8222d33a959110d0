"""Reads of the archive, always narrowed to what the user may see (orgs.access)."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from archive.models import Collection, Item, ItemPage, ItemReference
from orgs.access import ensure_can_view, filter_visible


def item_list(user: Any, *, collection: Collection | None = None, status: str | None = None,
              kind: str | None = None, symbol: str | None = None, include_merged: bool = False) -> QuerySet[Item]:
    qs = filter_visible(user, Item.objects.select_related("org_unit", "collection"))
    if not include_merged:
        qs = qs.filter(merged_into__isnull=True)
    if collection is not None:
        qs = qs.filter(collection__path__startswith=collection.path)
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    if symbol:
        qs = qs.filter(symbol=symbol)
    return qs


def access_item(user: Any, item_id: int) -> Item:
    """The item if ``user`` may see it; Http404 otherwise (a restricted item's existence is restricted too)."""
    item = get_object_or_404(Item.objects.select_related("org_unit", "collection", "original"), pk=item_id)
    ensure_can_view(user, item)
    return item



def item_pages(item: Item) -> QuerySet[ItemPage]:
    return ItemPage.objects.filter(item=item).order_by("n")


def item_refers_to(user: Any, item: Item) -> list[ItemReference]:
    """References in the item's text; a target the user may not see is shown as an unresolved symbol."""
    from orgs.access import can_view

    refs = list(ItemReference.objects.filter(source=item).select_related("target__org_unit").order_by("symbol"))
    for ref in refs:
        if ref.target is not None and not can_view(user, ref.target):
            ref.target = None
    return refs


def item_referred_by(user: Any, item: Item) -> QuerySet[Item]:
    return filter_visible(user, Item.objects.filter(references__target=item, merged_into__isnull=True)
                          .select_related("org_unit").distinct())


def items_for_index(ids: list[int]) -> QuerySet[Item]:
    """Items with their pages (ordered) and owning unit, for the search indexer."""
    return (Item.objects.filter(pk__in=ids).select_related("org_unit", "collection")
            .prefetch_related(Prefetch("pages", queryset=ItemPage.objects.order_by("n"))))


def collection_list(user: Any) -> QuerySet[Collection]:
    return filter_visible(user, Collection.objects.select_related("org_unit"))


def access_collection(user: Any, collection_id: int) -> Collection:
    collection = get_object_or_404(Collection.objects.select_related("org_unit"), pk=collection_id)
    ensure_can_view(user, collection)
    return collection
