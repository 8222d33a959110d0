"""The OAI-PMH record registry: which items the public may harvest, with tombstones for the ones withdrawn.

:func:`registry_sync` brings the registry up to date with the archive before every OAI-PMH answer.
Visibility is decided by ``orgs.access`` for the anonymous public (never by this module): an item is
exposed when the public may see it, it is processed and it was not merged into another. Three cheap
queries find the differences; only when there are some is the registry written, under a lock row so
that two web processes never stamp the same change twice. A record's datestamp is the time the
registry saw the change, taken after the lock: an answer whose responseDate was taken before its own
sync therefore never misses a change committed later, and ``from=<last responseDate>`` is a correct
incremental harvest.
"""

from __future__ import annotations

import datetime as dt
import time

from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from archive.models import Item, ItemStatus
from interop.models import OaiRecord, OaiState
from orgs.access import filter_visible


def exposable_items() -> QuerySet[Item]:
    """Items an anonymous visitor may see, processed and not merged away."""
    return filter_visible(None, Item.objects.all()).filter(status=ItemStatus.DONE, merged_into__isnull=True)


def _changes() -> tuple[list[int], list[int], list[int]]:
    live = OaiRecord.objects.filter(deleted=False)
    new_ids = list(exposable_items().exclude(pk__in=live.filter(item__isnull=False).values("item_id"))
                   .values_list("pk", flat=True))
    gone_ids = list(live.exclude(item_ref__in=exposable_items().values("pk")).values_list("item_ref", flat=True))
    stale = live.filter(item__isnull=False).filter(
        ~Q(item__updated_at=F("item_updated_at"))
        | (Q(item__collection__isnull=True) & ~Q(collection_path=""))
        | (Q(item__collection__isnull=False) & ~Q(item__collection__path=F("collection_path"))))
    stale_ids = list(stale.exclude(item_ref__in=gone_ids).values_list("item_ref", flat=True))
    return new_ids, gone_ids, stale_ids


def registry_sync() -> dt.datetime:
    """Record every change of the public archive since the last call; return the answer's responseDate.

    The registry is read and stamped under the lock row, and the responseDate is taken before the lock
    is released: a change stamped by another process afterwards gets a later datestamp, so a harvester
    that asks ``from=<this responseDate>`` next time sees it. Stamps are whole seconds (the protocol's
    granularity); after stamping, the lock is held into the next second so that the records stamped
    here fall strictly before the responseDate and are not sent twice to an incremental harvester.
    """
    with transaction.atomic():
        state = OaiState.objects.select_for_update().filter(pk=1).first()
        if state is None:
            state, _created = OaiState.objects.get_or_create(pk=1)
        new_ids, gone_ids, stale_ids = _changes()
        if not (new_ids or gone_ids or stale_ids):
            return timezone.now()
        now = timezone.now().replace(microsecond=0)
        for pk in gone_ids:
            OaiRecord.objects.filter(item_ref=pk).update(deleted=True, datestamp=now)
        touched = set(new_ids) | set(stale_ids)
        items = Item.objects.filter(pk__in=touched).select_related("collection").only(
            "pk", "updated_at", "collection__path")
        for item in items:
            OaiRecord.objects.update_or_create(item_ref=item.pk, defaults={
                "item": item, "deleted": False, "datestamp": now, "item_updated_at": item.updated_at,
                "collection_path": item.collection.path if item.collection_id else ""})
        state.synced_at = now
        state.save(update_fields=["synced_at"])
        wait = (now + dt.timedelta(seconds=1) - timezone.now()).total_seconds()
        if wait > 0:
            time.sleep(wait)
        return timezone.now()
