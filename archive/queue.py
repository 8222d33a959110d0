"""The only module of the archive that reads or writes django-tasks-db rows directly.

Which steps already wait in the queue, task rows claimed by processes that died, whether a fixity check is
booked, many task rows written in one statement, and claiming, finishing and releasing rows in batches for the
in-process runner. With another task backend (the immediate one of the tests) there are no rows: every function
answers "nothing" (and :func:`enqueue_many` enqueues one task at a time).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django_tasks.base import Task, TaskResultStatus
from django_tasks_db.compat import normalize_json
from django_tasks_db.models import DBTaskResult, get_date_max

from archive.pipeline.leases import WorkerId
from archive.records import rows_insert_many

ARCHIVE_TASKS = "archive.tasks."
ITEM_STEP = ARCHIVE_TASKS + "item_step"
ITEM_OCR_PAGE = ARCHIVE_TASKS + "item_ocr_page"
FIXITY_CHECK = ARCHIVE_TASKS + "fixity_check_task"
RECOVER = "archive.runner.recover_task"


def database_queue() -> bool:
    """True when tasks go through django-tasks-db (rows in the database)."""
    return "django_tasks_db" in settings.TASKS.get("default", {}).get("BACKEND", "")


def waiting_steps(item_ids: Iterable[int]) -> set[tuple[int, str]]:
    """(item, step) pairs that already have a task row waiting."""
    ids = list(item_ids)
    if not ids or not database_queue():
        return set()
    rows = DBTaskResult.objects.filter(status=TaskResultStatus.READY, task_path=ITEM_STEP,
                                      args_kwargs__kwargs__item_id__in=ids)
    out: set[tuple[int, str]] = set()
    for args_kwargs in rows.values_list("args_kwargs", flat=True):
        kwargs = (args_kwargs or {}).get("kwargs") or {}
        out.add((int(kwargs.get("item_id") or 0), str(kwargs.get("step") or "")))
    return out


def fail_dead_task_rows() -> int:
    """Mark archive task rows claimed by processes of this machine that died (kill -9) as failed."""
    if not database_queue():
        return 0
    failed = 0
    ours = Q(task_path__startswith=ARCHIVE_TASKS) | Q(task_path=RECOVER)
    running = DBTaskResult.objects.filter(ours, status=TaskResultStatus.RUNNING)
    for pk, worker_ids in running.values_list("pk", "worker_ids"):
        worker = WorkerId.parse((worker_ids or [""])[-1])
        if worker is not None and worker.is_dead():
            failed += DBTaskResult.objects.filter(pk=pk, status=TaskResultStatus.RUNNING).update(
                status=TaskResultStatus.FAILED, finished_at=timezone.now(), exception_class_path="WorkerDied",
                traceback="worker %s died" % worker)
    return failed


def recovery_booked() -> bool:
    """True when a recovery run waits in the queue (each run books the next one)."""
    if not database_queue():
        return True  # no queue, nothing to book: the tests' immediate backend
    return DBTaskResult.objects.filter(task_path=RECOVER, status=TaskResultStatus.READY).exists()


def fixity_booked() -> bool:
    return DBTaskResult.objects.filter(task_path=FIXITY_CHECK, status=TaskResultStatus.READY).exists()


def enqueue_many(task: Task[Any, Any], calls: Sequence[tuple[Sequence[Any], dict[str, Any]]]) -> int:
    """Enqueue ``task`` once per ``(args, kwargs)`` of ``calls``: one insert for them all in the database queue.

    The rows are those the django-tasks-db backend's ``enqueue`` writes, one by one (same id, priority, queue,
    path, run-after and backend); another backend gets one ``enqueue`` per call.
    """
    if not calls:
        return 0
    backend = task.get_backend()
    if not database_queue() or not hasattr(backend, "_get_id"):
        for args, kwargs in calls:
            task.enqueue(*args, **kwargs)
        return len(calls)
    run_after = task.run_after if task.run_after is not None else get_date_max()
    rows_insert_many([  # (their ids are made here: nothing to read back)
        DBTaskResult(id=backend._get_id(), args_kwargs=normalize_json({"args": list(args), "kwargs": dict(kwargs)}),
                     priority=task.priority, task_path=task.module_path, queue_name=task.queue_name,
                     run_after=run_after, backend_name=backend.alias)
        for args, kwargs in calls])
    return len(calls)


def claim_rows(worker: WorkerId, limit: int) -> list[DBTaskResult[Any, Any]]:
    """Claim up to ``limit`` ready archive task rows for ``worker``, in queue order, in three statements.

    A conditional update (``status`` still ready) claims them, so no row runs twice however many processes claim
    at once; the rows another process took between the read and the update are left to it. The caller finishes
    each row (:func:`rows_finished`, ``set_failed``) and gives back those it did not run (:func:`rows_release`).
    """
    if not database_queue():
        return []
    candidates = DBTaskResult.objects.ready().filter(task_path__startswith=ARCHIVE_TASKS)
    ids = list(candidates.values_list("id", flat=True)[:limit])
    if not ids:
        return []
    me = [worker.format()]
    DBTaskResult.objects.filter(pk__in=ids, status=TaskResultStatus.READY).update(
        status=TaskResultStatus.RUNNING, started_at=timezone.now(), worker_ids=me)
    rows = {row.pk: row for row in DBTaskResult.objects.filter(pk__in=ids, status=TaskResultStatus.RUNNING)
            if row.worker_ids == me}
    return [rows[pk] for pk in ids if pk in rows]


def rows_finished(done: Iterable[tuple[DBTaskResult[Any, Any], Any]]) -> int:
    """Mark rows this process ran as successful with their return values (one update per distinct value)."""
    by_value: dict[str, tuple[Any, list[Any]]] = {}
    for row, value in done:
        key = repr(value)
        by_value.setdefault(key, (value, []))[1].append(row.pk)
    now = timezone.now()
    marked = 0
    for value, ids in by_value.values():
        marked += DBTaskResult.objects.filter(pk__in=ids, status=TaskResultStatus.RUNNING).update(
            status=TaskResultStatus.SUCCESSFUL, finished_at=now, return_value=value, exception_class_path="",
            traceback="")
    return marked


def rows_release(rows: Iterable[DBTaskResult[Any, Any]], worker: WorkerId) -> int:
    """Give back claimed rows this process did not run: ready again for anyone."""
    ids = [row.pk for row in rows]
    if not ids:
        return 0
    released = 0
    for row in DBTaskResult.objects.filter(pk__in=ids, status=TaskResultStatus.RUNNING).only("id", "worker_ids"):
        if row.worker_ids == [worker.format()]:
            released += DBTaskResult.objects.filter(pk=row.pk, status=TaskResultStatus.RUNNING).update(
                status=TaskResultStatus.READY, started_at=None, worker_ids=[])
    return released


def claim_row(worker: WorkerId) -> DBTaskResult[Any, Any] | None:
    """Claim one ready archive task row for ``worker`` (a conditional update: no row runs twice)."""
    if not database_queue():
        return None
    candidates = DBTaskResult.objects.ready().filter(task_path__startswith=ARCHIVE_TASKS)
    for row in candidates.only("id")[:5]:
        claimed = DBTaskResult.objects.filter(pk=row.pk, status=TaskResultStatus.READY).update(
            status=TaskResultStatus.RUNNING, started_at=timezone.now(), worker_ids=[worker.format()])
        if claimed:
            return DBTaskResult.objects.get(pk=row.pk)
    return None


def row_kwargs(row: DBTaskResult[Any, Any]) -> dict[str, Any]:
    return dict((row.args_kwargs or {}).get("kwargs") or {})


def row_args(row: DBTaskResult[Any, Any]) -> list[Any]:
    return list((row.args_kwargs or {}).get("args") or [])
