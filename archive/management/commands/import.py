"""sulieu import bag SOURCE — validate a BagIt bag and ingest it (idempotent)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from archive.bags import BagError, bag_import, restore_page_texts
from archive.runner import run_until_done


class Command(BaseCommand):
    help = ("Import a BagIt bag written by 'sulieu export bag' (validated first; re-import adds nothing). "
            "Nothing outside the bag is read: a bag holding a symbolic link, a device or a FIFO is refused; "
            "each original named in data/items.json must be inside the bag's data/, listed in its SHA-256 "
            "manifest and match that checksum, else it is refused (the rest goes on). Every bag error is one "
            "line and exit status 2.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("format", choices=["bag"])
        parser.add_argument("source")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = bag_import(source=Path(options["source"]))
        except BagError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        ids = [r.item.pk for r, _record in result["results"] if r.item is not None]
        run_until_done(ids)
        restored = restore_page_texts(result["results"])
        summary = {k: result[k] for k in ("imported", "duplicates", "failed")} | {"texts_restored": restored}
        failures = [{"path": r.source, "error": r.error} for r, _record in result["results"] if r.item is None]
        if options["json"]:
            self.stdout.write(json.dumps(summary | {"failures": failures}, ensure_ascii=False))
        else:
            self.stdout.write("imported %(imported)d, duplicates %(duplicates)d, failed %(failed)d" % summary)
            for failure in failures:
                self.stdout.write("  failed: %s: %s" % (failure["path"], " ".join(failure["error"].split())))
        if failures:
            raise CommandError("%d file(s) of the bag refused" % len(failures), returncode=2)
