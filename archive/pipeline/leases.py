"""Who holds an item or a page, for how long, and whether that holder still runs.

A lease is ``lease_owner`` (a :class:`WorkerId` written ``host:pid``) and ``lease_until``. A step claims its
item with a conditional update; an expired lease is free for anyone, and a lease whose owner is a process of
this machine that no longer runs (kill -9) is taken over at once. Leases of other machines expire by time.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from archive.models import Item, ItemPage, ItemStatus, PageState
from core.process import pid_alive

log = logging.getLogger("sulieu.archive.pipeline")

LEASE = dt.timedelta(minutes=15)
OCR_LEASE = dt.timedelta(minutes=10)
ACTIVE = (ItemStatus.QUEUED, ItemStatus.PROCESSING)


@dataclass(frozen=True)
class WorkerId:
    """One process on one machine; read afresh after a fork (never cached at import time)."""

    host: str
    pid: int

    @classmethod
    def current(cls) -> WorkerId:
        return cls(socket.gethostname(), os.getpid())

    @classmethod
    def parse(cls, text: str) -> WorkerId | None:
        """The WorkerId written as ``host:pid``; None for anything else (a worker id of another tool)."""
        host, sep, pid = (text or "").rpartition(":")
        if not sep or not host or not pid.isdigit():
            return None
        return cls(host, int(pid))

    def format(self) -> str:
        return "%s:%d" % (self.host, self.pid)

    __str__ = format

    def is_dead(self) -> bool:
        """True only for another process of this machine that no longer runs; unknowable elsewhere."""
        if self.host != socket.gethostname() or self.pid == os.getpid():
            return False
        return not pid_alive(self.pid)


def owner_dead(owner: str) -> bool:
    worker = WorkerId.parse(owner)
    return worker is not None and worker.is_dead()


def free_q() -> Q:
    return Q(lease_until__isnull=True) | Q(lease_until__lt=timezone.now())


def claim_item(item_id: int, stage: str) -> bool:
    """Lease the item at ``stage`` for this process: free or expired leases, and at once a dead owner's."""
    at_stage = Item.objects.filter(pk=item_id, stage=stage, status__in=ACTIVE)
    lease = {"lease_owner": WorkerId.current().format(), "lease_until": timezone.now() + LEASE,
             "status": ItemStatus.PROCESSING}
    if at_stage.filter(free_q()).update(**lease):
        return True
    owner = at_stage.values_list("lease_owner", flat=True).first()
    if owner and owner_dead(owner):
        log.info("item %s: taking over the lease of %s, which no longer runs", item_id, owner)
        return bool(at_stage.filter(lease_owner=owner).update(**lease))
    return False


def claim_items(pairs: Iterable[tuple[int, str]]) -> dict[int, Item]:
    """Lease many items at once, each at its stage (free or expired leases), and read them with their original:
    one update and one read per stage. Items not returned were not claimed (someone else holds them, they moved
    on, or their holder died: :func:`claim_item` takes those over one by one)."""
    by_stage: dict[str, list[int]] = {}
    for item_id, stage in pairs:
        by_stage.setdefault(stage, []).append(item_id)
    me = WorkerId.current().format()
    claimed: dict[int, Item] = {}
    for stage, ids in by_stage.items():
        at_stage = Item.objects.filter(pk__in=ids, stage=stage, status__in=ACTIVE)
        if at_stage.filter(free_q()).update(lease_owner=me, lease_until=timezone.now() + LEASE,
                                            status=ItemStatus.PROCESSING):
            claimed.update((item.pk, item) for item in Item.objects.select_related("original").filter(
                pk__in=ids, stage=stage, lease_owner=me))
    return claimed


def claim_page(item_id: int, n: int) -> bool:
    """Lease page ``n`` for OCR: pending pages, expired leases, and at once a dead owner's."""
    now = timezone.now()
    lease = {"ocr_state": PageState.RUNNING, "lease_owner": WorkerId.current().format(),
             "lease_until": now + OCR_LEASE}
    page_q = ItemPage.objects.filter(item_id=item_id, n=n)
    if page_q.filter(Q(ocr_state=PageState.PENDING) | Q(ocr_state=PageState.RUNNING, lease_until__lt=now)).update(
            **lease):
        return True
    owner = page_q.filter(ocr_state=PageState.RUNNING).values_list("lease_owner", flat=True).first()
    return bool(owner and owner_dead(owner)
                and page_q.filter(ocr_state=PageState.RUNNING, lease_owner=owner).update(**lease))


def held_q() -> Q:
    """Rows leased by this process."""
    return Q(lease_owner=WorkerId.current().format())


def release_items(item_ids: Iterable[int], stage: str | None = None) -> int:
    """Free the leases this process holds on items at ``stage`` (None: at any stage; anyone may then run the
    step)."""
    ids = list(item_ids)
    if not ids:
        return 0
    held = Item.objects.filter(held_q(), pk__in=ids)
    return (held if stage is None else held.filter(stage=stage)).update(lease_owner="", lease_until=None)


def release_dead_leases(item_ids: Iterable[int] | None = None) -> int:
    """Free leases held by processes of this machine that no longer run (kill -9)."""
    released = 0
    items = Item.objects.exclude(lease_owner="").filter(status__in=ACTIVE)
    pages = ItemPage.objects.filter(ocr_state=PageState.RUNNING)
    if item_ids is not None:
        ids = list(item_ids)
        items = items.filter(pk__in=ids)
        pages = pages.filter(item_id__in=ids)
    for pk, owner in items.values_list("pk", "lease_owner"):
        if owner_dead(owner):
            released += Item.objects.filter(pk=pk, lease_owner=owner).update(lease_owner="", lease_until=None)
    for pk, owner in pages.values_list("pk", "lease_owner"):
        if owner_dead(owner):
            released += ItemPage.objects.filter(pk=pk, lease_owner=owner, ocr_state=PageState.RUNNING).update(
                ocr_state=PageState.PENDING, lease_owner="", lease_until=None)
    return released
