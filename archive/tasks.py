"""Background tasks of the archive: entry points that take ids and hand the work to the engine.

Each task is idempotent and claims its work itself; the follow-up work the engine returns is queued here
when the transaction commits.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from archive import hooks, queue
from archive.fixity import fixity_check
from archive.pipeline import engine
from archive.pipeline.engine import Work


@task(queue_name="default")
def item_step(item_id: int, step: str) -> str | None:
    """Run one pipeline step of an item (and the cheap steps after it)."""
    work = engine.run_step(item_id, step)
    dispatch(work)
    return work.reached


@task(queue_name="ocr")
def item_ocr_page(item_id: int, n: int) -> None:
    """OCR page ``n`` of an item; the last page done moves the item to the next step."""
    dispatch(engine.run_ocr_page(item_id, n))


@task(queue_name="index")
def items_index(item_ids: list[int]) -> None:
    """Tell the subscribers (the search index) that items changed, after a staff edit."""
    hooks.items_changed(list(item_ids))


@task(queue_name="default")
def fixity_check_task() -> dict[str, Any]:
    """Scheduled fixity check of every stored file; books the next run."""
    summary = fixity_check(by=None).summary()
    fixity_book()
    return summary


def dispatch(work: Work, *, on_commit: bool = True) -> None:
    """Queue the steps and OCR pages of ``work`` (when the current transaction commits)."""
    def enqueue() -> None:
        for item_id, step in work.steps:
            item_step.enqueue(item_id=item_id, step=step)
        for item_id, n in work.ocr_pages:
            item_ocr_page.enqueue(item_id=item_id, n=n)

    if not (work.steps or work.ocr_pages):
        return
    if on_commit:
        transaction.on_commit(enqueue)
    else:
        enqueue()


def fixity_interval() -> dt.timedelta:
    return dt.timedelta(days=settings.SULIEU_FIXITY_INTERVAL_DAYS)


def fixity_book(*, first_run: dt.datetime | None = None) -> bool:
    """Book the next fixity check unless one is already waiting; True when one was booked."""
    if queue.fixity_booked():
        return False
    fixity_check_task.using(run_after=first_run or timezone.now() + fixity_interval()).enqueue()
    return True
