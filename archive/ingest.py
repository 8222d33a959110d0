"""Batch ingest of files and folders (the ``sulieu ingest`` command and the watched folder use it)."""

from __future__ import annotations

import csv
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from archive.models import IngestRecord, Item, ItemStatus
from archive.services import IngestOptions, IngestResult, item_ingest_path, item_ingest_url

SKIP_NAMES = {".DS_Store", "Thumbs.db", "desktop.ini"}
METADATA_CSV = "metadata.csv"


def display_path(path: str | os.PathLike[str]) -> str:
    """A path as text that always encodes (undecodable bytes in names become U+FFFD)."""
    return os.fsencode(path).decode("utf-8", "replace")


def iter_files(paths: Iterable[str | os.PathLike[str]]) -> Iterator[Path]:
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs.sort()
                for name in sorted(files):
                    if name in SKIP_NAMES or name.startswith("._") or name == METADATA_CSV:
                        continue
                    yield Path(root) / name
        else:
            yield path


def read_metadata_csv(folder: Path) -> dict[str, dict[str, Any]]:
    """``metadata.csv`` beside the files: a ``file`` column and item fields (title, symbol, date_earliest…)."""
    target = folder / METADATA_CSV
    if not target.exists():
        return {}
    rows: dict[str, dict[str, Any]] = {}
    with open(target, encoding="utf-8-sig", newline="") as stream:
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

    def as_dict(self) -> dict[str, Any]:
        return {"seen": self.seen, "imported": self.imported, "duplicates": self.duplicates, "failed": self.failed,
                "items": self.items, "failures": self.failures}


def ingest_sources(sources: Iterable[str], *, options: IngestOptions,
                   on_file: Callable[[IngestResult], None] | None = None) -> list[IngestResult]:
    """Register every file under ``sources`` (and every http(s) URL) as an item, without processing."""
    from archive.storage import clean_tmp

    clean_tmp()
    results: list[IngestResult] = []
    csv_cache: dict[Path, dict[str, dict[str, Any]]] = {}
    base_metadata = dict(options.metadata or {})
    urls = [s for s in sources if str(s).startswith(("http://", "https://"))]
    paths = [s for s in sources if s not in urls]
    for url in urls:
        result = item_ingest_url(url=url, options=IngestOptions(**{**options.__dict__, "channel": "url"}))
        results.append(result)
        if on_file:
            on_file(result)
    for path in iter_files(paths):
        folder = path.parent
        if folder not in csv_cache:
            csv_cache[folder] = read_metadata_csv(folder)
        metadata = {**base_metadata, **csv_cache[folder].get(path.name, {})}
        result = item_ingest_path(path=path, options=IngestOptions(**{**options.__dict__, "metadata": metadata}))
        result.source = display_path(path)
        results.append(result)
        if on_file:
            on_file(result)
    return results


def summarise(results: list[IngestResult]) -> BatchSummary:
    """Counts after processing: each source is exactly one of imported, duplicates or failed."""
    summary = BatchSummary(seen=len(results), results=results)
    ids = [r.item.pk for r in results if r.item is not None]
    states: dict[int, tuple[str, str]] = {}
    for i in range(0, len(ids), 500):
        for pk, status, error in Item.objects.filter(pk__in=ids[i:i + 500]).values_list("pk", "status", "error"):
            states[pk] = (status, error)
    for result in results:
        if result.item is None:
            summary.failed += 1
            summary.failures.append({"path": result.source, "error": result.error})
            continue
        status, error = states.get(result.item.pk, ("", ""))
        if status == ItemStatus.FAILED:
            summary.failed += 1
            summary.failures.append({"path": result.source, "error": error, "id": result.item.pk})
        elif result.outcome == IngestRecord.Outcome.DUPLICATE:
            summary.duplicates += 1
            summary.items.append({"path": result.source, "id": result.item.pk, "duplicate": True,
                                  "status": status})
        else:
            summary.imported += 1
            summary.items.append({"path": result.source, "id": result.item.pk, "status": status})
    return summary
