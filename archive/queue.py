"""The only module of the archive that reads or writes django-tasks-db rows directly.

Which steps already wait in the queue, task rows claimed by processes that died, whether a fixity check is
booked, and claiming one row for the in-process runner. With another task backend (the immediate one of
the tests) there are no rows: every function answers "nothing".
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from archive.pipeline.leases import WorkerId

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
