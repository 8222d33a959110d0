from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from interop.tt05 import Tt05Error, import_rows, read_table


class Command(BaseCommand):
    help = "Correct items' metadata from a TT 05/2025 CSV or XLSX table (rows matched by Mã định danh tài liệu)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--user", help="who makes the corrections (default: an administrator)")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError("no file %s" % path, returncode=2)
        User = get_user_model()
        user = (User.objects.filter(username=options["user"], is_active=True).first() if options["user"]
                else User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first())
        if user is None:
            raise CommandError("no such user; create an administrator first or pass --user", returncode=2)
        try:
            rows = read_table(path)
        except Tt05Error as exc:
            raise CommandError(str(exc), returncode=2) from None
        result = import_rows(rows, by=user)
        if options["json"]:
            self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False))
        else:
            self.stdout.write("%(rows)d rows: %(updated)d updated, %(unchanged)d unchanged, %(failed)d failed"
                              % result.as_dict())
            for error in result.errors:
                self.stderr.write("  " + error)
        if result.failed:
            raise SystemExit(1)
