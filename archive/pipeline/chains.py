"""The cheap steps of an item as one chain in one transaction, and the chains of a claimed batch together.

A chain runs the steps from the item's stage up to the index step (or an OCR wait) with its writes deferred
(:class:`archive.records.DeferredWrites`): one conditional write of the item and one insert of its events at
the end (:mod:`archive.pipeline.engine` runs one chain at a time).

:func:`run_chains` runs the chains of many items that this process holds in one transaction, each in its own
savepoint, and writes what they leave together when the batch ends: the items in one ``bulk_update`` (after one
read checking that nobody changed them meanwhile), then one insert per kind of row (pages, text versions,
bands, references with their targets, place rows, events). An item whose chain fails is rolled back alone and
left out of the answer (the caller runs it alone, where its failure is recorded as usual); if the batch's own
writes fail, nothing of it is kept and the caller runs every item alone.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Model, OuterRef, Subquery
from django.utils import timezone
from wagtail.signal_handlers import disable_reference_index_auto_update, reference_index_auto_update_disabled

from archive.models import (
    Blob,
    Item,
    ItemPage,
    ItemPlace,
    ItemReference,
    ItemStatus,
    Stage,
    StageState,
    TextBand,
)
from archive.models.items import PLACE_INDEX_FIELDS, place_names
from archive.pipeline import BY_NAME, next_stage
from archive.pipeline.leases import LEASE, WorkerId
from archive.records import (
    BatchWrites,
    DeferredWrites,
    band_rows_insert,
    rows_insert_many,
    rows_insert_returning,
    stage_mark,
    writes_defer,
    writes_taken,
)

log = logging.getLogger("sulieu.archive.pipeline")


class ChainBroken(Exception):
    """The chain's item changed under it (a staff edit, a lost lease): roll back and run step by step."""


def inline_steps() -> bool:
    return bool(settings.SULIEU_PIPELINE_INLINE)


@dataclass
class Chained:
    """How a chain ended: the stage reached, OCR pages it waits for, whether this process still holds the item
    (for the index batch), the item's column values to write and the deferred writes of its steps."""

    stage: str
    waiting: tuple[int, ...]
    holding: bool
    values: dict[str, Any]
    deferred: DeferredWrites | None
    places_changed: bool  # the place rows must follow (ItemPlace.sync)
    placed: bool  # the item had places (and so place rows) before the chain

    @property
    def fresh_places(self) -> bool:
        return self.places_changed and not self.placed


def chain_steps(item: Item, stage: str, me: str, batch: BatchWrites | None = None) -> Chained:
    """Run the item's steps from ``stage`` with their writes deferred (the caller writes them)."""
    placed = bool(item.places)  # an item without places has no place rows (ItemPlace.sync keeps them equal)
    writes_defer(item, batch)
    waiting: tuple[int, ...] = ()
    try:
        while stage not in (Stage.INDEX, Stage.DONE):
            step = BY_NAME[stage]
            if step.applies(item):
                result = step.run(item)
                if result.waiting:
                    waiting = result.waiting_pages
                    break
                stage_mark(item, stage, StageState.DONE, detail=result.detail)
            else:
                stage_mark(item, stage, StageState.SKIPPED)
            stage = next_stage(stage)
    finally:
        deferred = writes_taken(item)
    holding = not waiting and stage != Stage.DONE  # the index step: this process goes on, or the batch
    values: dict[str, object] = {}
    if deferred is not None and deferred.fields:
        fields = [f for f in Item._meta.concrete_fields if not f.primary_key
                  and (None in deferred.fields or f.name in deferred.fields)]
        values = {f.attname: getattr(item, f.attname) for f in fields}
        values["updated_at"] = item.updated_at = timezone.now()
    status = ItemStatus.DONE if stage == Stage.DONE else ItemStatus.PROCESSING
    values.update(stage=stage, stages=item.stages, lease_owner=me if holding else "",
                  lease_until=timezone.now() + LEASE if holding else None, status=status, error="")
    places_changed = deferred is not None and bool(deferred.fields) and (
        None in deferred.fields or not PLACE_INDEX_FIELDS.isdisjoint(deferred.fields))
    return Chained(stage, waiting, holding, values, deferred, places_changed, placed)


def chain_done(item: Item, chained: Chained) -> None:
    """The item object as written."""
    for name, value in chained.values.items():
        setattr(item, name, value)


