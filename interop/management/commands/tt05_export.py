from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from archive.models import Collection
from interop.tt05 import rows_for, write_table


class Command(BaseCommand):
    help = "Export the TT 05/2025 metadata of a collection's items as CSV or XLSX (the annex's column names)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("collection", help="code or id of the fonds / collection")
        parser.add_argument("file", help="FILE.csv or FILE.xlsx")
        parser.add_argument("--user", help="export what this user may see (default: the public)")

    def handle(self, *args: Any, **options: Any) -> None:
        ref = options["collection"]
        collection = Collection.objects.filter(code=ref).order_by("depth", "pk").first() or (
            Collection.objects.filter(pk=int(ref)).first() if ref.isdigit() else None)
        if collection is None:
            raise CommandError("no collection with code or id %r" % ref, returncode=2)
        path = Path(options["file"])
        if path.suffix.lower() not in {".csv", ".xlsx"}:
            raise CommandError("the file name must end in .csv or .xlsx", returncode=2)
        user = None
        if options["user"]:
            user = get_user_model().objects.filter(username=options["user"], is_active=True).first()
            if user is None:
                raise CommandError("no active user %r" % options["user"], returncode=2)
        rows = rows_for(collection, user=user)
        write_table(rows, path)
        self.stdout.write("%d items written to %s" % (len(rows), path))
