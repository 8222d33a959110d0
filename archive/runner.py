"""Run the queued archive tasks in this process until given items are finished (``sulieu ingest``).

``sulieu ingest`` uses this so that it works with no ``sulieu worker`` running; workers that do run
take tasks from the same queue at the same time (each task claims its row with a conditional
update, and each step claims its item), so nothing runs twice and nothing waits for the other.
Items reaching the index step are indexed together, :data:`INDEX_BATCH_SIZE` at a time or whenever the
queue runs dry.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks import task

from archive import queue
from archive.models import Item, ItemPage, PageState, Stage
from archive.pipeline import engine
from archive.pipeline.engine import INDEX_BATCH_SIZE, Work
from archive.pipeline.leases import ACTIVE, WorkerId, claim_items, free_q, release_dead_leases, release_items
from archive.tasks import dispatch

log = logging.getLogger("sulieu.archive.runner")
CHUNK = 500


def resume(item_ids: Iterable[int]) -> int:
    """Queue the current step of every unfinished item among ``item_ids`` whose lease is free.

    A step that already has a task row waiting is not queued twice (ingest queues the first step of
    each item, then ``sulieu ingest`` resumes the batch: that used to double every task row).
    """
    ids = list(item_ids)
    work = Work()
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        release_dead_leases(chunk)
        waiting = queue.waiting_steps(chunk)
        stalled = Item.objects.filter(free_q(), pk__in=chunk, status__in=ACTIVE)
        for pk, stage in stalled.values_list("pk", "stage"):
            if stage == Stage.OCR:
                pending = list(ItemPage.objects.filter(
                    Q(ocr_state=PageState.PENDING) | Q(ocr_state=PageState.RUNNING, lease_until__lt=timezone.now()),
                    item_id=pk).values_list("n", flat=True))
                running = ItemPage.objects.filter(item_id=pk, ocr_state=PageState.RUNNING).exists()
                work.ocr_pages.extend((pk, n) for n in pending)
                if pending or running:
                    continue
            if (pk, stage) not in waiting:
                work.steps.append((pk, stage))
    dispatch(work, on_commit=False)
    return len(work.steps) + len(work.ocr_pages)


def recover() -> int:
    """Work held by processes that died (on this machine: at once; elsewhere: when the lease ends) goes back to the
    queue; the number of steps and pages queued.  Workers run this every SULIEU_RECOVER_SECONDS."""
    queue.fail_dead_task_rows()
    active = list(Item.objects.filter(status__in=ACTIVE).values_list("pk", flat=True))
    queued = resume(active)
    if queued:
        log.warning("recovery: %d steps or pages of %d unfinished items queued again", queued, len(active))
    return queued


CLAIM_BATCH = 50  # task rows claimed at once by run_batch


def run_one(batch: list[int] | None = None) -> bool:
    """Claim and run one ready archive task; False when there is none (or no database queue).

    Pipeline steps run with their index step deferred into ``batch`` when one is given.
    """
    row = queue.claim_row(WorkerId.current())
    if row is None:
        return False
    ran, value = _run_row(row, batch)
    if ran:
        row.set_successful(value)
    return True


def run_batch(batch: list[int] | None = None, *, limit: int = CLAIM_BATCH) -> int:
    """Claim up to ``limit`` ready archive tasks at once and run them; how many were claimed (0: none ready).

    The rows are claimed in three statements and marked done together at the end; the items of the pipeline
    steps among them are leased and read together (:func:`engine.items_claim`). A task that fails is recorded
    on its row at once; if this process stops half-way (an exception, Ctrl-C), the rows it did not run go back
    to the queue, and rows of a process killed outright are failed and their items queued again by
    :func:`recover` / :func:`resume`.
    """
    worker = WorkerId.current()
    rows = queue.claim_rows(worker, limit)
    if not rows:
        return 0
    done: list[tuple[Any, object]] = []
    pending = list(rows)
    held: dict[int, Item | None] = {}
    claimed: set[int] = set()
    try:
        steps = [queue.row_kwargs(row) for row in rows if row.task_path == queue.ITEM_STEP]
        held = dict(claim_items([(kw["item_id"], kw["step"]) for kw in steps if "item_id" in kw]))
        claimed = set(held)
        chained: dict[int, Work] = {}
        if batch is not None and held:  # their cheap steps together: one transaction, rows written together
            in_queue_order = dict.fromkeys(kw["item_id"] for kw in steps if "item_id" in kw)  # as registered
            chained, tried = engine.run_chains([item for pk in in_queue_order if (item := held.get(pk)) is not None])
            held.update((pk, None) for pk in tried - set(chained))  # rolled back: read again, run alone
        while pending:
            row = pending[0]
            ran, value = _run_row(row, batch, held, chained)
            pending.pop(0)
            if ran:
                done.append((row, value))
    finally:
        queue.rows_finished(done)
        queue.rows_release(pending, worker)
        if pending:  # their items too (those claimed above and not run)
            release_items([kw["item_id"] for kw in map(queue.row_kwargs, pending)
                           if "item_id" in kw and kw["item_id"] in claimed])
    return len(rows)


def _run_row(row: Any, batch: list[int] | None, held: dict[int, Item | None] | None = None,
             chained: dict[int, Work] | None = None) -> tuple[bool, object]:
    """Run a claimed row's task: (True, its value), or (False, None) when it failed (recorded on the row; an item
    leased for it by :func:`run_batch` is freed, so that resume may queue it again). ``held``: items leased for
    the rows (None: leased, to be read again); ``chained``: the work of steps already run by
    :func:`engine.run_chains`."""
    leased: int | None = None
    kwargs: dict[str, Any] = {}
    try:
        kwargs = queue.row_kwargs(row)
        if batch is not None and row.task_path == queue.ITEM_STEP:
            item_id = kwargs["item_id"]
            if chained and item_id in chained:
                work = chained.pop(item_id)
                if held is not None:
                    held.pop(item_id, None)
            else:
                is_held = held is not None and item_id in held
                item = held.pop(item_id) if held is not None and is_held else None
                leased = item_id if is_held else None
                work = engine.run_step(item_id, kwargs["step"], defer_index=True, held=is_held, item=item)
            value: object = work.reached
        elif batch is not None and row.task_path == queue.ITEM_OCR_PAGE:
            work, value = engine.run_ocr_page(kwargs["item_id"], kwargs["n"], defer_index=True), None
        else:
            work, value = Work(), row.task.call(*queue.row_args(row), **kwargs)
        if batch is not None:
            batch.extend(work.held_for_index)
        dispatch(work)
    except Exception as exc:  # recorded on the row, like the db_worker does
        log.exception("task %s failed", row.task_path)
        row.set_failed(exc)
        if leased is not None:
            release_items([leased], kwargs.get("step"))
        return False, None
    return True, value


def _unfinished(ids: Sequence[int]) -> list[int]:
    out: list[int] = []
    for i in range(0, len(ids), CHUNK):
        out.extend(Item.objects.filter(pk__in=ids[i:i + CHUNK], status__in=ACTIVE).values_list("pk", flat=True))
    return out


def run_until_done(item_ids: Sequence[int], *, on_progress: Callable[[int, int], None] | None = None,
                   poll: float = 0.2) -> None:
    """Work the queue until every item in ``item_ids`` is done or failed."""
    ids = list(dict.fromkeys(item_ids))
    total = len(ids)
    queue.fail_dead_task_rows()
    with transaction.atomic():
        resume(ids)
    remaining = _unfinished(ids)
    last_check = time.monotonic()
    ran_since_check = 0
    batch: list[int] = []

    def flush() -> None:
        waiting = list(batch)
        batch.clear()
        dispatch(engine.run_index_batch(waiting))

    try:
        while remaining:
            if on_progress:
                on_progress(total - len(remaining), total)
            ran = run_batch(batch)
            if ran:
                if len(batch) >= INDEX_BATCH_SIZE:
                    flush()
                ran_since_check += ran
                # Which items are still unfinished is asked of the database every 50 tasks (at least every
                # half second) and at the latest every 2 s: each check reads every remaining id, so checking
                # after every few tasks made a 10,000-file folder quadratic.
                since = time.monotonic() - last_check
                if since < 2.0 and (ran_since_check < 50 or since < 0.5):
                    continue
            elif batch:
                flush()
            else:
                remaining = _unfinished(remaining)
                if not remaining:
                    break
                if resume(remaining) == 0:
                    time.sleep(poll)
            remaining = _unfinished(remaining)
            last_check = time.monotonic()
            ran_since_check = 0
    finally:
        # Items still held for the batch (an error above) are released: anyone may index them.
        release_items(batch, Stage.INDEX)
    if on_progress:
        on_progress(total, total)


@task(queue_name="default")
def recover_task() -> int:
    """Put back into the queue what killed or vanished workers held; books the next run first, so that a worker
    killed during this run does not end the chain."""
    recovery_book()
    return recover()


def recovery_book() -> bool:
    """Book the next recovery run unless one is waiting; True when one was booked."""
    if queue.recovery_booked():
        return False
    delay = dt.timedelta(seconds=settings.SULIEU_RECOVER_SECONDS)
    recover_task.using(run_after=timezone.now() + delay).enqueue()
    return True
