"""Run pipeline steps under their leases; return the follow-up work instead of enqueueing it.

A step first *claims* the item with a conditional update (the item must be at that stage and not leased by a
live worker), runs inside one transaction, and moves the item to the next stage in the same transaction, so a
step is done exactly once however many workers race and whatever process gets killed. With
``SULIEU_PIPELINE_INLINE`` (default) the cheap steps follow each other in the same call; the OCR step waits for
one :func:`run_ocr_page` per page, and the page that finishes last moves the item on.

Every function returns a :class:`Work`: what should run next (steps, OCR pages) and which items this process
still holds at the index stage (``defer_index``: the caller indexes them together with
:func:`run_index_batch`). :mod:`archive.tasks` turns the work into queued tasks; :mod:`archive.runner` runs it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.signal_handlers import disable_reference_index_auto_update, reference_index_auto_update_disabled

from archive import hooks
from archive.formats import BadInput
from archive.models import Item, ItemEvent, ItemPage, ItemStatus, PageState, Stage, StageState
from archive.pipeline import BY_NAME, next_stage
from archive.pipeline.leases import LEASE, WorkerId, claim_item, claim_page, held_q
from archive.pipeline.steps.ocr import page_read, pages_open
from archive.records import event_record, stage_mark

log = logging.getLogger("sulieu.archive.pipeline")

INDEX_BATCH_SIZE = 50


@dataclass
class Work:
    """What a run left to do. ``reached``: the stage the item reached (None: this call had nothing to do)."""

    reached: str | None = None
    steps: list[tuple[int, str]] = field(default_factory=list)
    ocr_pages: list[tuple[int, int]] = field(default_factory=list)
    held_for_index: list[int] = field(default_factory=list)

    def add(self, other: Work) -> Work:
        self.steps.extend(other.steps)
        self.ocr_pages.extend(other.ocr_pages)
        self.held_for_index.extend(other.held_for_index)
        return self


def inline_steps() -> bool:
    return bool(settings.SULIEU_PIPELINE_INLINE)


def run_step(item_id: int, stage: str, *, held: bool = False, defer_index: bool = False) -> Work:
    """Run ``stage`` of an item if it is there and free; continue with the following cheap steps.

    ``held``: this process already holds the item's lease at ``stage`` (no claim). ``defer_index``: an item
    reaching the index stage stays leased and is returned in ``held_for_index``.
    """
    work = Work()
    holding = held  # the lease carried over from the previous step of this chain
    carried: Item | None = None  # the item object of the previous step, reused when the row did not change
    me = WorkerId.current().format()
    while stage != Stage.DONE:
        if not holding and not claim_item(item_id, stage):
            return work
        step = BY_NAME[stage]
        try:
            with _reference_index_paused(), transaction.atomic():
                items = Item.objects.select_related("original")
                if holding:
                    # The item as the previous step left it, unless someone changed it since (a staff edit
                    # moves updated_at; the steps' own saves keep it equal to the row's).
                    seen = Item.objects.filter(pk=item_id, stage=stage, lease_owner=me).values_list(
                        "updated_at", flat=True).first()
                    if seen is None:  # deleted, or taken over, between two steps
                        return work
                    item = carried if carried is not None and carried.updated_at == seen else items.get(pk=item_id)
                else:
                    item = items.get(pk=item_id)
                if step.applies(item):
                    result = step.run(item)
                    if result.waiting:
                        Item.objects.filter(pk=item_id).update(lease_owner="", lease_until=None, stages=item.stages)
                        work.reached = stage
                        work.ocr_pages.extend((item_id, n) for n in result.waiting_pages)
                        return work
                    stage_mark(item, stage, StageState.DONE, detail=result.detail)
                else:
                    stage_mark(item, stage, StageState.SKIPPED)
                following = next_stage(stage)
                deferred = defer_index and following == Stage.INDEX
                # Going on inline, the item stays claimed for the next step (no release and re-claim); so
                # does an item left for the index batch.
                holding = (inline_steps() or deferred) and following != Stage.DONE
                moved = Item.objects.filter(pk=item_id, stage=stage, lease_owner=me).update(
                    stage=following, stages=item.stages, lease_owner=me if holding else "",
                    lease_until=timezone.now() + LEASE if holding else None,
                    status=ItemStatus.DONE if following == Stage.DONE else ItemStatus.PROCESSING, error="")
                if not moved:
                    raise RuntimeError("lost the lease on item %s" % item_id)
                item.stage, item.status, item.error = following, ItemStatus.PROCESSING, ""
                carried = item
        except BadInput as exc:
            _fail(item_id, stage, str(exc))
            work.reached = stage
            return work
        except Exception as exc:
            log.exception("item %s: step %s failed", item_id, stage)
            _fail(item_id, stage, _("Lỗi nội bộ ở bước %(step)s: %(error)s") % {"step": stage, "error": exc})
            work.reached = stage
            return work
        work.reached = stage = following
        if deferred:
            work.held_for_index.append(item_id)
            return work
        if not inline_steps() and stage != Stage.DONE:
            work.steps.append((item_id, stage))
            return work
    return work


def run_ocr_page(item_id: int, n: int, *, defer_index: bool = False) -> Work:
    """OCR one page (claimed with a conditional update); the last page done moves the item on."""
    if claim_page(item_id, n):
        item = Item.objects.select_related("original").get(pk=item_id)
        page = ItemPage.objects.get(item_id=item_id, n=n)
        try:
            page_read(item, page)
        except Exception as exc:
            log.warning("item %s page %s: OCR failed", item_id, n, exc_info=True)
            ItemPage.objects.filter(held_q(), pk=page.pk).update(
                ocr_state=PageState.FAILED, error=str(exc)[:2000], lease_owner="", lease_until=None)
    if not pages_open(item_id) and Item.objects.filter(pk=item_id, stage=Stage.OCR).exists():
        return run_step(item_id, Stage.OCR, defer_index=defer_index)
    return Work()


def run_index_batch(item_ids: Iterable[int]) -> Work:
    """The index step of many items this process holds at that stage, in one hook call and one transaction.

    Does what the index step and :func:`run_step` do per item (index, event, stage done, lease freed); if the
    batch fails, each item runs its index step alone, so a failure lands on its own item.
    """
    ids = list(dict.fromkeys(item_ids))
    work = Work()
    if not ids:
        return work
    me = WorkerId.current().format()
    try:
        with transaction.atomic():
            rows = list(Item.objects.filter(pk__in=ids, stage=Stage.INDEX, lease_owner=me)
                        .values_list("pk", "stages"))
            held = [pk for pk, _stages in rows]
            told = hooks.items_changed(held) if held else 0
            if told:
                ItemEvent.objects.bulk_create([ItemEvent(item_id=pk, kind=ItemEvent.Kind.INDEXED, agent="search",
                                                         outcome=ItemEvent.Outcome.SUCCESS, data={})
                                               for pk in held])
            at = timezone.now().isoformat(timespec="seconds")
            state = StageState.DONE if told else StageState.SKIPPED
            for pk, stages in rows:
                stages = {**(stages or {}), Stage.INDEX.value: {"status": state.value, "at": at}}
                moved = Item.objects.filter(pk=pk, stage=Stage.INDEX, lease_owner=me).update(
                    stage=Stage.DONE, stages=stages, lease_owner="", lease_until=None, status=ItemStatus.DONE,
                    error="")
                if not moved:
                    raise RuntimeError("lost the lease on item %s" % pk)
        return work
    except Exception:
        log.warning("indexing %d items together failed; one by one", len(ids), exc_info=True)
    for pk in ids:
        work.add(run_step(pk, Stage.INDEX, held=True))
    return work


@contextmanager
def _reference_index_paused() -> Iterator[None]:
    """No Wagtail reference-index task per ``item.save()`` in a step.

    Steps change descriptive fields only, never the relations the reference index records (collection,
    unit, original, merged_into), and each save queued a task row for the worker: four per item. The
    index is still updated when an item is created and when staff edit it.
    """
    if getattr(reference_index_auto_update_disabled, "value", False):
        yield
        return
    with disable_reference_index_auto_update():
        yield


def _fail(item_id: int, stage: str, message: str) -> None:
    with transaction.atomic():
        item = Item.objects.get(pk=item_id)
        stage_mark(item, stage, StageState.FAILED, detail=message)
        Item.objects.filter(pk=item_id).update(status=ItemStatus.FAILED, error=message, stages=item.stages,
                                               lease_owner="", lease_until=None)
        event_record(item=item, kind=ItemEvent.Kind.FAILED, outcome=ItemEvent.Outcome.FAILURE, detail=message,
                     data={"stage": stage})
