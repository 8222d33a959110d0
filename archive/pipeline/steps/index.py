"""index: tell the subscribers of :mod:`archive.hooks` (the search index) that the item is ready."""

from __future__ import annotations

from archive import hooks
from archive.models import Item, ItemEvent, Stage
from archive.pipeline.base import NEXT, StepResult
from archive.records import event_record


class Index:
    name = Stage.INDEX.value

    def applies(self, item: Item) -> bool:
        return hooks.has_subscribers()

    def run(self, item: Item) -> StepResult:
        hooks.items_changed([item.pk])
        event_record(item=item, kind=ItemEvent.Kind.INDEXED, agent="search")
        return NEXT


STEP = Index()
