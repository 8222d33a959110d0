"""Background work of the portal: scheduled publishing and the daily statistics roll-up, every minute."""

from __future__ import annotations

import datetime as dt

from django.core.management import call_command
from django.utils import timezone
from django_tasks import task

from portal import stats

TICK_TASK_PATH = "portal.tasks.portal_tick_task"
TICK_EVERY = dt.timedelta(seconds=60)


@task(queue_name="default")
def portal_tick_task() -> dict:
    """Publish pages whose "go live" time has come (Wagtail's publish_scheduled), fold finished days of
    hits, then book the next tick."""
    call_command("publish_scheduled", verbosity=0)
    folded = stats.rollup()
    ensure_tick_scheduled()
    return {"rolled_up": folded}


def ensure_tick_scheduled() -> bool:
    """Book the next tick unless one is waiting (called when `sulieu worker` starts); True when booked."""
    from django_tasks_db.models import DBTaskResult

    if DBTaskResult.objects.filter(task_path=TICK_TASK_PATH, status="READY").exists():
        return False
    portal_tick_task.using(run_after=timezone.now() + TICK_EVERY).enqueue()
    return True
