"""Recurring archive work without a separate scheduler: the fixity check re-books itself.

`sulieu worker` calls :func:`ensure_fixity_scheduled` when it starts; each run of the check books the
next one ``SULIEU_FIXITY_INTERVAL_DAYS`` later (default 7). There is at most one booked check.
"""

from __future__ import annotations

import datetime as dt
import os

from django.conf import settings
from django.utils import timezone

FIXITY_TASK_PATH = "archive.tasks.fixity_check_task"


def fixity_interval() -> dt.timedelta:
    days = getattr(settings, "SULIEU_FIXITY_INTERVAL_DAYS", None) or os.environ.get("SULIEU_FIXITY_INTERVAL_DAYS")
    return dt.timedelta(days=float(days or 7))


def ensure_fixity_scheduled(*, first_run: dt.datetime | None = None) -> bool:
    """Book the next fixity check unless one is already waiting; True when one was booked."""
    from django_tasks_db.models import DBTaskResult

    from archive.tasks import fixity_check_task

    waiting = DBTaskResult.objects.filter(task_path=FIXITY_TASK_PATH, status="READY").exists()
    if waiting:
        return False
    when = first_run or timezone.now() + fixity_interval()
    fixity_check_task.using(run_after=when).enqueue()
    return True
