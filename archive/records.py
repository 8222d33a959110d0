"""The write helpers of the pipeline steps: events, stored bytes, derivative files, page texts, stage marks.

Nothing here checks a permission or enqueues work; the user operations in :mod:`archive.services` and the
steps in :mod:`archive.pipeline.steps` both write through these.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from archive import storage
from archive.models import Blob, Item, ItemEvent, ItemFile, ItemPage, PageTextVersion


@dataclass
class DeferredWrites:
    """Writes of a chain of steps run in one transaction, made once at its end by the engine.

    Attached to the item object by :func:`writes_defer` (the steps receive only the item); without it every
    helper below writes at once. ``fields``: item fields the steps changed (None in the set: all of them);
    ``events``: unsaved events, inserted together; ``page_texts``: the pages' text as the extract step left
    it in this transaction, so that describe and deduplicate do not read it back.
    """

    fields: set[str | None] = field(default_factory=set)
    events: list[ItemEvent] = field(default_factory=list)
    page_texts: list[str] | None = None


def writes_defer(item: Item) -> DeferredWrites:
    deferred = DeferredWrites()
    item._deferred_writes = deferred  # type: ignore[attr-defined]
    return deferred


def writes_taken(item: Item) -> DeferredWrites | None:
    """Detach and return the deferred writes of ``item`` (None: it had none)."""
    deferred: DeferredWrites | None = getattr(item, "_deferred_writes", None)
    if deferred is not None:
        del item._deferred_writes  # type: ignore[attr-defined]
    return deferred


def _deferred(item: Item) -> DeferredWrites | None:
    return getattr(item, "_deferred_writes", None)


def item_save(item: Item, fields: list[str] | None = None) -> None:
    """A step's save of the item (``fields`` None: every field); deferred inside a chain."""
    deferred = _deferred(item)
    if deferred is None:
        item.save(update_fields=fields)
    elif fields is None:
        deferred.fields.add(None)
    else:
        deferred.fields.update(fields)


def page_texts(item: Item) -> list[str]:
    """The item's page texts in page order (from the chain's extract step when it ran in this transaction)."""
    deferred = _deferred(item)
    if deferred is not None and deferred.page_texts is not None:
        return deferred.page_texts
    return list(ItemPage.objects.filter(item=item).order_by("n").values_list("text", flat=True))


def pages_known(item: Item) -> bool:
    """True when the extract step of this chain wrote every page from text (none waits for OCR)."""
    deferred = _deferred(item)
    return deferred is not None and deferred.page_texts is not None


def page_texts_known(item: Item, texts: list[str]) -> None:
    deferred = _deferred(item)
    if deferred is not None:
        deferred.page_texts = list(texts)


def event_record(*, item: Item, kind: str, outcome: str = ItemEvent.Outcome.SUCCESS, detail: str = "",
                 by: Any = None, data: dict[str, Any] | None = None, agent: str = "") -> ItemEvent:
    user = by if getattr(by, "is_authenticated", False) else None
    event = ItemEvent(item=item, kind=kind, outcome=outcome, detail=detail[:5000], by=user, data=data or {},
                      agent=agent or "sulieu")
    deferred = _deferred(item)
    if deferred is None:
        event.save(force_insert=True)
    else:
        deferred.events.append(event)
    return event


def blob_register(*, sha256: str, size: int, mime: str = "") -> Blob:
    """The Blob row for bytes already put in the store (created once per hash, race-safe).

    An insert that skips an existing hash, then one read: two statements, no savepoint."""
    Blob.objects.bulk_create([Blob(sha256=sha256, size=size, mime=mime)], ignore_conflicts=True)
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


def first_run(item: Item, stage: str) -> bool:
    """True when ``stage`` never ran for this item (no mark in ``item.stages``: stages are only ever added).

    A step's rows (pages, references) are written in the transaction that marks its stage, so a step that
    never ran has none to read back."""
    return stage not in (item.stages or {})


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
