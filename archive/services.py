"""The user operations of the archive: ingest, staff corrections, duplicate decisions, the hierarchy.

Each checks permission through ``orgs.policy``, writes (through :mod:`archive.records` where the pipeline
writes the same things), audits, and queues the pipeline or the re-index when the transaction commits.
"""

from __future__ import annotations

import logging
import os
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from archive import queue, safepaths, storage
from archive.models import (
    Blob,
    Collection,
    DuplicateCandidate,
    IngestRecord,
    Item,
    ItemEvent,
    ItemFile,
    ItemPage,
    ItemStatus,
    PageTextVersion,
    Stage,
)
from archive.records import blob_register, event_record
from archive.tasks import item_step, items_index
from core.audit import audit, diff, snapshot
from core.tree import tree_move, tree_place
from orgs.access import AccessLevel
from orgs.models import OrgUnit
from orgs.policy import ensure_can

log = logging.getLogger("sulieu.archive")

URL_TIMEOUT = 20
# Fields staff may edit through item_update (and that describe fills when not locked).
DESCRIPTIVE_FIELDS = (
    "title", "summary", "symbol", "doc_number", "doc_type_code", "doc_type_name", "issuer_code", "issuer_name",
    "signer", "date_earliest", "date_latest", "date_precision", "date_text", "language", "places", "keywords",
    "reliability", "source_url", "provenance", "rights", "note", "kind", "access", "collection", "org_unit",
)


def max_bytes() -> int:
    return int(settings.SULIEU_ARCHIVE_MAX_BYTES)


@dataclass
class IngestOptions:
    by: Any = None
    collection: Collection | None = None
    org_unit: OrgUnit | None = None
    access: str = AccessLevel.INTERNAL
    channel: str = "cli"
    kind: str = ""  # force an ItemKind (e.g. photo: no OCR); empty = decided by the pipeline
    metadata: dict[str, Any] | None = None  # initial descriptive fields (a CSV row, a form)
    # A batch's list: new items' ids are added to it instead of queuing each first step when its transaction
    # commits; the batch queues them together with items_enqueue_first (archive.ingest.ingest_sources).
    enqueue_later: list[int] | None = None


@dataclass
class IngestResult:
    source: str
    outcome: str  # IngestRecord.Outcome
    item: Item | None = None
    error: str = ""


def _unit_for(options: IngestOptions) -> OrgUnit | None:
    if options.org_unit is not None:
        return options.org_unit
    if options.collection is not None:
        return options.collection.org_unit
    return None


def item_ingest_blob(*, blob: Blob, name: str, source: str, options: IngestOptions,
                     source_url: str = "") -> IngestResult:
    """Make an item of stored bytes, or link them to the item that already holds the same bytes."""
    # In a batch (archive.ingest) each file already has its savepoint: no second one here.
    with transaction.atomic(savepoint=options.enqueue_later is None):
        existing = Item.objects.filter(original=blob).first()
        if existing is None:
            try:
                with transaction.atomic():
                    item = _item_create(blob=blob, name=name, options=options, source_url=source_url)
            except IntegrityError:
                existing = Item.objects.get(original=blob)
            else:
                IngestRecord.objects.create(item=item, blob=blob, channel=options.channel, source=source,
                                            name=name[:500], outcome=IngestRecord.Outcome.IMPORTED, by=_user(options))
                event_record(item=item, kind=ItemEvent.Kind.INGESTED, by=options.by,
                             detail=source, data={"channel": options.channel, "sha256": blob.sha256,
                                                  "size": blob.size, "name": name})
                if options.enqueue_later is not None:
                    options.enqueue_later.append(item.pk)
                else:
                    transaction.on_commit(lambda: _enqueue_first(item.pk))
                return IngestResult(source=source, outcome=IngestRecord.Outcome.IMPORTED, item=item)
        IngestRecord.objects.create(item=existing, blob=blob, channel=options.channel, source=source,
                                    name=name[:500], outcome=IngestRecord.Outcome.DUPLICATE, by=_user(options))
        event_record(item=existing, kind=ItemEvent.Kind.DUPLICATE_RECEIVED, by=options.by, detail=source,
                     data={"name": name})
        return IngestResult(source=source, outcome=IngestRecord.Outcome.DUPLICATE, item=existing)


