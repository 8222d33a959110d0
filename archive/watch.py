"""A watched folder: files that appear are ingested once they have stopped changing.

A file is taken when two consecutive scans see the same size and modification time (a scanner or a
copy still writing it is left for the next scan). Files already taken with the same size and time are
not read again; after a restart every file is hashed once more and the ones already in the archive
count as duplicates, so nothing is imported twice.

Only regular files inside the folder are taken (archive.safepaths): a symbolic link is reported once as
"liên kết tượng trưng: bỏ qua" (with ``follow_links``, one that stays inside the folder is taken), and
nothing under the data directory is ever read.
"""

from __future__ import annotations

import os
from pathlib import Path

from archive import safepaths
from archive.ingest import ingest_entry, iter_entries
from archive.services import IngestOptions, IngestResult

IGNORED_SUFFIXES = (".part", ".tmp", ".crdownload", "~")


class FolderWatch:
    def __init__(self, folder: Path, options: IngestOptions, *, follow_links: bool = False) -> None:
        self.folder = folder
        self.options = options
        self.follow_links = follow_links
        self._last_seen: dict[Path, tuple[int, float]] = {}
        self._taken: dict[Path, tuple[int, float]] = {}
        self._refused: set[tuple[Path, str]] = set()

    def scan(self) -> list[IngestResult]:
        """One pass over the folder; returns what was ingested (or refused, once per path) in it."""
        current: dict[Path, tuple[int, float]] = {}
        found: dict[Path, safepaths.Found] = {}
        results: list[IngestResult] = []
        for entry in iter_entries([self.folder], follow_links=self.follow_links):
            name = entry.shown.name
            if name.startswith(".") or name.endswith(IGNORED_SUFFIXES):
                continue
            if isinstance(entry, safepaths.Refused):
                if (entry.shown, entry.reason) not in self._refused:
                    self._refused.add((entry.shown, entry.reason))
                    results.append(ingest_entry(entry, options=self.options))
                continue
            try:
                stat = os.stat(entry.path, follow_symlinks=False)
            except OSError:
                continue  # vanished between listing and stat
            current[entry.shown] = (stat.st_size, stat.st_mtime)
            found[entry.shown] = entry
        ready = [path for path, sig in current.items()
                 if self._last_seen.get(path) == sig and self._taken.get(path) != sig]
        self._last_seen = current
        for path in sorted(ready):
            results.append(ingest_entry(found[path], options=self.options))
            self._taken[path] = current[path]
        return results
