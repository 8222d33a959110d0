from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser

from archive.models import Collection
from interop.ead import EadError, import_ead
from orgs.access import AccessLevel


class Command(BaseCommand):
    help = "Import an EAD3 or EAD 2002 finding aid as a collection tree (fonds → series → files)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--parent", help="code or id of the collection to put the tree under")
        parser.add_argument("--access", choices=[a.value for a in AccessLevel], default=AccessLevel.INTERNAL)
        parser.add_argument("--user", help="username recorded as the one who imported (default: an administrator)")
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
        parent = None
        if options["parent"]:
            ref = options["parent"]
            parent = Collection.objects.filter(code=ref).first() or (
                Collection.objects.filter(pk=int(ref)).first() if ref.isdigit() else None)
            if parent is None:
                raise CommandError("no collection %r" % ref, returncode=2)
        try:
            result = import_ead(path.read_bytes(), by=user, parent=parent, access=options["access"])
        except EadError as exc:
            raise CommandError(str(exc), returncode=2) from None
        except PermissionDenied:
            raise CommandError("user %s may not describe the archive here" % user, returncode=2) from None
        if options["json"]:
            self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False))
        else:
            self.stdout.write("%(collections)d collections made under %(root)s; %(skipped_items)d item-level "
                              "components left out (items need their files)" % result.as_dict())
