"""Batch ingest of files and folders (the ``sulieu ingest`` command and the watched folder use it)."""

from __future__ import annotations

import csv
import io
import itertools
import logging
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import connection, transaction
from django.utils.translation import gettext as _
from wagtail.signal_handlers import reference_index_auto_update_disabled
from wagtail.tasks import update_reference_index_task

from archive import queue, safepaths
from archive.models import Blob, IngestRecord, Item, ItemEvent, ItemFile, ItemPlace, ItemStatus
from archive.records import rows_insert_many, rows_insert_returning
from archive.services import (
    IngestOptions,
    IngestResult,
    StoredFile,
    file_store,
    item_build,
    item_ingest_path,
    item_ingest_url,
    items_enqueue_first,
)

log = logging.getLogger("sulieu.archive.ingest")

SKIP_NAMES = {".DS_Store", "Thumbs.db", "desktop.ini"}
METADATA_CSV = "metadata.csv"


def display_path(path: str | os.PathLike[str]) -> str:
    """A path as text that always encodes (undecodable bytes in names become U+FFFD)."""
    return safepaths.display_path(path)


def skipped_name(name: str) -> bool:
    return name in SKIP_NAMES or name.startswith("._") or name == METADATA_CSV


def iter_entries(paths: Iterable[str | os.PathLike[str]], *,
                 follow_links: bool = False) -> Iterator[safepaths.Found | safepaths.Refused]:
    """Files to import under ``paths`` and the entries refused (links, devices, the data directory…)."""
    for raw in paths:
        for entry in safepaths.walk(raw, follow_links=follow_links):
            if not skipped_name(entry.shown.name):
                yield entry


def iter_files(paths: Iterable[str | os.PathLike[str]], *, follow_links: bool = False) -> Iterator[Path]:
    """The importable files under ``paths`` (as listed; see :func:`iter_entries` for the refused ones)."""
    for entry in iter_entries(paths, follow_links=follow_links):
        if isinstance(entry, safepaths.Found):
            yield entry.shown


def read_metadata_csv(folder: Path, *, root: Path | None = None) -> dict[str, dict[str, Any]]:
    """``metadata.csv`` beside the files: a ``file`` column and item fields (title, symbol, date_earliest…).

    Read like the files themselves: inside ``root``, never through a link.
    """
    target = folder / METADATA_CSV
    try:
        raw = safepaths.open_regular(target, root=root or folder)
    except (safepaths.Refusal, OSError):
        return {}
    rows: dict[str, dict[str, Any]] = {}
    with raw, io.TextIOWrapper(raw, encoding="utf-8-sig", newline="") as stream:
        for row in csv.DictReader(stream):
            name = (row.pop("file", "") or "").strip()
            if not name:
                continue
            values: dict[str, Any] = {}
            for key, value in row.items():
                value = (value or "").strip()
                if not key or not value:
                    continue
                if key in {"keywords", "places"}:
                    values[key] = [v.strip() for v in value.split(";") if v.strip()]
                else:
                    values[key] = value
            rows[name] = values
    return rows


@dataclass
class BatchSummary:
    seen: int = 0
    imported: int = 0
    duplicates: int = 0
    failed: int = 0
    items: list[dict[str, Any]] = field(default_factory=list)
    failures: list[dict[str, Any]] = field(default_factory=list)
    results: list[IngestResult] = field(default_factory=list)
    by_type: dict[str, dict[str, int]] = field(default_factory=dict)  # file extension -> the same four counts

    def as_dict(self) -> dict[str, Any]:
        return {"seen": self.seen, "imported": self.imported, "duplicates": self.duplicates, "failed": self.failed,
                "by_type": self.by_type, "items": self.items, "failures": self.failures}

    def count(self, source: str, outcome: str) -> None:
        self.seen += 1
        setattr(self, outcome, getattr(self, outcome) + 1)
        counts = self.by_type.setdefault(source_type(source),
                                         {"seen": 0, "imported": 0, "duplicates": 0, "failed": 0})
        counts["seen"] += 1
        counts[outcome] += 1


