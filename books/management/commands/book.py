"""sulieu book list [--json] | export SLUG --format docx|pdf|epub|html [--out FILE] [--user NAME]
| import FILE.docx --book SLUG [--json] [--user NAME] | csl SLUG — compile books from the archive."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from books.models import BookPage


def _fail(message: str) -> CommandError:
    return CommandError(message, returncode=2)


def _user(name: str | None, *, default_superuser: bool) -> Any:
    User = get_user_model()
    if name:
        user = User.objects.filter(username=name).first()
        if user is None:
            raise _fail("no user %r" % name)
        return user
    if default_superuser:
        user = User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
        if user is None:
            raise _fail("no administrator exists: pass --user NAME (or run 'sulieu createadmin')")
        return user
    return None


def _book(slug: str) -> BookPage:
    book = BookPage.objects.filter(slug=slug).first()
    if book is None:
        known = ", ".join(BookPage.objects.values_list("slug", flat=True)[:10]) or "none"
        raise _fail("no book %r (books: %s)" % (slug, known))
    return book


class Command(BaseCommand):
    help = "Books: list them, export one (DOCX, PDF, EPUB, HTML), import a Word manuscript, CSL-JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        p_list = sub.add_parser("list", help="the books with their chapters and status")
        p_list.add_argument("--json", action="store_true")
        p_export = sub.add_parser("export", help="export a book")
        p_export.add_argument("slug")
        p_export.add_argument("--format", required=True, choices=["docx", "pdf", "epub", "html"])
        p_export.add_argument("--out", help="output file (default: SLUG.FORMAT in the current directory)")
        p_export.add_argument("--user", help="export as this user sees the archive (default: the public)")
        p_export.add_argument("--live", action="store_true", help="published chapters only (default: latest drafts)")
        p_import = sub.add_parser("import", help="import a Word manuscript (.docx) into a book")
        p_import.add_argument("file")
        p_import.add_argument("--book", required=True, help="book slug (created when missing)")
        p_import.add_argument("--json", action="store_true")
        p_import.add_argument("--user", help="who imports (default: the first administrator)")
        p_csl = sub.add_parser("csl", help="the book's citations as CSL-JSON")
        p_csl.add_argument("slug")
        p_csl.add_argument("--user", help="as this user sees the archive (default: the public)")

    def handle(self, *args: Any, **options: Any) -> None:
        getattr(self, "do_" + options["action"])(options)

    def do_list(self, options: dict[str, Any]) -> None:
        from books.selectors import book_summaries

        books = book_summaries()
        if options["json"]:
            self.stdout.write(json.dumps({"books": books}, ensure_ascii=False))
            return
        for b in books:
            self.stdout.write("%-30s %-10s %3d chapters  %s" % (b["slug"], b["status"], b["chapters"], b["title"]))

    def do_export(self, options: dict[str, Any]) -> None:
        from books.document import build_book
        from books.writers import write

        book = _book(options["slug"])
        fmt = options["format"]
        out = Path(options["out"] or "%s.%s" % (book.slug, fmt))
        if out.exists() and out.is_dir():
            raise _fail("--out %s is a directory" % out)
        user = _user(options["user"], default_superuser=False)
        started = time.monotonic()

        def progress(message: str) -> None:
            print("sulieu: %s" % message, file=sys.stderr)

        doc = build_book(book, user=user, live_only=options["live"], progress=progress)
        progress("writing %s" % fmt.upper())
        try:
            write(doc, fmt, out)
        except Exception as exc:
            raise _fail("export failed: %s" % exc) from exc
        self.stdout.write("%s written: %s (%d divisions, %d footnotes, %.1f s)"
                          % (fmt.upper(), out, len(doc.divisions), doc.footnote_count, time.monotonic() - started))

    def do_import(self, options: dict[str, Any]) -> None:
        from books.importer import ImportError_, import_docx

        user = _user(options["user"], default_superuser=True)

        def progress(message: str) -> None:
            print("sulieu: %s" % message, file=sys.stderr)

        try:
            report = import_docx(path=Path(options["file"]), book_slug=options["book"], by=user, progress=progress)
        except ImportError_ as exc:
            raise _fail(str(exc)) from exc
        data = report.to_dict()
        if options["json"]:
            self.stdout.write(json.dumps(data, ensure_ascii=False))
            return
        self.stdout.write("%(book)s: %(chapters)d chapters, %(footnotes)d footnotes, %(linked)d linked to the archive"
                          % data)
        for f in data["unresolved"]:
            self.stdout.write("  unresolved: %s, note %d: %s" % (f["chapter"], f["n"], f["text"][:120]))

    def do_csl(self, options: dict[str, Any]) -> None:
        from books.document import build_book

        book = _book(options["slug"])
        doc = build_book(book, user=_user(options["user"], default_superuser=False))
        self.stdout.write(json.dumps(list(doc.entries.values()), ensure_ascii=False, indent=1))
