"""Run the queued archive tasks in this process until given items are finished.

``sulieu ingest`` uses this so that it works with no ``sulieu worker`` running; workers that do run
take tasks from the same queue at the same time (each task claims its row with a conditional
update, and each step claims its item), so nothing runs twice and nothing waits for the other.
"""

from __future__ import annotations

import logging
import os
import socket
import time
from collections.abc import Callable, Sequence

from django.db import transaction
from django.utils import timezone

from archive.models import Item, ItemStatus

log = logging.getLogger("sulieu.archive.runner")
WORKER_ID = "ingest-%s-%d" % (socket.gethostname(), os.getpid())


def _claim_task() -> object | None:
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    candidates = DBTaskResult.objects.ready().filter(task_path__startswith="archive.tasks.")
    for row in candidates.only("id")[:5]:
        claimed = DBTaskResult.objects.filter(pk=row.pk, status=TaskResultStatus.READY).update(
            status=TaskResultStatus.RUNNING, started_at=timezone.now(), worker_ids=[WORKER_ID])
        if claimed:
            return DBTaskResult.objects.get(pk=row.pk)
    return None


def run_one() -> bool:
    """Claim and run one ready archive task; False when there is none (or no database queue)."""
    try:
        row = _claim_task()
    except LookupError:
        return False
    if row is None:
        return False
    try:
        task = row.task
        value = task.call(*row.args_kwargs.get("args", []), **row.args_kwargs.get("kwargs", {}))
        row.set_successful(value)
    except Exception as exc:  # recorded on the row, like the db_worker does
        log.exception("task %s failed", row.task_path)
        row.set_failed(exc)
    return True


def _unfinished(ids: Sequence[int]) -> list[int]:
    out: list[int] = []
    for i in range(0, len(ids), 500):
        out.extend(Item.objects.filter(pk__in=ids[i:i + 500], status__in=[ItemStatus.QUEUED, ItemStatus.PROCESSING])
                   .values_list("pk", flat=True))
    return out


def fail_dead_task_rows() -> int:
    """Mark task rows claimed by processes of this machine that died as failed (kill -9)."""
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from archive.storage import _alive

    failed = 0
    host = socket.gethostname()
    for row in DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING, task_path__startswith="archive.tasks."):
        worker = (row.worker_ids or [""])[-1]
        parts = worker.rsplit("-", 1)
        if len(parts) == 2 and parts[1].isdigit() and parts[0].endswith(host) and int(parts[1]) != os.getpid() \
                and not _alive(int(parts[1])):
            DBTaskResult.objects.filter(pk=row.pk, status=TaskResultStatus.RUNNING).update(
                status=TaskResultStatus.FAILED, finished_at=timezone.now(), exception_class_path="WorkerDied",
                traceback="worker %s died" % worker)
            failed += 1
    return failed


def run_until_done(item_ids: Sequence[int], *, on_progress: Callable[[int, int], None] | None = None,
                   poll: float = 0.2) -> None:
    """Work the queue until every item in ``item_ids`` is done or failed.

    Items reaching the index step are indexed together, :data:`archive.pipeline.INDEX_BATCH_SIZE` at a
    time or whenever the queue runs dry.
    """
    from archive.pipeline import INDEX_BATCH_SIZE, index_batched, resume, run_index_batch

    ids = list(dict.fromkeys(item_ids))
    total = len(ids)
    fail_dead_task_rows()
    with transaction.atomic():
        resume(ids)
    remaining = _unfinished(ids)
    last_check = time.monotonic()
    ran_since_check = 0

    def flush(batch: list[int]) -> None:
        waiting = list(batch)
        batch.clear()
        run_index_batch(waiting)

    with index_batched() as batch:
        while remaining:
            if on_progress:
                on_progress(total - len(remaining), total)
            if run_one():
                if len(batch) >= INDEX_BATCH_SIZE:
                    flush(batch)
                ran_since_check += 1
                if ran_since_check < 50 and time.monotonic() - last_check < 0.5:
                    continue
            elif batch:
                flush(batch)
            else:
                remaining = _unfinished(remaining)
                if not remaining:
                    break
                if resume(remaining) == 0:
                    time.sleep(poll)
            remaining = _unfinished(remaining)
            last_check = time.monotonic()
            ran_since_check = 0
    if on_progress:
        on_progress(total, total)
