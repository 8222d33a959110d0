from __future__ import annotations

import json
import sys
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from interop.harvest import HarvestError, HarvestReport, harvest


class Command(BaseCommand):
    help = "Harvest an OAI-PMH provider (another sulieu, AtoM, DSpace) into catalogue records, incrementally."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("url", help="the provider's base URL, e.g. https://tinh.example.vn/oai")
        parser.add_argument("--set", default="", dest="set_spec", help="harvest only this set (setSpec)")
        parser.add_argument("--collection", help="code of the collection the records go into "
                                                 "(created when missing; default: one per source)")
        parser.add_argument("--json", action="store_true", help="print the counts as JSON")
        parser.add_argument("--user", help="username recorded as the one who harvested (default: an administrator)")
        parser.add_argument("--no-wait", action="store_true", help="leave the new records to the background worker")

    def handle(self, *args: Any, **options: Any) -> None:
        User = get_user_model()
        if options["user"]:
            user = User.objects.filter(username=options["user"], is_active=True).first()
            if user is None:
                raise CommandError("no active user %r" % options["user"], returncode=2)
        else:
            user = User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
            if user is None:
                raise CommandError("no administrator yet: create one with 'sulieu createadmin NAME' or pass --user", returncode=2)

        def progress(report: HarvestReport) -> None:
            if not options["json"]:
                print("… %(seen)d seen, %(imported)d imported, %(updated)d updated" % report.as_dict(),
                      file=sys.stderr)

        try:
            report = harvest(url=options["url"], by=user, set_spec=options["set_spec"],
                             collection_code=options["collection"], progress=progress)
        except HarvestError as exc:
            raise CommandError(str(exc), returncode=2) from None
        if (report.imported or report.updated) and not options["no_wait"]:
            call_command("worker", batch=True, verbosity=0)
        summary = report.as_dict()
        if options["json"]:
            self.stdout.write(json.dumps(summary, ensure_ascii=False))
        else:
            self.stdout.write("%(seen)d seen: %(imported)d imported, %(updated)d updated, %(deleted)d deleted, "
                              "%(failed)d failed, %(unchanged)d unchanged" % summary)
            for error in report.errors:
                self.stderr.write("  " + error)
        if report.failed:
            raise SystemExit(1)
