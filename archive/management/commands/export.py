"""sulieu export bag TARGET [--collection CODE] — write items as a BagIt bag."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from archive.bags import BagError, bag_export
from archive.models import Collection


class Command(BaseCommand):
    help = "Export a collection (or the whole archive) as a BagIt bag: originals + metadata JSON/CSV."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("format", choices=["bag"])
        parser.add_argument("target", help="directory to create")
        parser.add_argument("--collection", help="collection code or id (default: everything)")

    def handle(self, *args: Any, **options: Any) -> None:
        collection = None
        if options["collection"]:
            ref = options["collection"]
            collection = Collection.objects.filter(code=ref).first() or (
                Collection.objects.filter(pk=int(ref)).first() if ref.isdigit() else None)
            if collection is None:
                raise CommandError("no collection %r" % ref)
        try:
            result = bag_export(target=Path(options["target"]), collection=collection)
        except BagError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write("bag written: %(path)s (%(items)d items)" % result)
