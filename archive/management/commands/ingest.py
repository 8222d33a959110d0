"""sulieu ingest PATH… — import files, folders and web article URLs into the archive."""

from __future__ import annotations

import json
import sys
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from archive.ingest import ingest_sources, summarise
from archive.models import Collection, ItemKind
from archive.services import IngestOptions
from orgs.access import AccessLevel
from orgs.models import OrgUnit


class Command(BaseCommand):
    help = "Import files, folders (recursive) and web article URLs; waits until they are processed."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", help="files, folders or http(s) URLs of web articles")
        parser.add_argument("--json", action="store_true", help="print the summary as JSON")
        parser.add_argument("--no-wait", action="store_true", help="register and queue only; a worker processes")
        parser.add_argument("--collection", help="collection (phông/hồ sơ) code or id the items belong to")
        parser.add_argument("--access", choices=[a.value for a in AccessLevel], default=AccessLevel.INTERNAL)
        parser.add_argument("--unit", help="owning org unit (id or code); default: the collection's")
        parser.add_argument("--kind", choices=[k.value for k in ItemKind], default="",
                            help="force the kind (photo: no OCR text expected)")
        parser.add_argument("--user", help="username recorded as the one who ingested")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        collection = None
        if options["collection"]:
            ref = options["collection"]
            collection = (Collection.objects.filter(code=ref).first()
                          or (Collection.objects.filter(pk=int(ref)).first() if ref.isdigit() else None))
            if collection is None:
                raise CommandError("no collection with code or id %r" % ref)
        unit = None
        if options["unit"]:
            ref = options["unit"]
            unit = OrgUnit.objects.filter(code=ref).first() or (
                OrgUnit.objects.filter(pk=int(ref)).first() if ref.isdigit() else None)
            if unit is None:
                raise CommandError("no org unit %r" % ref)
        user = None
        if options["user"]:
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError("no user %r" % options["user"])
        ingest_options = IngestOptions(by=user, collection=collection, org_unit=unit, access=options["access"],
                                       kind=options["kind"], channel="cli")
        show_progress = not options["no_progress"] and sys.stderr.isatty() or options.get("verbosity", 1) > 1
        from tqdm import tqdm

        bar = tqdm(desc="nhập tệp", unit="tệp", file=sys.stderr, disable=not show_progress)
        results = ingest_sources(options["paths"], options=ingest_options, on_file=lambda r: bar.update(1))
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
