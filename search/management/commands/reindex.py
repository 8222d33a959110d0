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

    def handle(self, *args: Any, **options: Any) -> None:
        from tqdm import tqdm

        total = sources.archive_count()
        started = time.perf_counter()
        with tqdm(total=total, unit="item", desc="reindex", file=sys.stderr,
                  disable=options["quiet"]) as bar:
            items, passages = services.reindex_all(batch=options["batch"], progress=bar.update)
        took = time.perf_counter() - started
        self.stdout.write(f"indexed {items} items, {passages} passages in {took:.1f} s")