def _user(options: IngestOptions) -> Any:
    return options.by if getattr(options.by, "is_authenticated", False) else None


def _item_create(*, blob: Blob, name: str, options: IngestOptions, source_url: str) -> Item:
    item = item_build(blob=blob, name=name, options=options, source_url=source_url)
    item.save(force_insert=True)
    ItemFile.objects.create(item=item, blob=blob, role=ItemFile.Role.ORIGINAL, name=name[:500])
    return item


def item_build(*, blob: Blob, name: str, options: IngestOptions, source_url: str = "") -> Item:
    """A new item of stored bytes, not saved: its initial fields, and those given in the options' metadata locked
    against the describe step. Saved one by one (:func:`item_ingest_blob`) or a batch at a time
    (:func:`archive.ingest.ingest_sources`)."""
    base = os.path.splitext(name)[0].strip() or name
    fields: dict[str, Any] = {
        "original": blob, "original_name": name[:500], "title": base[:1000], "collection": options.collection,
        "org_unit": _unit_for(options), "access": options.access, "created_by": _user(options),
        "source_url": source_url[:2000], "status": ItemStatus.QUEUED, "stage": Stage.IDENTIFY.value,
    }
    locked: list[str] = []
    if options.kind:
        fields["kind"] = options.kind
        locked.append("kind")
    for key, value in (options.metadata or {}).items():
        if key in DESCRIPTIVE_FIELDS and value not in (None, ""):
            fields[key] = value
            locked.append(key)
    return Item(locked_fields=locked, **fields)


def _enqueue_first(item_id: int) -> None:
    item_step.enqueue(item_id=item_id, step=Stage.IDENTIFY.value)


def items_enqueue_first(item_ids: list[int]) -> None:
    """Queue the first step of items registered by a batch: one insert of their task rows."""
    queue.enqueue_many(item_step, [((), {"item_id": item_id, "step": Stage.IDENTIFY.value}) for item_id in item_ids])


@dataclass
class StoredFile:
    """A file's bytes in the store: ``source`` its path as text (undecodable bytes as U+FFFD), ``name`` its name."""

    source: str
    name: str
    sha256: str
    size: int


def file_store(*, path: Path, root: Path | None = None, expect_sha256: str = "") -> StoredFile | str:
    """Read a file and store its bytes (hashed, written, flushed to disk); the reason (one line) if it cannot be.

    The file must be a regular file inside ``root`` (default: its folder), reached without following a
    link, and not under the data directory (archive.safepaths). ``expect_sha256`` (a bag's manifest)
    refuses bytes with another checksum.
    """
    try:
        with safepaths.open_regular(path, root=root) as stream:
            size = os.fstat(stream.fileno()).st_size
            limit = max_bytes()
            if size > limit:
                return _("Tệp quá lớn: %(size)s byte, giới hạn %(limit)s byte; tệp gốc vẫn ở nguyên chỗ cũ, "
                         "không nhập.") % {"size": size, "limit": limit}
            sha, stored = storage.put_stream(stream, max_bytes=limit)
    except safepaths.Refusal as exc:
        return str(exc)
    except storage.TooLarge:
        return _("Tệp quá lớn (vượt %(limit)s byte).") % {"limit": max_bytes()}
    except OSError as exc:
        return _("Không đọc được tệp: %(error)s") % {"error": exc.strerror or exc}
    if expect_sha256 and sha != expect_sha256.lower():
        safepaths.discard_unregistered(sha)
        return _("Tổng kiểm tra SHA-256 không khớp với manifest: không nhập.")
    # Names that are not valid UTF-8 (old Windows archives) are stored with U+FFFD, never refused.
    return StoredFile(source=os.fsencode(path).decode("utf-8", "replace"),
                      name=os.fsencode(path.name).decode("utf-8", "replace"), sha256=sha, size=stored)


