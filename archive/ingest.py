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

from django.db import transaction
from django.utils.translation import gettext as _

from archive import safepaths
from archive.models import IngestRecord, Item, ItemStatus
from archive.services import (
    IngestOptions,
    IngestResult,
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

    Files are registered :data:`REGISTER_BATCH` at a time in one transaction (their first steps queued together
    after it), each in its own savepoint: a file that fails, even unexpectedly, is recorded alone with its error
    and the others go on. ``on_file`` hears of a file once its batch is committed; a run interrupted mid-batch
    leaves that batch unregistered (the source files are untouched: running it again registers them).
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
    queued: list[int] = []
    batch_options = IngestOptions(**{**options.__dict__, "enqueue_later": queued})
    entries = iter_entries(paths, follow_links=follow_links)
    while chunk := list(itertools.islice(entries, REGISTER_BATCH)):
        with transaction.atomic():
            done = [_register_one(entry, batch_options, csv_cache) for entry in chunk]
        items_enqueue_first(queued)
        queued.clear()
        for result in done:
            results.append(result)
            if on_file:
                on_file(result)
    return results


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
