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
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from archive import hooks
from archive.formats import BadInput
from archive.models import Item, ItemEvent, ItemPage, ItemPlace, ItemStatus, PageState, Stage, StageState
from archive.pipeline import BY_NAME, chains, next_stage
from archive.pipeline.chains import (
    ChainBroken,
    Chained,
    chain_done,
    chain_steps,
    inline_steps,
    items_write,
    reference_index_paused,
)
from archive.pipeline.leases import LEASE, WorkerId, claim_item, claim_page, held_q
from archive.pipeline.steps.ocr import page_read, pages_open
from archive.records import event_record, rows_insert_many, stage_mark

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


def run_step(item_id: int, stage: str, *, held: bool = False, defer_index: bool = False,
             item: Item | None = None) -> Work:
    """Run ``stage`` of an item if it is there and free; continue with the following cheap steps.

    ``held``: this process already holds the item's lease at ``stage`` (no claim); ``item``: the item as read
    when it was claimed (with its original), not read again. ``defer_index``: an item reaching the index stage
    stays leased and is returned in ``held_for_index``.

    Inline (the default), the steps before the index step run as one chain in one transaction: one read of
    the item, one write of it and of its events at the end (:class:`archive.records.DeferredWrites`). If the
    chain fails or a person changed the item meanwhile, nothing of it is kept and the steps run again one
    transaction each, which records the failure where it happens, exactly as without the chain.
    """
    work = Work()
    if not held:
        if not claim_item(item_id, stage):
            return work
        held = True
    carried: Item | None = None
    if inline_steps() and stage != Stage.INDEX:
        try:
            chained = _run_chain(item_id, stage, defer_index=defer_index, item=item)
        except ChainBroken:
            log.info("item %s: the chain from %s stopped; its steps run one by one", item_id, stage)
        except Exception:
            log.info("item %s: the chain from %s failed; its steps run one by one", item_id, stage, exc_info=True)
        else:
            if chained is None:  # deleted, or taken over
                return work
            carried, chain_work = chained
            work.add(chain_work)
            work.reached = chain_work.reached
            if chain_work.reached != Stage.INDEX or chain_work.held_for_index or chain_work.ocr_pages:
                return work
            stage = Stage.INDEX.value
    return _run_steps(item_id, stage, work, holding=held, carried=carried, defer_index=defer_index)


def _run_chain(item_id: int, stage: str, *, defer_index: bool, item: Item | None = None) -> tuple[Item, Work] | None:
    """The steps from ``stage`` up to the index step (or an OCR wait) in one transaction; the item is held.

    ``item``: read when it was claimed; a change made since (a staff edit) moves ``updated_at``, and the
    chain's conditional write then fails and the steps run again one by one."""
    me = WorkerId.current().format()
    with reference_index_paused(), transaction.atomic():
        if item is None or item.pk != item_id or item.stage != stage or item.lease_owner != me:
            item = Item.objects.select_related("original").filter(pk=item_id, stage=stage, lease_owner=me).first()
        if item is None:
            return None
        seen = item.updated_at
        chained = chain_steps(item, stage, me)
        if not Item.objects.filter(pk=item_id, lease_owner=me, updated_at=seen).update(**chained.values):
            raise ChainBroken
        deferred = chained.deferred
        if deferred is not None:
            if chained.places_changed:
                ItemPlace.sync(item, fresh=not chained.placed)
            if deferred.events:
                ItemEvent.objects.bulk_create(deferred.events)
        chain_done(item, chained)
    return item, chain_work(item_id, chained, defer_index=defer_index)


def run_chains(items: list[Item]) -> tuple[dict[int, Work], set[int]]:
    """The chains of many items this process holds, in one transaction (:func:`archive.pipeline.chains.run_chains`),
    their index step deferred: each one's follow-up work by item id, and the ids of the items tried (a tried item
    without work failed there and runs alone: read it again first)."""
    done, tried = chains.run_chains(items)
    return {pk: chain_work(pk, chained, defer_index=True) for pk, chained in done.items()}, tried


def chain_work(item_id: int, chained: Chained, *, defer_index: bool) -> Work:
    """The follow-up work of a chain: its OCR pages, or the item held for the index batch."""
    work = Work(reached=chained.stage)
    if chained.waiting:
        work.ocr_pages.extend((item_id, n) for n in chained.waiting)
    elif chained.stage == Stage.INDEX and defer_index:
        work.held_for_index.append(item_id)
    return work


def _run_steps(item_id: int, stage: str, work: Work, *, holding: bool, carried: Item | None,
               defer_index: bool) -> Work:
    """The steps from ``stage`` one transaction each (``holding``: this process holds the item's lease)."""
    me = WorkerId.current().format()
    while stage != Stage.DONE:
        if not holding and not claim_item(item_id, stage):
            return work
        step = BY_NAME[stage]
        try:
            with reference_index_paused(), transaction.atomic():
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
            # Locked until the commit (PostgreSQL; SQLite's write transaction already is): nobody takes them over
            # between this read and the two writes below.
            rows = list(Item.objects.select_for_update().filter(pk__in=ids, stage=Stage.INDEX, lease_owner=me)
                        .values_list("pk", "stages"))
            held = [pk for pk, _stages in rows]
            told = hooks.items_changed(held) if held else 0
            if told:
                rows_insert_many([ItemEvent(item_id=pk, kind=ItemEvent.Kind.INDEXED, agent="search",
                                            outcome=ItemEvent.Outcome.SUCCESS, data={}) for pk in held])
            at = timezone.now().isoformat(timespec="seconds")
            state = StageState.DONE if told else StageState.SKIPPED
            # Two statements for the batch: the stage, status and lease of all, then each one's stage marks.
            moved = Item.objects.filter(pk__in=held, stage=Stage.INDEX, lease_owner=me).update(
                stage=Stage.DONE, lease_owner="", lease_until=None, status=ItemStatus.DONE, error="")
            if moved != len(held):
                raise RuntimeError("lost the lease on %d of %d items" % (len(held) - moved, len(held)))
            items_write([Item(pk=pk, stages={**(stages or {}), Stage.INDEX.value: {"status": state.value, "at": at}})
                         for pk, stages in rows], ["stages"])
        return work
    except Exception:
        log.warning("indexing %d items together failed; one by one", len(ids), exc_info=True)
    for pk in ids:
        work.add(run_step(pk, Stage.INDEX, held=True))
    return work


def _fail(item_id: int, stage: str, message: str) -> None:
    with transaction.atomic():
        item = Item.objects.get(pk=item_id)
        stage_mark(item, stage, StageState.FAILED, detail=message)
        Item.objects.filter(pk=item_id).update(status=ItemStatus.FAILED, error=message, stages=item.stages,
                                               lease_owner="", lease_until=None)
        event_record(item=item, kind=ItemEvent.Kind.FAILED, outcome=ItemEvent.Outcome.FAILURE, detail=message,
                     data={"stage": stage})
