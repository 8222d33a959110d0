"""sulieu ingest PATH… — import files, folders and web article URLs into the archive."""

from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from archive.cli_options import SAFETY_RULE, add_ingest_arguments, ingest_options_from
from archive.ingest import ingest_sources, summarise


class Command(BaseCommand):
    help = ("Import files, folders (recursive) and web article URLs; waits until they are processed. "
            + SAFETY_RULE)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", help="files, folders or http(s) URLs of web articles")
        parser.add_argument("--json", action="store_true", help="print the summary as JSON")
        parser.add_argument("--no-wait", action="store_true", help="register and queue only; a worker processes")
        add_ingest_arguments(parser)
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        ingest_options = ingest_options_from(options, channel="cli")
        show_progress = not options["no_progress"] and sys.stderr.isatty() or options.get("verbosity", 1) > 1
        from tqdm import tqdm

        bar = tqdm(desc="nhập tệp", unit="tệp", file=sys.stderr, disable=not show_progress)
        results = ingest_sources(options["paths"], options=ingest_options, follow_links=options["follow_links"],
                                 on_file=lambda r: bar.update(1))
        bar.close()
        if not options["no_wait"]:
            from archive.runner import run_until_done

            ids = [r.item.pk for r in results if r.item is not None]
            work = tqdm(total=len(ids), desc="xử lý", unit="tài liệu", file=sys.stderr, disable=not show_progress)

            def progress(done: int, total: int) -> None:
                work.n = done
                work.refresh()

            run_until_done(ids, on_progress=progress)
            work.close()
        summary = summarise(results)
        if options["json"]:
            self.stdout.write(json.dumps(summary.as_dict(), ensure_ascii=False, indent=2))
        else:
            self.stdout.write("seen %(seen)d, imported %(imported)d, duplicates %(duplicates)d, failed %(failed)d"
                              % summary.as_dict())
            for failure in summary.failures:
                self.stdout.write("  failed: %s: %s" % (failure["path"], failure["error"]))
