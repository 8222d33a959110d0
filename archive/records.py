"""The write helpers of the pipeline steps: events, stored bytes, derivative files, page texts, stage marks.

Nothing here checks a permission or enqueues work; the user operations in :mod:`archive.services` and the
steps in :mod:`archive.pipeline.steps` both write through these.
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from archive import storage
from archive.models import Blob, Item, ItemEvent, ItemFile, ItemPage, PageTextVersion


def event_record(*, item: Item, kind: str, outcome: str = ItemEvent.Outcome.SUCCESS, detail: str = "",
                 by: Any = None, data: dict[str, Any] | None = None, agent: str = "") -> ItemEvent:
    user = by if getattr(by, "is_authenticated", False) else None
    return ItemEvent.objects.create(item=item, kind=kind, outcome=outcome, detail=detail[:5000], by=user,
                                    data=data or {}, agent=agent or "sulieu")


def blob_register(*, sha256: str, size: int, mime: str = "") -> Blob:
    """The Blob row for bytes already put in the store (created once per hash, race-safe)."""
    blob = Blob.objects.filter(sha256=sha256).first()
    if blob is not None:
        return blob
    try:
        with transaction.atomic():
            return Blob.objects.create(sha256=sha256, size=size, mime=mime)
    except IntegrityError:
        return Blob.objects.get(sha256=sha256)


def blob_put_bytes(*, data: bytes, mime: str = "") -> Blob:
    sha, size = storage.put_bytes(data)
    return blob_register(sha256=sha, size=size, mime=mime)


def item_file_set(*, item: Item, role: str, blob: Blob, page_n: int | None = None, name: str = "",
                  mime: str = "") -> ItemFile:
    """Attach a derivative (replacing the previous one of that role and page)."""
    obj, _created = ItemFile.objects.update_or_create(
        item=item, role=role, page_n=page_n, defaults={"blob": blob, "name": name, "mime": mime or blob.mime})
    return obj


def page_text_set(*, page: ItemPage, text: str, source: str, confidence: float | None = None) -> None:
    """Pipeline write of a page's machine text (a new version; a person's correction stays current)."""
    last = page.versions.order_by("-version").first()
    PageTextVersion.objects.create(page=page, version=(last.version if last else 0) + 1, text=text, source=source,
                                   confidence=confidence)
    corrected = last is not None and last.source == PageTextVersion.Source.CORRECTION
    if not corrected:
        page.text = text
    page.ocr_confidence = confidence
    page.save(update_fields=["text", "ocr_confidence"])


def stage_mark(item: Item, stage: str, status: str, detail: str = "") -> None:
    """Record in ``item.stages`` (not saved) how ``stage`` went."""
    stages = dict(item.stages or {})
    stages[stage] = {"status": status, "at": timezone.now().isoformat(timespec="seconds")}
    if detail:
        stages[stage]["detail"] = detail[:500]
    item.stages = stages


def field_fill(item: Item, field: str, value: object) -> None:
    """Set a descriptive field unless a person corrected it (or the value is empty); not saved."""
    if value in (None, "", []) or field in item.locked_fields:
        return
    setattr(item, field, value)