def run_chains(items: list[Item]) -> tuple[dict[int, Chained], set[int]]:
    """The chains of ``items`` (held by this process, read when claimed) in one transaction; see the module.

    Answers the chains done, by item id, and the ids of the items tried. A tried item missing from the answer
    was rolled back: its object may hold changes of the failed attempt, so the caller reads it again before
    running it alone. Items not tried (at the index step, or fewer than two to run) are left as they are.
    """
    me = WorkerId.current().format()
    todo = [item for item in items if item.stage not in (Stage.INDEX, Stage.DONE) and item.lease_owner == me]
    if len(todo) < 2 or not inline_steps() or not connection.features.can_return_rows_from_bulk_insert:
        return {}, set()
    tried = {item.pk for item in todo}
    batch = BatchWrites()
    done: dict[int, tuple[Item, Chained]] = {}
    seen: dict[int, Any] = {}
    try:
        with reference_index_paused(), transaction.atomic():
            for item in todo:
                seen[item.pk] = item.updated_at
                try:
                    with transaction.atomic():
                        chained = chain_steps(item, item.stage, me, batch)
                except Exception:
                    log.info("item %s: its chain failed in a batch; it runs alone", item.pk, exc_info=True)
                    continue
                deferred = chained.deferred
                if deferred is not None:
                    deferred.rows.extend(deferred.events)
                    if chained.fresh_places:  # new place rows: with the batch's
                        values = ItemPlace.copied(item)
                        deferred.rows.extend(ItemPlace(item_id=item.pk, name=name, **values)
                                             for name in place_names(item.places))
                    elif chained.places_changed:
                        ItemPlace.sync(item)
                    batch.take(deferred)
                done[item.pk] = (item, chained)
            if done:
                _batch_write(done, seen, batch, me)
    except Exception:
        log.warning("the chains of %d items together failed; one by one", len(todo), exc_info=True)
        return {}, tried
    return {pk: chained for pk, (_item, chained) in done.items()}, tried


def _batch_write(done: dict[int, tuple[Item, Chained]], seen: dict[int, Any], batch: BatchWrites, me: str) -> None:
    ids = list(done)
    # Nobody changed these items since they were claimed (a staff edit moves updated_at), and this process still
    # holds them; locked until the commit (PostgreSQL; SQLite's write transaction already is).
    now = dict(Item.objects.select_for_update().filter(pk__in=ids, lease_owner=me).values_list("pk", "updated_at"))
    if any(now.get(pk) != seen[pk] for pk in ids):
        raise ChainBroken("an item of the batch changed meanwhile")
    names: dict[str, None] = {}
    for item, chained in done.values():  # (the caller reads the items again if the transaction fails)
        names.update(dict.fromkeys(chained.values))
        chain_done(item, chained)
    items_write([item for item, _chained in done.values()], list(names))
    by_mime: dict[str, list[int]] = {}
    for blob_id, mime in batch.blob_mimes.items():
        by_mime.setdefault(mime, []).append(blob_id)
    for mime, blob_ids in by_mime.items():
        Blob.objects.filter(pk__in=blob_ids).update(mime=mime)
    if batch.references:
        _targets_find(batch.references)
    rows: dict[type[Model], list[Model]] = {}
    for row in [*batch.rows, *batch.references]:
        rows.setdefault(type(row), []).append(row)
    for model, objs in rows.items():
        if model is ItemPage:  # the text versions need their ids
            rows_insert_returning(objs)
        else:
            rows_insert_many(objs, skip_conflicts=model in (TextBand, ItemPlace))
    band_rows_insert(batch.band_rows)
    symbols = {chained.values.get("symbol") for _item, chained in done.values()} - {None, ""}
    if symbols:  # references waiting for one of these documents point at it now (the first of the batch)
        ItemReference.objects.filter(symbol__in=symbols, target__isnull=True).update(target=Subquery(
            Item.objects.filter(pk__in=ids, symbol=OuterRef("symbol")).exclude(pk=OuterRef("source_id"))
            .order_by("pk").values("pk")[:1]))


def items_write(items: list[Item], names: list[str]) -> None:
    """The columns ``names`` (attribute names) of ``items`` as they are in memory: one UPDATE sent with
    ``executemany``. Django's ``bulk_update`` builds a CASE expression per column and item: 15 ms per item here,
    half the CPU of the whole ingest."""
    by_attname = {f.attname: f for f in Item._meta.concrete_fields}
    fields = [by_attname[name] for name in names]
    quote = connection.ops.quote_name
    sql = "UPDATE %s SET %s WHERE id = %%s" % (  # noqa: S608 (column names only; values are parameters)
        quote(Item._meta.db_table), ", ".join("%s = %%s" % quote(str(f.column)) for f in fields))
    params = [[f.get_db_prep_save(getattr(item, f.attname), connection) for f in fields] + [item.pk]
              for item in items]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def _targets_find(references: list[ItemReference]) -> None:
    """Each reference's target: the newest item (not merged away) with that symbol other than its source."""
    by_symbol: dict[str, list[int]] = {}
    rows = Item.objects.filter(symbol__in={ref.symbol for ref in references}, merged_into__isnull=True)
    for symbol, pk in rows.order_by("-id").values_list("symbol", "id"):
        by_symbol.setdefault(symbol, []).append(pk)
    for ref in references:
        ref.target_id = next((pk for pk in by_symbol.get(ref.symbol, ()) if pk != ref.source_id), None)


@contextmanager
def reference_index_paused() -> Iterator[None]:
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
