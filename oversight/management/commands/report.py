from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from oversight.management.commands.report_form import _error, read_json, validation_message


def _moment(text: str | None) -> dt.datetime | None:
    if not text:
        return None
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise _error("--at/--now %r: expected an ISO time such as 2025-07-08T09:30" % text) from None
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


class Command(BaseCommand):
    help = "Unit reports: submit, status (completeness), remind, summary (DOCX), approve, send back."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        p = sub.add_parser("submit", help="submit a unit's report from a JSON file of values")
        p.add_argument("--form", required=True)
        p.add_argument("--unit", required=True, help="org unit code")
        p.add_argument("--period", required=True, help="2025, 2025-H1, 2025-Q3, 2025-07")
        p.add_argument("--values", required=True, help="FILE.json")
        p.add_argument("--at", help="ISO time of submission (loading past reports only)")
        p = sub.add_parser("status", help="completeness of a period")
        p.add_argument("--form", required=True)
        p.add_argument("--period", required=True)
        p.add_argument("--json", action="store_true")
        p = sub.add_parser("remind", help="remind units that have not reported (once per stage)")
        p.add_argument("--form", required=True)
        p.add_argument("--period", required=True)
        p.add_argument("--dry-run", action="store_true")
        p.add_argument("--json", action="store_true")
        p.add_argument("--now", help="ISO time to judge the stage at (default: now)")
        p = sub.add_parser("summary", help="the narrative report (báo cáo sơ kết) as DOCX")
        p.add_argument("--form", required=True)
        p.add_argument("--period", required=True)
        p.add_argument("--out", required=True, help="FILE.docx")
        for name in ("approve", "send-back"):
            p = sub.add_parser(name)
            p.add_argument("--form", required=True)
            p.add_argument("--unit", required=True)
            p.add_argument("--period", required=True)
            p.add_argument("--as-user", required=True, help="username of the reviewer")
            p.add_argument("--comment", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        from oversight.models import ReportForm

        form = ReportForm.objects.select_related("org_unit").filter(slug=options["form"]).first()
        if form is None:
            raise _error("no report form %r (sulieu report-form list)" % options["form"])
        try:
            getattr(self, "do_" + options["action"].replace("-", "_"))(form, options)
        except ValidationError as exc:
            raise _error(validation_message(exc)) from None
        except PermissionDenied as exc:
            raise _error("permission denied: %s" % exc) from None

    def _unit(self, form: Any, code: str, period_key: str) -> Any:
        from orgs.models import OrgUnit
        from oversight.models import LEVEL_KINDS
        from oversight.selectors import form_period, roots_on

        try:
            period = form_period(form, period_key)
        except ValueError as exc:
            raise _error(str(exc)) from None
        units = list(OrgUnit.objects.filter(code=code))
        if not units:
            raise _error("no org unit with code %r" % code)
        # a code may name the unit before and after a reform: take the one valid in the period
        roots = roots_on(form, period.end)
        for unit in units:
            if unit.kind in LEVEL_KINDS[form.level] and any(unit.path.startswith(r.path) for r in roots) and (
                    unit.valid_from is None or unit.valid_from <= period.end) and (
                    unit.valid_to is None or unit.valid_to >= period.end):
                return unit
        return units[0]  # the service explains why it does not report

    def _user(self, username: str) -> Any:
        from django.contrib.auth import get_user_model

        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise _error("no user %r" % username)
        return user

    def do_submit(self, form: Any, options: dict[str, Any]) -> None:
        from oversight.services import report_submit

        values = read_json(options["values"])
        unit = self._unit(form, options["unit"], options["period"])
        report = report_submit(form=form, unit=unit, period_key=options["period"], values=values,
                               at=_moment(options.get("at")))
        self.stdout.write("report %s %s %s stored (%s)" % (
            form.slug, options["period"], unit.code, "on time" if report.on_time else "late"))

    def do_status(self, form: Any, options: dict[str, Any]) -> None:
        from oversight.services import status_for

        status = status_for(form, options["period"])
        if options["json"]:
            self.stdout.write(json.dumps(status, ensure_ascii=False, indent=1))
            return
        self.stdout.write("%s %s (%s → %s, due %s): expected %d, submitted %d, on time %d, late %d, missing %d" % (
            status["form"], status["period"]["key"], status["period"]["start"], status["period"]["end"],
            status["period"]["due"], status["expected"], status["submitted"], status["on_time"], status["late"],
            status["missing"]))
        for unit in status["units"]:
            if unit["level"] != "commune":
                self.stdout.write("  %s%s: %d/%d submitted, %d late, %d missing" % (
                    "  " * unit["depth"], unit["name"], unit["submitted"], unit["expected"], unit["late"],
                    unit["missing"]))

    def do_remind(self, form: Any, options: dict[str, Any]) -> None:
        from oversight.services import report_remind

        result = report_remind(form=form, period_key=options["period"], now=_moment(options.get("now")),
                               dry_run=options["dry_run"])
        if options["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False))
        else:
            self.stdout.write("%s %d unit(s) at stage %s" % ("would remind" if options["dry_run"] else "reminded",
                                                             result["sent"], result["stage"]))

    def do_summary(self, form: Any, options: dict[str, Any]) -> None:
        from oversight.summary import summary_docx

        try:
            with open(options["out"], "wb") as fh:
                summary_docx(form, options["period"], fh)
        except OSError as exc:
            raise _error("cannot write %s: %s" % (options["out"], exc.strerror)) from None
        self.stdout.write("written %s" % options["out"])

    def _report(self, form: Any, options: dict[str, Any]) -> Any:
        from oversight.models import Report

        unit = self._unit(form, options["unit"], options["period"])
        report = Report.objects.filter(form=form, org_unit=unit, period_key=options["period"]).first()
        if report is None:
            raise _error("no report of %s for %s %s" % (options["unit"], form.slug, options["period"]))
        return report

    def do_approve(self, form: Any, options: dict[str, Any]) -> None:
        from oversight.services import report_approve

        report = report_approve(report=self._report(form, options), by=self._user(options["as_user"]),
                                comment=options["comment"])
        self.stdout.write("report %s: %s (%d level(s) approved)" % (report.org_unit.code, report.status,
                                                                    report.approvals))

    def do_send_back(self, form: Any, options: dict[str, Any]) -> None:
        from oversight.services import report_send_back

        report_send_back(report=self._report(form, options), by=self._user(options["as_user"]),
                         comment=options["comment"])
        self.stdout.write("report %s sent back" % options["unit"])
