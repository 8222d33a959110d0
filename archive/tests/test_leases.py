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
