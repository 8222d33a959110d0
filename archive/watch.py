"""A watched folder: files that appear are ingested once they have stopped changing.

A file is taken when two consecutive scans see the same size and modification time (a scanner or a
copy still writing it is left for the next scan). Files already taken with the same size and time are
not read again; after a restart every file is hashed once more and the ones already in the archive
count as duplicates, so nothing is imported twice.
"""

from __future__ import annotations

import os
from pathlib import Path

from archive.ingest import ingest_sources, iter_files
from archive.services import IngestOptions, IngestResult

IGNORED_SUFFIXES = (".part", ".tmp", ".crdownload", "~")


class FolderWatch:
    def __init__(self, folder: Path, options: IngestOptions) -> None:
        self.folder = folder
        self.options = options
        self._last_seen: dict[Path, tuple[int, float]] = {}
        self._taken: dict[Path, tuple[int, float]] = {}

    def scan(self) -> list[IngestResult]:
        """One pass over the folder; returns what was ingested in it."""
        current: dict[Path, tuple[int, float]] = {}
        for path in iter_files([self.folder]):
            if path.name.startswith(".") or path.name.endswith(IGNORED_SUFFIXES) or path.name == "metadata.csv":
                continue
            try:
                stat = os.stat(path)
            except OSError:
                continue  # vanished between listing and stat
            current[path] = (stat.st_size, stat.st_mtime)
        ready = [path for path, sig in current.items()
                 if self._last_seen.get(path) == sig and self._taken.get(path) != sig]
        self._last_seen = current
        results: list[IngestResult] = []
        for path in sorted(ready):
            results += ingest_sources([str(path)], options=self.options)
            self._taken[path] = current[path]
        return results
