"""Who wants to know that items changed: a registry the archive calls and other apps subscribe to.

The search app registers its indexer in its ``AppConfig.ready()``; the archive never imports search.
A subscriber takes a list of item ids and raises on failure (the caller decides what a failure means).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

ItemsChanged = Callable[[list[int]], object]

_subscribers: list[ItemsChanged] = []


def subscribe(callback: ItemsChanged) -> ItemsChanged:
    """Call ``callback(ids)`` whenever items change (once per callback however often it subscribes)."""
    if callback not in _subscribers:
        _subscribers.append(callback)
    return callback


def unsubscribe(callback: ItemsChanged) -> None:
    if callback in _subscribers:
        _subscribers.remove(callback)


def has_subscribers() -> bool:
    return bool(_subscribers)


def items_changed(ids: Iterable[int]) -> int:
    """Tell every subscriber; returns how many were told."""
    item_ids = list(dict.fromkeys(ids))
    if not item_ids:
        return 0
    for callback in list(_subscribers):
        callback(item_ids)
    return len(_subscribers)
