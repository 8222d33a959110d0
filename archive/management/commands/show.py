"""sulieu show ITEM_ID — an item's metadata, events and the current text of each page."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from archive.export import item_as_dict
from archive.models import Item


class Command(BaseCommand):
    help = "Print an item: metadata, files, events, references and the text of each page."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("item_id", type=int)
        parser.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        item = Item.objects.filter(pk=options["item_id"]).select_related("original", "collection", "org_unit").first()
        if item is None:
            raise CommandError("no item %s" % options["item_id"])
        data = item_as_dict(item, pages=True, events=True)
        if options["json"]:
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str))
            return
        for key in ("id", "title", "kind", "status", "symbol", "doc_type_name", "issuer_name", "date_text",
                    "date_earliest", "access", "format", "page_count", "sha256", "error"):
            if data.get(key) not in (None, "", []):
                self.stdout.write("%-14s %s" % (key, data[key]))
        if data["refers_to"]:
            self.stdout.write("refers to      %s" % ", ".join(r["symbol"] for r in data["refers_to"]))
        if data["referred_by"]:
            self.stdout.write("referred by    %s" % ", ".join(str(r["id"]) for r in data["referred_by"]))
        self.stdout.write("events:")
        for event in data["events"]:
            self.stdout.write("  %s %-16s %-8s %s" % (event["at"][:19], event["kind"], event["outcome"],
                                                      event["detail"]))
        for page in data["pages"]:
            conf = "" if page["ocr_confidence"] is None else " (OCR %.0f%%)" % page["ocr_confidence"]
            self.stdout.write("\n--- page %d%s ---\n%s" % (page["n"], conf, page["text"]))
