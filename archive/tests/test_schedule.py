from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from archive.schedule import FIXITY_TASK_PATH, ensure_fixity_scheduled

pytestmark = pytest.mark.django_db


def test_fixity_check_books_itself_once_and_rebooks_after_running():
    from archive.records import blob_put_bytes

    blob_put_bytes(data="Biên bản 1976".encode())
    assert ensure_fixity_scheduled() is True
    assert ensure_fixity_scheduled() is False  # at most one waiting
    booked = DBTaskResult.objects.get(task_path=FIXITY_TASK_PATH)
    assert booked.run_after > timezone.now() + dt.timedelta(days=6)
    # run it now, as a worker would when the time comes
    from archive.tasks import fixity_check_task

    summary = fixity_check_task.call()
    assert summary["checked"] == 1 and summary["problems"] == 0
    waiting = DBTaskResult.objects.filter(task_path=FIXITY_TASK_PATH, status="READY")
    assert waiting.count() == 1  # the original booking is still there, no second one was added
    waiting.update(status="SUCCESSFUL")  # as the worker marks the row it ran
    fixity_check_task.call()
    assert DBTaskResult.objects.filter(task_path=FIXITY_TASK_PATH, status="READY").count() == 1


def test_worker_start_books_the_check(monkeypatch):
    from django.core.management import call_command

    from sulieu.management.commands import worker

    calls = []
    monkeypatch.setattr(worker, "call_command", lambda *a, **k: calls.append(a))
    call_command("worker", "--batch")
    assert calls and calls[0][0] == "db_worker"
    assert DBTaskResult.objects.filter(task_path=FIXITY_TASK_PATH, status="READY").count() == 1