def item_ingest_path(*, path: Path, options: IngestOptions, root: Path | None = None,
                     expect_sha256: str = "") -> IngestResult:
    """Ingest one file (see :func:`file_store`). Failures before the bytes are stored (unreadable, too large)
    leave no item."""
    stored = file_store(path=path, root=root, expect_sha256=expect_sha256)
    if isinstance(stored, str):
        return _failed(os.fsencode(path).decode("utf-8", "replace"), options, stored)
    blob = blob_register(sha256=stored.sha256, size=stored.size)
    return item_ingest_blob(blob=blob, name=stored.name, source=stored.source, options=options)


def item_ingest_bytes(*, data: bytes, name: str, source: str, options: IngestOptions,
                      source_url: str = "") -> IngestResult:
    sha, size = storage.put_bytes(data)
    blob = blob_register(sha256=sha, size=size)
    return item_ingest_blob(blob=blob, name=name, source=source, options=options, source_url=source_url)


def item_ingest_url(*, url: str, options: IngestOptions) -> IngestResult:
    """Fetch a web article (HTML) and ingest it; trafilatura extracts the text in the pipeline."""
    parsed = urllib.parse.urlsplit(url)
    if parsed.scheme not in {"http", "https"}:
        return _failed(url, options, _("Chỉ nhận địa chỉ http(s)."))
    request = urllib.request.Request(url, headers={"User-Agent": "sulieu-archive/0.1"})  # noqa: S310 (checked)
    try:
        with urllib.request.urlopen(request, timeout=URL_TIMEOUT) as response:  # noqa: S310 (scheme checked)
            data = response.read(max_bytes() + 1)
    except (OSError, ValueError) as exc:
        return _failed(url, options, _("Không tải được trang: %(error)s") % {"error": exc})
    if len(data) > max_bytes():
        return _failed(url, options, _("Trang quá lớn."))
    name = (Path(parsed.path).name or parsed.netloc) or "page"
    if not name.lower().endswith((".html", ".htm")):
        name += ".html"
    options.kind = options.kind or "webpage"
    return item_ingest_bytes(data=data, name=name, source=url, options=options, source_url=url)


def _failed(source: str, options: IngestOptions, error: str) -> IngestResult:
    IngestRecord.objects.create(channel=options.channel, source=source, name=Path(source).name[:500],
                                outcome=IngestRecord.Outcome.FAILED, error=error, by=_user(options))
    return IngestResult(source=source, outcome=IngestRecord.Outcome.FAILED, error=error)


# --- staff edits ---------------------------------------------------------------------------------

def item_update(*, item: Item, by: Any, fields: dict[str, Any]) -> Item:
    """Staff correction of descriptive fields; corrected fields are locked against the describe step."""
    ensure_can(by, "archive.describe", item)
    unknown = set(fields) - set(DESCRIPTIVE_FIELDS)
    if unknown:
        raise ValueError("not editable: %s" % ", ".join(sorted(unknown)))
    with transaction.atomic():
        before = snapshot(item)
        for key, value in fields.items():
            setattr(item, key, value)
        after = snapshot(item)
        changes = diff(before, after)
        changed = {key for key in fields if any(k in (key, key + "_id") for k in changes)}
        item.locked_fields = sorted(set(item.locked_fields) | changed)
        item.save()
        if changes:
            audit(item, "wagtail.edit", by=by, changes=changes)
            event_record(item=item, kind=ItemEvent.Kind.EDITED, by=by, data={"fields": sorted(changed)})
        transaction.on_commit(lambda: _reindex([item.pk]))
    return item


