"""``sulieu reindex``: rebuild the search index from the archive, with progress."""

from __future__ import annotations

import sys
import time
from typing import Any

from django.core.management.base import BaseCommand

from search import services, sources


class Command(BaseCommand):
    help = "Rebuild the search index from the archive (with progress)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--batch", type=int, default=200)
        parser.add_argument("--quiet", action="store_true", help="no progress bar")
        parser.add_argument("--lists", action="store_true",
                            help="build the best-passage lists (SQLite, from LISTS_MIN passages) here, with "
                                 "progress, instead of in the background task queued at the end")

    def handle(self, *args: Any, **options: Any) -> None:
        from tqdm import tqdm

        total = sources.archive_count()
        started = time.perf_counter()
        with tqdm(total=total, unit="item", desc="reindex", file=sys.stderr,
                  disable=options["quiet"]) as bar:
            lists_bar: Any = None

            def lists(done: int, terms: int) -> None:
                nonlocal lists_bar
                if lists_bar is None:
                    lists_bar = tqdm(total=terms, unit="term", desc="lists", file=sys.stderr,
                                     disable=options["quiet"])
                lists_bar.update(done - lists_bar.n)

            items, passages = services.reindex_all(batch=options["batch"], progress=bar.update,
                                                   lists=lists if options["lists"] else None)
            if lists_bar is not None:
                lists_bar.close()
        took = time.perf_counter() - started
        self.stdout.write(f"indexed {items} items, {passages} passages in {took:.1f} s")