def source_type(source: str) -> str:
    """What ``by_type`` counts a source as: its file extension in lower case, ``url`` for a web address."""
    if source.startswith(("http://", "https://")):
        return "url"
    name = source.replace("\\", "/").rsplit("/", 1)[-1]
    stem, dot, ext = name.rpartition(".")
    return ext.lower()[:16] if dot and stem and ext else "(none)"


REGISTER_BATCH = 50  # files registered per transaction by ingest_sources


def ingest_sources(sources: Iterable[str], *, options: IngestOptions, follow_links: bool = False,
                   on_file: Callable[[IngestResult], None] | None = None) -> list[IngestResult]:
    """Register every file under ``sources`` (and every http(s) URL) as an item, without processing.

    Only regular files inside each source are read (archive.safepaths); links, devices and the data
    directory come back as failed results with the reason, and the batch goes on.

    Files are registered :data:`REGISTER_BATCH` at a time: each file's bytes are stored, then the batch's rows
    (blobs, items, original files, ingest records, events) are written together in one transaction, and the
    first steps of its new items queued in one insert after it commits. A file that fails is recorded alone
    with its error and the others go on (if the batch's write itself fails, its files are registered again one
    by one, each in its own savepoint). ``on_file`` hears of a file once its batch is committed; a run
    interrupted mid-batch leaves that batch unregistered (the source files are untouched: running it again
    registers them, the stored bytes found again by their hash).
    """
    from archive.storage import clean_tmp

    clean_tmp()
    results: list[IngestResult] = []
    urls = [s for s in sources if str(s).startswith(("http://", "https://"))]
    paths = [s for s in sources if s not in urls]
    for url in urls:
        result = item_ingest_url(url=url, options=IngestOptions(**{**options.__dict__, "channel": "url"}))
        results.append(result)
        if on_file:
            on_file(result)
    csv_cache: dict[Path, dict[str, dict[str, Any]]] = {}
    entries = iter_entries(paths, follow_links=follow_links)
    while chunk := list(itertools.islice(entries, REGISTER_BATCH)):
        done, queued = _register_batch(chunk, options, csv_cache)
        items_enqueue_first(queued)
        for result in done:
            results.append(result)
            if on_file:
                on_file(result)
    return results


@dataclass
class _Prepared:
    """One entry of a batch before its rows are written: stored bytes and its options, or why it failed."""

    shown: str  # the path as listed (IngestResult.source)
    source: str  # the path recorded (IngestRecord.source)
    name: str
    options: IngestOptions
    stored: StoredFile | None = None
    error: str = ""


def _register_batch(chunk: list[safepaths.Found | safepaths.Refused], options: IngestOptions,
                    csv_cache: dict[Path, dict[str, dict[str, Any]]]) -> tuple[list[IngestResult], list[int]]:
    """Register one batch: its results and the ids of its new items (to queue once it is committed)."""
    prepared = [_prepare(entry, options, csv_cache) for entry in chunk]
    if connection.features.can_return_rows_from_bulk_insert:  # SQLite ≥ 3.35 and PostgreSQL: the bulk path
        try:
            with transaction.atomic():
                return _rows_write(prepared)
        except Exception:  # e.g. a metadata.csv value the database refuses: find which file, one at a time
            log.warning("registering %d files together failed; one by one", len(chunk), exc_info=True)
    queued: list[int] = []
    batch_options = IngestOptions(**{**options.__dict__, "enqueue_later": queued})
    with transaction.atomic():
        done = [_register_one(entry, batch_options, csv_cache) for entry in chunk]
    return done, queued


