"""Options shared by the commands that bring files in (`sulieu ingest`, `sulieu watch`)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError, CommandParser

from archive.models import Collection, ItemKind
from archive.services import IngestOptions
from orgs.access import AccessLevel
from orgs.models import OrgUnit


def add_ingest_arguments(parser: CommandParser) -> None:
    parser.add_argument("--collection", help="collection (phông/hồ sơ) code or id the items belong to")
    parser.add_argument("--access", choices=[a.value for a in AccessLevel], default=AccessLevel.INTERNAL)
    parser.add_argument("--unit", help="owning org unit (id or code); default: the collection's")
    parser.add_argument("--kind", choices=[k.value for k in ItemKind], default="",
                        help="force the kind (photo: no OCR text expected)")
    parser.add_argument("--user", help="username recorded as the one who ingested")
    parser.add_argument("--follow-links", action="store_true",
                        help="follow symbolic links that stay inside the given folder (a link leading outside "
                             "it is still refused); without it every link is reported and skipped")


SAFETY_RULE = (
    "Only regular files inside the folder given are read: a symbolic link (to a file or a folder) is "
    "reported as 'liên kết tượng trưng: bỏ qua' unless --follow-links, and even then a link that leads "
    "outside the folder is refused; devices, FIFOs and sockets are refused; files under the data "
    "directory are never imported. Paths are resolved once and opened without following links."
)


def _by_code_or_id(model: Any, ref: str) -> Any:
    return model.objects.filter(code=ref).first() or (model.objects.filter(pk=int(ref)).first()
                                                        if ref.isdigit() else None)


def ingest_options_from(options: dict[str, Any], *, channel: str) -> IngestOptions:
    """IngestOptions from parsed command options; a clear CommandError for an unknown reference."""
    collection = None
    if options.get("collection"):
        collection = _by_code_or_id(Collection, options["collection"])
        if collection is None:
            raise CommandError("no collection with code or id %r" % options["collection"])
    unit = None
    if options.get("unit"):
        unit = _by_code_or_id(OrgUnit, options["unit"])
        if unit is None:
            raise CommandError("no org unit %r" % options["unit"])
    user = None
    if options.get("user"):
        user = get_user_model().objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError("no user %r" % options["user"])
    return IngestOptions(by=user, collection=collection, org_unit=unit, access=options["access"],
                         kind=options.get("kind") or "", channel=channel)
