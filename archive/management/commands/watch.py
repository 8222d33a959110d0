"""sulieu watch FOLDER — ingest every file that appears in a folder (a scanner's drop folder, a share)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from archive.cli_options import SAFETY_RULE, add_ingest_arguments, ingest_options_from
from archive.ingest import iter_files
from archive.watch import FolderWatch


class Command(BaseCommand):
    help = ("Watch a folder: files that appear (and stop growing) are ingested; workers process them. "
            + SAFETY_RULE)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder")
        parser.add_argument("--interval", type=float, default=5.0, help="seconds between scans")
        parser.add_argument("--once", action="store_true", help="scan twice (to see sizes settle), then exit")
        add_ingest_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        folder = Path(options["folder"])
        if not folder.is_dir():
            raise CommandError("%s is not a folder" % folder)
        watch = FolderWatch(folder, ingest_options_from(options, channel="watch"),
                            follow_links=options["follow_links"])
        self.stdout.write("watching %s (%d files already there are checked once)" %
                          (folder, sum(1 for _ in iter_files([folder], follow_links=options["follow_links"]))))
        rounds = 0
        try:
            while True:
                for result in watch.scan():
                    detail = (": " + result.error) if result.error else ""
                    self.stdout.write("%s  %s%s" % (result.source, result.outcome, detail))
                rounds += 1
                if options["once"] and rounds >= 2:
                    return
                time.sleep(options["interval"] if not options["once"] else 0.2)
        except KeyboardInterrupt:
            return
