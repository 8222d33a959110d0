"""``sulieu contest import-bank|create|set-actual|export|finalise|verify`` — the organiser's commands."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from contests import exports, services
from contests.importers import BankFileError, parse_bank_file
from contests.models import Contest, ReviewStatus


class Command(BaseCommand):
    help = "Contests: import a question bank, create a contest, set the prediction answer, export results."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        p = sub.add_parser("import-bank", help="import questions from CSV, XLSX or Moodle GIFT")
        p.add_argument("file")
        p.add_argument("--bank", required=True, help="bank slug (created if missing)")
        p.add_argument("--status", default=ReviewStatus.APPROVED, choices=ReviewStatus.values,
                       help="review status of the imported versions (default: approved)")
        p.add_argument("--json", action="store_true")
        p = sub.add_parser("create", help="create a contest and its rounds from a JSON spec")
        p.add_argument("--spec", required=True)
        p.add_argument("--json", action="store_true")
        p = sub.add_parser("set-actual", help="set the true answer of a round's prediction question")
        p.add_argument("slug")
        p.add_argument("--round", required=True)
        p.add_argument("--value", required=True, type=int)
        p = sub.add_parser("export", help="results or answer sheets of a round as CSV or XLSX")
        p.add_argument("slug")
        p.add_argument("--round", required=True)
        p.add_argument("--what", choices=["results", "answers"], default="results")
        p.add_argument("--output", required=True, help="FILE.csv or FILE.xlsx")
        p = sub.add_parser("finalise", help="submit every attempt whose deadline has passed")
        p.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, "do_" + options["action"].replace("-", "_"))(options)
        except services.ContestError as exc:
            raise CommandError(exc.message, returncode=2) from None

    def _emit(self, options: dict, data: dict, text: str) -> None:
        if options.get("json"):
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
        else:
            self.stdout.write(text)

    def do_import_bank(self, options: dict) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError("no such file: %s" % path, returncode=2)
        try:
            parsed = parse_bank_file(path)
        except BankFileError as exc:
            raise CommandError("%s: %s" % (path.name, exc), returncode=2) from None
        report = services.bank_import(bank_slug=options["bank"], parsed=parsed, by=None, status=options["status"],
                                      source_name=path.name)
        data = report.as_dict()
        lines = ["%s line %d: %s" % (path.name, e["line"], e["error"]) for e in data["errors"]]
        for line in lines if not options["json"] else []:
            self.stderr.write(line)
        self._emit(options, data, "bank %(bank)s: %(imported)d imported (%(created)d new, %(new_versions)d new "
                   "versions), %(unchanged)d unchanged, %(failed)d rows refused" % data)
        if data["failed"] and not data["imported"] and not data["unchanged"]:
            sys.exit(2)

    def do_create(self, options: dict) -> None:
        path = Path(options["spec"])
        try:
            spec = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise CommandError("no such file: %s" % path, returncode=2) from None
        except (ValueError, UnicodeDecodeError) as exc:
            raise CommandError("%s is not valid JSON: %s" % (path.name, exc), returncode=2) from None
        contest = services.contest_create(spec=spec, by=None)
        rounds = [{"name": r.name, "opens_at": r.opens_at.isoformat(), "closes_at": r.closes_at.isoformat(),
                   "questions_sha256": r.questions_hash or None} for r in contest.rounds.all()]
        self._emit(options, {"slug": contest.slug, "id": contest.pk, "rounds": rounds},
                   "contest %s created with %d rounds" % (contest.slug, len(rounds)))

    def _contest(self, slug: str) -> Contest:
        contest = Contest.objects.filter(slug=slug).first()
        if contest is None:
            raise CommandError("no contest %r" % slug, returncode=2)
        return contest

    def do_set_actual(self, options: dict) -> None:
        contest = self._contest(options["slug"])
        round_ = services.round_set_actual(contest=contest, round_name=options["round"], value=options["value"],
                                           by=None)
        self.stdout.write("%s / %s: actual value %d" % (contest.slug, round_.name, round_.actual_value))

    def do_export(self, options: dict) -> None:
        contest = self._contest(options["slug"])
        round_ = contest.rounds.filter(name=options["round"]).first()
        if round_ is None:
            raise CommandError("contest %r has no round %r" % (contest.slug, options["round"]), returncode=2)
        out = Path(options["output"])
        fmt = out.suffix.lower().lstrip(".")
        if fmt not in {"csv", "xlsx"}:
            raise CommandError("the output must end in .csv or .xlsx", returncode=2)
        data = exports.export(round_, what=options["what"], fmt=fmt)
        out.write_bytes(data)
        self.stdout.write("%s written (%d bytes)" % (out, len(data)))

    def do_finalise(self, options: dict) -> None:
        done = services.finalise_expired()
        self._emit(options, {"finalised": done}, "%d expired attempts submitted" % done)
