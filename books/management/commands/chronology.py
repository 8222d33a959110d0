"""sulieu chronology suggest --collection CODE [--json] [--user NAME] — dated sentences to confirm as events."""

from __future__ import annotations

import json
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from archive.models import Collection


class Command(BaseCommand):
    help = "Chronology: suggest events from the dated sentences of a collection's items."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        p = sub.add_parser("suggest", help="dated sentences from the items of a collection")
        p.add_argument("--collection", required=True, help="collection code or id")
        p.add_argument("--json", action="store_true")
        p.add_argument("--user", help="as this user sees the archive (default: an administrator)")
        p.add_argument("--limit", type=int, default=5000)

    def handle(self, *args: Any, **options: Any) -> None:
        from books.chronology import suggest_events

        ref = options["collection"]
        collection = Collection.objects.filter(code=ref).first() or (
            Collection.objects.filter(pk=int(ref)).first() if ref.isdigit() else None)
        if collection is None:
            raise CommandError("no collection %r" % ref, returncode=2)
        User = get_user_model()
        if options["user"]:
            user = User.objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError("no user %r" % options["user"], returncode=2)
        else:
            user = User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
        suggestions = suggest_events(user=user, collection=collection, limit=max(1, options["limit"]))
        if options["json"]:
            self.stdout.write(json.dumps({"suggestions": [s.to_dict() for s in suggestions]}, ensure_ascii=False))
            return
        for s in suggestions:
            self.stdout.write("%s  %-6s #%d tr.%d  %s" % (s.date, s.precision, s.item_id, s.page, s.text[:100]))
