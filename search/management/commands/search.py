"""``sulieu search "query" [--json]``: ranked results as the given user (anonymous by default) may see them."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from core.paging import MAX_PAGE, deepest_page, page_arg, page_size_arg
from search.services import search_items


class Command(BaseCommand):
    help = "Search the archive (the query language of the search page) and print ranked results."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("query")
        parser.add_argument("--json", action="store_true", help="print the API's JSON")
        parser.add_argument("--page", type=page_arg, default=1,
                            help="page of results, 1 to %d (past the last page: the last page)" % MAX_PAGE)
        parser.add_argument("--page-size", type=page_size_arg, default=10, help="results per page, 1 to 100")
        parser.add_argument("--sort", choices=["relevance", "date"], default="relevance")
        parser.add_argument("--user", help="search as this user (default: anonymous public)")

    def handle(self, *args: Any, **options: Any) -> None:
        user = None
        if options["user"]:
            from django.contrib.auth import get_user_model

            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"no user {options['user']!r}")
        page = min(options["page"], deepest_page(options["page_size"]))
        results = search_items(user=user, query=options["query"], sort=options["sort"], page=page,
                               page_size=options["page_size"])
        if results.count and page > results.num_pages:  # past the end: the last page
            results = search_items(user=user, query=options["query"], sort=options["sort"],
                                   page=results.num_pages, page_size=options["page_size"])
        if options["json"]:
            self.stdout.write(json.dumps(results.to_dict(), ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"{results.count} results")
        import re

        start = (results.page - 1) * results.page_size
        for i, hit in enumerate(results.hits, start + 1):
            where = f" p.{hit.page}" if hit.page else ""
            sym = f" [{hit.symbol}]" if hit.symbol else ""
            self.stdout.write(f"{i:>3}. {hit.title}{sym}  (#{hit.id}{where}, {hit.score:.2f})")
            if hit.snippet:
                plain = re.sub(r"</?mark>", "*", hit.snippet)
                from html import unescape

                self.stdout.write(f"     {unescape(plain)}")