def _prepare(entry: safepaths.Found | safepaths.Refused, options: IngestOptions,
             csv_cache: dict[Path, dict[str, dict[str, Any]]]) -> _Prepared:
    """Read and store one entry's bytes (no database write); an entry that cannot be is a failure."""
    shown = display_path(entry.shown)
    if isinstance(entry, safepaths.Refused):
        return _Prepared(shown=shown, source=shown, name=shown.rsplit("/", 1)[-1], options=options,
                         error=entry.reason)
    source = os.fsencode(entry.path).decode("utf-8", "replace")
    try:
        folder = entry.path.parent
        if folder not in csv_cache:
            csv_cache[folder] = read_metadata_csv(folder, root=entry.root)
        metadata = {**(options.metadata or {}), **csv_cache[folder].get(entry.shown.name, {})}
        file_options = IngestOptions(**{**options.__dict__, "metadata": metadata})
        stored = file_store(path=entry.path, root=entry.root)
    except Exception as exc:  # one broken file must not take its batch with it
        log.exception("ingest of %s failed", shown)
        return _Prepared(shown=shown, source=source, name=Path(source).name, options=options,
                         error=_("Lỗi khi nhập: %(error)s") % {"error": exc})
    if isinstance(stored, str):
        return _Prepared(shown=shown, source=source, name=Path(source).name, options=options, error=stored)
    return _Prepared(shown=shown, source=stored.source, name=stored.name, options=file_options, stored=stored)


def _rows_write(prepared: list[_Prepared]) -> tuple[list[IngestResult], list[int]]:
    """The rows of a batch in a few statements: blobs (one insert skipping known hashes, one read), the items
    already holding these bytes (one read), new items, original files, ingest records and events (one insert
    each), Wagtail's reference-index tasks for the new items (one insert). Byte-identical files, in the archive
    or earlier in the batch, become duplicates of the item holding those bytes.  Needs a database that returns
    the ids of a bulk insert (the caller checks)."""
    sizes = {p.stored.sha256: p.stored.size for p in prepared if p.stored is not None}
    blobs: dict[str, Blob] = {}
    holders: dict[int, Item] = {}
    if sizes:
        Blob.objects.bulk_create([Blob(sha256=sha, size=size) for sha, size in sizes.items()],
                                 ignore_conflicts=True)
        blobs = {blob.sha256: blob for blob in Blob.objects.filter(sha256__in=list(sizes))}
        holders = {item.original_id: item for item in Item.objects.filter(original__in=list(blobs.values()))}
    new: list[Item] = []
    outcomes: list[tuple[_Prepared, Item | None, str]] = []
    for p in prepared:
        if p.stored is None:
            outcomes.append((p, None, IngestRecord.Outcome.FAILED))
            continue
        blob = blobs[p.stored.sha256]
        item = holders.get(blob.pk)
        if item is None:
            item = holders[blob.pk] = item_build(blob=blob, name=p.name, options=p.options)
            new.append(item)
            outcomes.append((p, item, IngestRecord.Outcome.IMPORTED))
        else:
            outcomes.append((p, item, IngestRecord.Outcome.DUPLICATE))
    rows_insert_returning(new)  # bulk_create, with plain values taken as they are
    for item in new:
        if item.places:  # from metadata.csv: the place index rows, as Item.save makes them
            ItemPlace.sync(item, fresh=True)
    rows_insert_many([ItemFile(item=item, blob=item.original, role=ItemFile.Role.ORIGINAL,
                                           name=item.original_name) for item in new])
    records, events, results = [], [], []
    for p, item, outcome in outcomes:
        user = p.options.by if getattr(p.options.by, "is_authenticated", False) else None
        if item is None:
            records.append(IngestRecord(channel=p.options.channel, source=p.source, name=p.name[:500],
                                        outcome=outcome, error=p.error, by=user))
            results.append(IngestResult(source=p.shown, outcome=outcome, error=p.error))
            continue
        assert p.stored is not None  # noqa: S101 (an item is only found or made for stored bytes)
        records.append(IngestRecord(item=item, blob=item.original, channel=p.options.channel, source=p.source,
                                    name=p.name[:500], outcome=outcome, by=user))
        if outcome == IngestRecord.Outcome.IMPORTED:
            events.append(ItemEvent(item=item, kind=ItemEvent.Kind.INGESTED, detail=p.source[:5000], by=user,
                                    agent="sulieu", data={"channel": p.options.channel, "sha256": p.stored.sha256,
                                                          "size": p.stored.size, "name": p.name}))
        else:
            events.append(ItemEvent(item=item, kind=ItemEvent.Kind.DUPLICATE_RECEIVED, detail=p.source[:5000],
                                    by=user, agent="sulieu", data={"name": p.name}))
        results.append(IngestResult(source=p.shown, outcome=outcome, item=item))
    rows_insert_many(records)  # (their ids are not read back)
    rows_insert_many(events)
    if new and not getattr(reference_index_auto_update_disabled, "value", False):
        # What Wagtail's post_save handler queues for each item created by save() (bulk_create sends no signal).
        queue.enqueue_many(update_reference_index_task,
                           [(("archive", "item", str(item.pk)), {}) for item in new])
    return results, [item.pk for item in new]


