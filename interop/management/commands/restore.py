from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from interop.backup import BackupError, restore


class Command(BaseCommand):
    help = "Restore a backup made by 'sulieu backup' into an empty data directory (then migrate)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        def say(message: str) -> None:
            print("sulieu restore: " + message, file=sys.stderr)

        try:
            result = restore(Path(options["file"]), progress=None if options["json"] else say)
        except BackupError as exc:
            raise CommandError(str(exc), returncode=2) from None
        if options["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False))
        else:
            self.stdout.write("restored %(restored)s (%(engine)s, %(files)d files, made by sulieu %(made_by)s)" % result)
