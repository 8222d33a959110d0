from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from interop.backup import BackupError, backup


class Command(BaseCommand):
    help = "Back up the database, the file store and the secret key into one file (FILE.tar or FILE.tar.gz)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        def say(message: str) -> None:
            print("sulieu backup: " + message, file=sys.stderr)

        try:
            summary = backup(Path(options["file"]), progress=None if options["json"] else say)
        except BackupError as exc:
            raise CommandError(str(exc), returncode=2) from None
        if options["json"]:
            self.stdout.write(json.dumps(summary.as_dict()))
        else:
            self.stdout.write("%(path)s: %(engine)s database, %(files)d files, %(bytes)d bytes" % summary.as_dict())