def _register_one(entry: safepaths.Found | safepaths.Refused, options: IngestOptions,
                  csv_cache: dict[Path, dict[str, dict[str, Any]]]) -> IngestResult:
    queued = options.enqueue_later if options.enqueue_later is not None else []
    before = len(queued)
    try:
        with transaction.atomic():
            return ingest_entry(entry, options=options, csv_cache=csv_cache)
    except Exception as exc:  # one broken file must not take its batch with it
        log.exception("ingest of %s failed", display_path(entry.shown))
        del queued[before:]  # its item was rolled back with its savepoint
        return ingest_entry(safepaths.Refused(shown=entry.shown, reason=_("Lỗi khi nhập: %(error)s") % {
            "error": exc}), options=options)


def ingest_entry(entry: safepaths.Found | safepaths.Refused, *, options: IngestOptions,
                 csv_cache: dict[Path, dict[str, dict[str, Any]]] | None = None) -> IngestResult:
    """One listed entry: a refused one is recorded as a failure, a found file is ingested."""
    if isinstance(entry, safepaths.Refused):
        source = display_path(entry.shown)
        IngestRecord.objects.create(channel=options.channel, source=source, name=source.rsplit("/", 1)[-1][:500],
                                    outcome=IngestRecord.Outcome.FAILED, error=entry.reason,
                                    by=options.by if getattr(options.by, "is_authenticated", False) else None)
        return IngestResult(source=source, outcome=IngestRecord.Outcome.FAILED, error=entry.reason)
    csv_cache = {} if csv_cache is None else csv_cache
    folder = entry.path.parent
    if folder not in csv_cache:
        csv_cache[folder] = read_metadata_csv(folder, root=entry.root)
    metadata = {**(options.metadata or {}), **csv_cache[folder].get(entry.shown.name, {})}
    result = item_ingest_path(path=entry.path, root=entry.root,
                              options=IngestOptions(**{**options.__dict__, "metadata": metadata}))
    result.source = display_path(entry.shown)
    return result


def summarise(results: list[IngestResult]) -> BatchSummary:
    """Counts after processing: each source is exactly one of imported, duplicates or failed."""
    summary = BatchSummary(results=results)
    ids = [r.item.pk for r in results if r.item is not None]
    states: dict[int, tuple[str, str]] = {}
    for i in range(0, len(ids), 500):
        for pk, status, error in Item.objects.filter(pk__in=ids[i:i + 500]).values_list("pk", "status", "error"):
            states[pk] = (status, error)
    for result in results:
        if result.item is None:
            summary.count(result.source, "failed")
            summary.failures.append({"path": result.source, "error": result.error})
            continue
        status, error = states.get(result.item.pk, ("", ""))
        if status == ItemStatus.FAILED:
            summary.count(result.source, "failed")
            summary.failures.append({"path": result.source, "error": error, "id": result.item.pk})
        elif result.outcome == IngestRecord.Outcome.DUPLICATE:
            summary.count(result.source, "duplicates")
            summary.items.append({"path": result.source, "id": result.item.pk, "duplicate": True,
                                  "status": status})
        else:
            summary.count(result.source, "imported")
            summary.items.append({"path": result.source, "id": result.item.pk, "status": status})
    return summary
