from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser


def _error(message: str) -> CommandError:
    return CommandError(message, returncode=2)


def read_json(path: str) -> Any:
    try:
        with open(path, encoding="utf-8") as fh:
            return json.load(fh)
    except OSError as exc:
        raise _error("cannot read %s: %s" % (path, exc.strerror)) from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise _error("%s is not valid JSON: %s" % (path, exc)) from None


def validation_message(exc: ValidationError) -> str:
    return "; ".join(exc.messages)


class Command(BaseCommand):
    help = "Report forms (chế độ báo cáo): create from a JSON spec, list, re-open a locked period."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="create a form from a JSON spec")
        create.add_argument("--spec", required=True, help="FILE.json")
        sub.add_parser("list", help="list the forms")
        reopen = sub.add_parser("reopen", help="re-open a locked period (the form's owner)")
        reopen.add_argument("--form", required=True)
        reopen.add_argument("--period", required=True)
        reopen.add_argument("--until", required=True, help="YYYY-MM-DD")
        reopen.add_argument("--as-user", required=True, help="username of the form's owner")
        reopen.add_argument("--reason", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        from oversight.models import ReportForm
        from oversight.services import period_reopen, reportform_create

        action = options["action"]
        if action == "create":
            spec = read_json(options["spec"])
            try:
                form = reportform_create(spec=spec)
            except ValidationError as exc:
                raise _error(validation_message(exc)) from None
            self.stdout.write("created report form %s (%s, %s, %s) for %s" % (
                form.slug, form.level, form.period_type, form.cutoff, form.org_unit.name))
        elif action == "list":
            for form in ReportForm.objects.select_related("org_unit"):
                self.stdout.write("%s\t%s\t%s\t%s\t%s" % (form.slug, form.level, form.period_type, form.cutoff,
                                                          form.title))
        else:
            from django.contrib.auth import get_user_model

            form = ReportForm.objects.filter(slug=options["form"]).first()
            if form is None:
                raise _error("no report form %r" % options["form"])
            user = get_user_model().objects.filter(username=options["as_user"]).first()
            if user is None:
                raise _error("no user %r" % options["as_user"])
            try:
                until = dt.date.fromisoformat(options["until"])
                period_reopen(form=form, period_key=options["period"], until=until, by=user,
                              reason=options["reason"])
            except ValueError as exc:
                raise _error(str(exc)) from None
            except PermissionDenied as exc:
                raise _error("permission denied: %s" % exc) from None
            self.stdout.write("period %s of %s open until %s" % (options["period"], form.slug, until))
