"""A lease held by a process of this host that died (kill -9 of a worker) is taken over at once."""

from __future__ import annotations

import datetime as dt
import socket
import subprocess

import pytest
from django.utils import timezone

from archive.models import Item, ItemStatus
from archive.pipeline.engine import run_step
from archive.services import IngestOptions, item_ingest_bytes

pytestmark = pytest.mark.django_db


def _leased_item(owner: str) -> Item:
    body = "Biên bản của %s về sinh hoạt chi bộ xã Cam Lâm.\n" % owner
    result = item_ingest_bytes(data=body.encode() * 3,
                               name="bien-ban.txt", source="test", options=IngestOptions(channel="test"))
    Item.objects.filter(pk=result.item.pk).update(lease_owner=owner, status=ItemStatus.PROCESSING,
                                                  lease_until=timezone.now() + dt.timedelta(minutes=15))
    return result.item


def _dead_pid() -> int:
    child = subprocess.Popen(["sleep", "0"])
    child.wait()
    return child.pid


def test_lease_of_a_dead_process_on_this_host_is_taken_over_at_once():
    item = _leased_item("%s:%d" % (socket.gethostname(), _dead_pid()))
    assert run_step(item.pk, "identify").reached == "done"
    item.refresh_from_db()
    assert (item.status, item.stage, item.lease_owner, item.lease_until) == (ItemStatus.DONE, "done", "", None)


def test_lease_of_a_live_process_or_of_another_host_waits_for_expiry():
    live = subprocess.Popen(["sleep", "60"])
    try:
        for owner in ("%s:%d" % (socket.gethostname(), live.pid), "elsewhere.example:%d" % _dead_pid()):
            item = _leased_item(owner)
            assert run_step(item.pk, "identify").reached is None
            item.refresh_from_db()
            assert (item.stage, item.lease_owner) == ("identify", owner)
            Item.objects.filter(pk=item.pk).update(lease_until=timezone.now() - dt.timedelta(seconds=1))
            assert run_step(item.pk, "identify").reached == "done"  # expired: anyone takes it
    finally:
        live.kill()
        live.wait()


def test_task_rows_of_a_dead_worker_are_failed_and_a_live_ones_kept(settings):
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from archive import queue

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    live = subprocess.Popen(["sleep", "60"])
    try:
        dead = "%s:%d" % (socket.gethostname(), _dead_pid())
        rows = {}
        for name, path, owner in (("step", queue.ITEM_STEP, dead), ("recovery", queue.RECOVER, dead),
                                  ("live", queue.ITEM_STEP, "%s:%d" % (socket.gethostname(), live.pid)),
                                  ("other host", queue.ITEM_STEP, "elsewhere.example:%d" % _dead_pid()),
                                  ("not ours", "books.exports.export_task", dead)):
            rows[name] = DBTaskResult.objects.create(
                status=TaskResultStatus.RUNNING, task_path=path, args_kwargs={"args": [], "kwargs": {}},
                queue_name="default", backend_name="default", priority=0, worker_ids=[owner])
        assert queue.fail_dead_task_rows() == 2
        status = {name: DBTaskResult.objects.get(pk=row.pk).status for name, row in rows.items()}
        assert status == {"step": TaskResultStatus.FAILED, "recovery": TaskResultStatus.FAILED,
                          "live": TaskResultStatus.RUNNING, "other host": TaskResultStatus.RUNNING,
                          "not ours": TaskResultStatus.RUNNING}
    finally:
        live.kill()
        live.wait()
