"""sulieu fixity — re-hash every stored file; exit status 1 when any is missing or altered."""

from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from archive.fixity import fixity_check


class Command(BaseCommand):
    help = "Re-hash every stored file (SHA-256); report mismatches and missing files (exit 1 when any)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        report = fixity_check(by=None)
        if options["json"]:
            self.stdout.write(json.dumps(report.summary(), ensure_ascii=False, indent=2))
        else:
            self.stdout.write("checked %d files: %d ok, %d altered, %d missing, %d orphans" % (
                report.checked, report.ok, len(report.mismatched), len(report.missing), len(report.orphans)))
            for entry in report.mismatched:
                self.stdout.write("  ALTERED %s (items %s)" % (entry["path"], entry["items"]))
            for entry in report.missing:
                self.stdout.write("  MISSING %s (items %s)" % (entry["path"], entry["items"]))
        if report.problems:
            sys.stdout.flush()
            raise SystemExit(1)