def page_text_correct(*, page: ItemPage, by: Any, text: str) -> PageTextVersion:
    """Save a corrected text of a page as a new version; earlier versions (the OCR) stay."""
    ensure_can(by, "archive.correct_text", page.item)
    with transaction.atomic():
        page = ItemPage.objects.select_for_update().get(pk=page.pk)
        if not page.versions.exists():
            # A page from before versioning: keep what it had as version 1.
            PageTextVersion.objects.create(page=page, version=1, text=page.text, source="extracted",
                                           confidence=page.ocr_confidence)
        last = page.versions.order_by("-version").first()
        version = PageTextVersion.objects.create(page=page, version=(last.version if last else 0) + 1, text=text,
                                                 source=PageTextVersion.Source.CORRECTION, by=by)
        old = page.text
        page.text = text
        page.save(update_fields=["text"])
        audit(page.item, "archive.text_correct", by=by, changes={"page_%d" % page.n: [old[:200], text[:200]]})
        event_record(item=page.item, kind=ItemEvent.Kind.TEXT_CORRECTED, by=by,
                     data={"page": page.n, "version": version.version})
        item_id = page.item_id
        transaction.on_commit(lambda: _reindex([item_id]))
    return version


def duplicate_decide(*, candidate: DuplicateCandidate, by: Any, decision: str) -> DuplicateCandidate:
    """Merge (the newer item points to the one kept; nothing is deleted) or keep both."""
    ensure_can(by, "archive.merge", candidate.item)
    if decision not in (DuplicateCandidate.Decision.MERGED, DuplicateCandidate.Decision.KEPT):
        raise ValueError(decision)
    with transaction.atomic():
        candidate.decision = decision
        candidate.decided_by = by
        candidate.decided_at = timezone.now()
        candidate.save()
        if decision == DuplicateCandidate.Decision.MERGED:
            item, other = candidate.item, candidate.other
            item.merged_into = other
            item.save(update_fields=["merged_into", "updated_at"])
            audit(item, "archive.merge", by=by, changes={"merged_into": [None, other.pk]})
            event_record(item=item, kind=ItemEvent.Kind.MERGED, by=by, data={"into": other.pk})
            event_record(item=other, kind=ItemEvent.Kind.MERGED, by=by, data={"from": item.pk})
            transaction.on_commit(lambda: _reindex([item.pk, other.pk]))
        else:
            audit(candidate.item, "archive.duplicate_keep", by=by, data={"other": candidate.other_id})
    return candidate


def _reindex(item_ids: list[int]) -> None:
    items_index.enqueue(item_ids=list(item_ids))


# --- hierarchy -----------------------------------------------------------------------------------

def collection_create(*, by: Any, title: str, kind: str = "file", code: str = "", parent: Collection | None = None,
                      org_unit: OrgUnit | None = None, access: str = AccessLevel.INTERNAL,
                      **fields: Any) -> Collection:
    target = parent if parent is not None else (type("U", (), {"org_unit": org_unit})() if org_unit else None)
    if by is not None:
        ensure_can(by, "archive.describe", target)
    with transaction.atomic():
        collection = Collection.objects.create(
            title=title, kind=kind, code=code, parent=parent,
            org_unit=org_unit if org_unit is not None else (parent.org_unit if parent else None),
            access=access, **fields)
        tree_place(collection)
        audit(collection, "wagtail.create", by=by, changes=diff({}, snapshot(collection)))
    return collection


def collection_update(*, collection: Collection, by: Any, fields: dict[str, Any]) -> Collection:
    """Change a node of the hierarchy; a new parent moves its whole subtree (and its items' index)."""
    ensure_can(by, "archive.describe", collection)
    with transaction.atomic():
        before = snapshot(collection)
        for key, value in fields.items():
            setattr(collection, key, value)
        collection.save()
        if "parent" in fields:
            tree_move(collection)
        changes = diff(before, snapshot(collection))
        if changes:
            audit(collection, "wagtail.edit", by=by, changes=changes)
            item_ids = list(Item.objects.filter(collection__path__startswith=collection.path)
                            .values_list("pk", flat=True))
            if item_ids:
                transaction.on_commit(lambda: _reindex(item_ids))
    return collection


def collection_get_or_create(*, by: Any, code: str, title: str, **kwargs: Any) -> tuple[Collection, bool]:
    existing = Collection.objects.filter(code=code, parent=kwargs.get("parent")).first()
    if existing is not None:
        return existing, False
    return collection_create(by=by, code=code, title=title, **kwargs), True

