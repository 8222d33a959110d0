"""sulieu portal import|rollup|setup — the public portal from the command line."""

from __future__ import annotations

import json
import sys
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from portal import selectors, setup, stats
from portal.importer import article_import


class Command(BaseCommand):
    help = "The public portal: import web pages as articles, roll up visit statistics, set up the site."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="make articles from web pages (URL or FILE.html); idempotent by URL")
        imp.add_argument("sources", nargs="+", metavar="URL|FILE.html")
        imp.add_argument("--topic", default="", help="slug of the topic (chuyên mục); default: the first topic")
        imp.add_argument("--json", action="store_true", help="print the results as JSON")
        imp.add_argument("--user", default="", help="account recorded as the importer (default: an administrator)")
        sub.add_parser("rollup", help="fold finished days of page hits into per-day statistics")
        sub.add_parser("setup", help="create the portal home, a topic, the editorial groups and workflow")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "rollup":
            self.stdout.write("rolled up %d hits" % stats.rollup())
            return
        user = self._user(options.get("user", ""))
        if action == "setup":
            result = setup.portal_setup(by=user)
            self.stdout.write("portal: home %(home)s, topic %(topic)s, workflow %(workflow)s" % result)
            return
        topic = self._topic(options["topic"], user)
        results = []
        for source in options["sources"]:
            result = article_import(source=source, topic=topic, by=user)
            results.append(result)
            if not options["json"]:
                line = "%s: %s" % (result.status, source)
                line += " → #%s %s" % (result.id, result.url) if result.id else " (%s)" % result.error
                self.stdout.write(line)
            elif sys.stderr.isatty():
                print("%s %s" % (result.status, source), file=sys.stderr)
        counts = {s: sum(1 for r in results if r.status == s) for s in ("created", "updated", "unchanged", "failed")}
        if options["json"]:
            self.stdout.write(json.dumps({**counts, "results": [r.as_dict() for r in results]},
                                         ensure_ascii=False, indent=2))
        if counts["failed"]:
            raise SystemExit(1)

    def _user(self, name: str) -> Any:
        User = get_user_model()
        if name:
            user = User.objects.filter(username=name, is_active=True).first()
            if user is None:
                raise CommandError("no active account %r" % name, returncode=2)
            return user
        user = User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
        if user is None:
            raise CommandError("no administrator yet: run 'sulieu createadmin NAME' first", returncode=2)
        return user

    def _topic(self, slug: str, user: Any) -> Any:
        if slug:
            topic = selectors.topics().filter(slug=slug).first()
            if topic is None:
                known = ", ".join(selectors.topics().values_list("slug", flat=True)) or "none"
                raise CommandError("unknown topic %r (topics: %s)" % (slug, known), returncode=2)
            return topic
        topic = selectors.topics().first()
        return topic if topic is not None else setup.default_topic(by=user)
