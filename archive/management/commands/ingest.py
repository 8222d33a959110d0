"""sulieu ingest PATH… — import files, folders and web article URLs into the archive."""

from __future__ import annotations

import json
import resource
import sys
import time
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
        started, cpu_started = time.perf_counter(), time.process_time()
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
        report = summary.as_dict()
        # ru_maxrss is in KiB on Linux: the peak resident memory of this process over the whole run.
        report.update(wall_seconds=round(time.perf_counter() - started, 3),
                      cpu_seconds=round(time.process_time() - cpu_started, 3),
                      peak_rss_mb=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1))
        if options["json"]:
            self.stdout.write(json.dumps(report, ensure_ascii=False, indent=2))
        else:
            self.stdout.write("seen %(seen)d, imported %(imported)d, duplicates %(duplicates)d, failed %(failed)d"
                              % report)
            for kind, counts in sorted(report["by_type"].items()):
                self.stdout.write("  %s: seen %d, imported %d, duplicates %d, failed %d" % (
                    kind, counts["seen"], counts["imported"], counts["duplicates"], counts["failed"]))
            self.stdout.write("%(wall_seconds).1f s, %(cpu_seconds).1f CPU-s, peak memory %(peak_rss_mb).0f MB"
                              % report)
            for failure in summary.failures:
                self.stdout.write("  failed: %s: %s" % (failure["path"], failure["error"]))
