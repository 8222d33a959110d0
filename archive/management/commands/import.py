"""sulieu import bag SOURCE — validate a BagIt bag and ingest it (idempotent)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from archive.bags import BagError, bag_import, restore_page_texts
from archive.runner import run_until_done


class Command(BaseCommand):
    help = "Import a BagIt bag written by 'sulieu export bag' (validated first; re-import adds nothing)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("format", choices=["bag"])
        parser.add_argument("source")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = bag_import(source=Path(options["source"]))
        except BagError as exc:
            raise CommandError(str(exc)) from exc
        ids = [r.item.pk for r, _record in result["results"] if r.item is not None]
        run_until_done(ids)
        restored = restore_page_texts(result["results"])
        summary = {k: result[k] for k in ("imported", "duplicates", "failed")} | {"texts_restored": restored}
        if options["json"]:
            self.stdout.write(json.dumps(summary))
        else:
            self.stdout.write("imported %(imported)d, duplicates %(duplicates)d, failed %(failed)d" % summary)
