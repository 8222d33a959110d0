from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from archive.models import Collection
from interop.ead import EadError, export_ead


class Command(BaseCommand):
    help = "Export a fonds (and everything under it) as an EAD3 or EAD 2002 finding aid, validated."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("fonds", help="code or id of the fonds (or any collection)")
        parser.add_argument("file", nargs="?", help="output file (default: standard output)")
        parser.add_argument("--format", choices=["ead3", "ead2002"], default="ead3")
        parser.add_argument("--user", help="export what this user may see (default: the public finding aid)")

    def handle(self, *args: Any, **options: Any) -> None:
        ref = options["fonds"]
        fonds = Collection.objects.filter(code=ref).order_by("depth", "pk").first() or (
            Collection.objects.filter(pk=int(ref)).first() if ref.isdigit() else None)
        if fonds is None:
            raise CommandError("no collection with code or id %r" % ref, returncode=2)
        user = None
        if options["user"]:
            user = get_user_model().objects.filter(username=options["user"], is_active=True).first()
            if user is None:
                raise CommandError("no active user %r" % options["user"], returncode=2)
        try:
            data = export_ead(fonds, user=user, version=options["format"])
        except EadError as exc:
            raise CommandError(str(exc), returncode=2) from None
        if options["file"]:
            Path(options["file"]).write_bytes(data)
        else:
            sys.stdout.buffer.write(data)
