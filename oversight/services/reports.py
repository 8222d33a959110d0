"""Writes of the oversight app: one function per operation (permission through orgs.policy, audit)."""

from __future__ import annotations

import datetime as dt
import decimal
import re
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.audit import audit, diff, snapshot
from orgs.access import AccessLevel
from orgs.models import Membership, OrgUnit, Role, UnitKind
from orgs.policy import ensure_can
from oversight.models import (
    Cutoff,
    Level,
    Notice,
    PeriodOpening,
    PeriodType,
    Reminder,
    Report,
    ReportForm,
    ReportReview,
    ReportStatus,
    ReviewDecision,
)
from oversight.periods import PeriodError, due_date, is_locked, is_on_time, local_day, lock_date, stage_on
from oversight.selectors import expected_units, form_period, is_expected, report_status, roots_on

FIELD_TYPES = ("int", "decimal", "bool", "text")
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,99}$")
_KEY = re.compile(r"^[a-z_][a-z0-9_]{0,63}$")


@dataclass(frozen=True)
class OnUnit:
    """Stands for "something of this unit" when asking orgs.policy (reports not yet written)."""

    org_unit: OrgUnit
    access: str = AccessLevel.INTERNAL


def _tz() -> str:
    return settings.TIME_ZONE


# ---------------------------------------------------------------- forms

def _clean_spec(spec: Any) -> dict[str, Any]:
    if not isinstance(spec, dict):
        raise ValidationError("the spec must be a JSON object")
    required = ("slug", "title", "root_unit", "level", "period_type", "fields")
    missing = [k for k in required if k not in spec]
    if missing:
        raise ValidationError("missing key(s): %s" % ", ".join(missing))
    slug = str(spec["slug"])
    if not _SLUG.match(slug):
        raise ValidationError("slug %r: use lower-case letters, digits and hyphens" % slug)
    if spec["level"] not in Level.values:
        raise ValidationError("level %r: expected one of %s" % (spec["level"], ", ".join(Level.values)))
    if spec["period_type"] not in PeriodType.values:
        raise ValidationError("period_type %r: expected one of %s" % (spec["period_type"],
                                                                      ", ".join(PeriodType.values)))
    cutoff = spec.get("cutoff", Cutoff.CALENDAR)
    if cutoff not in Cutoff.values:
        raise ValidationError("cutoff %r: expected one of %s" % (cutoff, ", ".join(Cutoff.values)))
    for key in ("due_days", "expiry_days"):
        value = spec.get(key, 10 if key == "due_days" else 30)
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 366:
            raise ValidationError("%s must be a whole number of days (0–366)" % key)
    fields = spec["fields"]
    if not isinstance(fields, list) or not fields:
        raise ValidationError("fields must be a non-empty list")
    seen = set()
    clean_fields = []
    for i, field in enumerate(fields):
        if not isinstance(field, dict) or not {"key", "label", "type"} <= set(field):
            raise ValidationError("field %d: needs key, label and type" % (i + 1))
        if not _KEY.match(str(field["key"])):
            raise ValidationError("field %d: key %r must be lower-case letters, digits, _" % (i + 1, field["key"]))
        if field["key"] in seen:
            raise ValidationError("field %d: duplicate key %r" % (i + 1, field["key"]))
        seen.add(field["key"])
        if field["type"] not in FIELD_TYPES:
            raise ValidationError("field %r: type %r, expected one of %s" % (field["key"], field["type"],
                                                                              ", ".join(FIELD_TYPES)))
        clean = {"key": field["key"], "label": str(field["label"]), "type": field["type"],
                 "required": bool(field.get("required", False))}
        for bound in ("min", "max"):
            if bound in field:
                if field["type"] not in ("int", "decimal") or not isinstance(field[bound], (int, float)):
                    raise ValidationError("field %r: %s applies to numbers only" % (field["key"], bound))
                clean[bound] = field[bound]
        if field.get("source"):
            clean["source"] = str(field["source"])
        clean_fields.append(clean)
    return {"slug": slug, "title": str(spec["title"])[:500], "root_code": str(spec["root_unit"]),
            "level": spec["level"], "period_type": spec["period_type"], "cutoff": cutoff,
            "due_days": spec.get("due_days", 10), "expiry_days": spec.get("expiry_days", 30),
            "fields": clean_fields}


def _root_unit(code: str) -> OrgUnit:
    units = list(OrgUnit.objects.filter(code=code).order_by("valid_to", "-valid_from"))
    if not units:
        raise ValidationError("root_unit %r: no org unit has this code (load it with sulieu orgs-load)" % code)
    current = [u for u in units if u.valid_to is None]
    return (current or units)[0]


def reportform_create(*, spec: dict[str, Any], by: Any = None) -> ReportForm:
    """Create a report form from a spec (the JSON of ``sulieu report-form create``)."""
    clean = _clean_spec(spec)
    root = _root_unit(clean["root_code"])
    if by is not None:
        ensure_can(by, "oversight.manage", OnUnit(root))
    if ReportForm.objects.filter(slug=clean["slug"]).exists():
        raise ValidationError("a form with slug %r exists already" % clean["slug"])
    with transaction.atomic():
        form = ReportForm.objects.create(org_unit=root, owner=by if getattr(by, "pk", None) else None, **clean)
        audit(form, "wagtail.create", by=by, changes=diff({}, snapshot(form)))
    return form


# ---------------------------------------------------------------- reports

def clean_values(form: ReportForm, values: Any) -> dict[str, Any]:
    """Values checked against the form's fields; raises ValidationError listing every problem."""
    if not isinstance(values, dict):
        raise ValidationError("values must be a JSON object")
    errors = []
    fields = {f["key"]: f for f in form.fields}
    unknown = sorted(set(values) - set(fields))
    if unknown:
        errors.append("unknown field(s): %s" % ", ".join(str(k)[:64] for k in unknown))
    clean: dict[str, Any] = {}
    for key, field in fields.items():
        value = values.get(key)
        if value is None or value == "":
            if field.get("required"):
                errors.append("%s: required" % key)
            continue
        kind = field["type"]
        try:
            if kind == "int":
                if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
                    raise ValueError
                value = int(str(value).strip()) if isinstance(value, str) else int(value)
            elif kind == "decimal":
                if isinstance(value, bool):
                    raise ValueError
                number = decimal.Decimal(str(value).strip().replace(",", "."))
                if not number.is_finite():
                    raise ValueError
                value = float(number) if number != number.to_integral_value() else int(number)
            elif kind == "bool":
                if isinstance(value, str) and value.lower() in {"true", "1", "yes", "có", "on"}:
                    value = True
                elif isinstance(value, str) and value.lower() in {"false", "0", "no", "không", "off"}:
                    value = False
                elif not isinstance(value, bool):
                    raise ValueError
            else:
                if not isinstance(value, str):
                    raise ValueError
                value = value.strip()[:20000]
        except (ValueError, decimal.InvalidOperation):
            errors.append("%s: expected %s" % (key, kind))
            continue
        if kind in ("int", "decimal"):
            if "min" in field and value < field["min"]:
                errors.append("%s: must be at least %s" % (key, field["min"]))
            if "max" in field and value > field["max"]:
                errors.append("%s: must be at most %s" % (key, field["max"]))
        clean[key] = value
    if errors:
        raise ValidationError("; ".join(errors))
    return clean


def period_is_open(form: ReportForm, key: str, day: dt.date) -> bool:
    period = form_period(form, key)
    if not is_locked(day, due_date(period, form.due_days), form.expiry_days):
        return True
    opening = PeriodOpening.objects.filter(form=form, period_key=key).first()
    return opening is not None and day <= opening.until


def report_submit(*, form: ReportForm, unit: OrgUnit, period_key: str, values: Any, by: Any = None,
                  at: dt.datetime | None = None) -> Report:
    """Store ``unit``'s report for a period (a new one, or a corrected one after a send-back).

    ``at`` backdates the submission (loading past reports); the web form uses the server time.
    Nothing is stored when a check fails (ValidationError or PermissionDenied).
    """
    try:
        period = form_period(form, period_key)
    except PeriodError as exc:
        raise ValidationError(str(exc)) from None
    if by is not None:
        ensure_can(by, "oversight.report", OnUnit(unit))
    if not is_expected(form, period, unit):
        raise ValidationError("unit %s (%s) does not report on %s for %s" % (unit.code, unit.name, form.slug,
                                                                             period_key))
    clean = clean_values(form, values)
    at = at or timezone.now()
    if timezone.is_naive(at):
        at = timezone.make_aware(at)
    day = local_day(at, _tz())
    if not period_is_open(form, period_key, day):
        raise ValidationError("period %s of %s is locked since %s; the form's owner can re-open it" % (
            period_key, form.slug, lock_date(due_date(period, form.due_days), form.expiry_days).isoformat()))
    due = due_date(period, form.due_days)
    with transaction.atomic():
        report = (Report.objects.select_for_update()
                  .filter(form=form, org_unit=unit, period_key=period_key).first())
        if report is None:
            report = Report.objects.create(form=form, org_unit=unit, period_key=period_key, values=clean,
                                           submitted_at=at, first_submitted_at=at, submitted_by=_user(by),
                                           on_time=is_on_time(at, due, _tz()))
            audit(report, "wagtail.create", by=by, changes={f"values.{k}": [None, v] for k, v in clean.items()})
            return report
        if report.status == ReportStatus.APPROVED:
            raise ValidationError("this report is approved; a reviewer must send it back before it changes")
        before = dict(report.values)
        report.values = clean
        report.status = ReportStatus.SUBMITTED
        report.submitted_at = at
        report.submitted_by = _user(by)
        report.approvals = 0
        report.save()
        changes = {f"values.{k}": [before.get(k), clean.get(k)] for k in sorted(set(before) | set(clean))
                   if before.get(k) != clean.get(k)}
        audit(report, "wagtail.edit", by=by, changes=changes, data={"resubmitted": True})
    return report


def _user(by: Any) -> Any:
    return by if getattr(by, "pk", None) else None


def _current(unit: OrgUnit, today: dt.date) -> OrgUnit | None:
    """The unit standing for ``unit`` today, or None when it ended without a successor (districts 7/2025)."""
    seen = set()
    while unit.valid_to is not None and unit.valid_to < today:
        if not unit.replaced_by_id or unit.pk in seen:
            return None
        seen.add(unit.pk)
        unit = unit.replaced_by
    return unit


def approval_chain(report: Report, today: dt.date | None = None) -> list[OrgUnit]:
    """The units that approve ``report``, lowest first: the district (while districts existed) and the
    province above the reporting unit, inside the form's root; a level abolished since then is skipped
    and a merged province is replaced by its successor."""
    today = today or timezone.localdate()
    ids = report.org_unit.ancestor_ids()[:-1]
    ancestors = {u.pk: u for u in OrgUnit.objects.filter(pk__in=ids)}
    chain: list[OrgUnit] = []
    for uid in reversed(ids):
        unit = ancestors.get(uid)
        if unit is None or unit.kind not in (UnitKind.DISTRICT, UnitKind.PROVINCE):
            continue
        current = _current(unit, today)
        if current is not None and all(c.pk != current.pk for c in chain):
            chain.append(current)
    return chain


def _review_checked(report: Report, by: Any) -> OrgUnit:
    chain = approval_chain(report)
    if report.status == ReportStatus.APPROVED or report.approvals >= len(chain):
        raise ValidationError("this report is already approved")
    if report.status == ReportStatus.RETURNED:
        raise ValidationError("this report was sent back; it waits for the unit")
    level = chain[report.approvals]
    ensure_can(by, "oversight.review", OnUnit(level))
    return level


def report_approve(*, report: Report, by: Any, comment: str = "") -> Report:
    """Approve at the next level of the chain; the last level makes the report approved."""
    with transaction.atomic():
        report = Report.objects.select_for_update().select_related("org_unit", "form").get(pk=report.pk)
        level = _review_checked(report, by)
        before = {"status": report.status, "approvals": report.approvals}
        report.approvals += 1
        if report.approvals >= len(approval_chain(report)):
            report.status = ReportStatus.APPROVED
        report.save(update_fields=["approvals", "status", "updated_at"])
        ReportReview.objects.create(report=report, decision=ReviewDecision.APPROVE, level_unit=level,
                                    comment=comment, by=_user(by), at=timezone.now())
        audit(report, "oversight.approve", by=by, changes=diff(before, {"status": report.status,
                                                                       "approvals": report.approvals}),
              data={"level": level.name, "comment": comment})
    return report


def report_send_back(*, report: Report, by: Any, comment: str) -> Report:
    """Send a report back to its unit with a comment (required); the unit corrects and resubmits."""
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError("a comment is required to send a report back")
    with transaction.atomic():
        report = Report.objects.select_for_update().select_related("org_unit", "form").get(pk=report.pk)
        level = _review_checked(report, by)
        before = {"status": report.status, "comment": report.comment}
        report.status = ReportStatus.RETURNED
        report.comment = comment[:5000]
        report.approvals = 0
        report.save(update_fields=["status", "comment", "approvals", "updated_at"])
        ReportReview.objects.create(report=report, decision=ReviewDecision.RETURN, level_unit=level,
                                    comment=report.comment, by=_user(by), at=timezone.now())
        audit(report, "oversight.send_back", by=by,
              changes=diff(before, {"status": report.status, "comment": report.comment}))
        for user in _unit_users(report.org_unit_id):
            Notice.objects.create(user=user, text="Báo cáo %s kỳ %s bị trả lại: %s" % (
                report.form.title, report.period_key, report.comment[:300]))
    return report


def period_reopen(*, form: ReportForm, period_key: str, until: dt.date, by: Any, reason: str = "") -> PeriodOpening:
    """Re-open a locked period until ``until``: only the form's owner (or a superuser) may."""
    form_period(form, period_key)
    if not (getattr(by, "is_superuser", False) or (form.owner_id and getattr(by, "pk", None) == form.owner_id)):
        raise PermissionDenied("only the form's owner can re-open a period")
    with transaction.atomic():
        opening, created = PeriodOpening.objects.update_or_create(
            form=form, period_key=period_key, defaults={"until": until, "reason": reason, "by": _user(by)})
        audit(form, "oversight.reopen", by=by, changes={f"open.{period_key}": [None, until.isoformat()]},
              data={"reason": reason})
    return opening


# ---------------------------------------------------------------- reminders

REMINDER_ROLES = (Role.REPORTER, Role.ADMINISTRATOR)


def _unit_users(unit_id: int) -> list[Any]:
    return [m.user for m in Membership.objects.filter(unit_id=unit_id, role__in=REMINDER_ROLES)
            .select_related("user") if m.user.is_active]


STAGE_TEXT = {
    "opening": "Kỳ báo cáo %(period)s của biểu mẫu «%(form)s» đã mở; hạn nộp %(due)s.",
    "halfway": "Đã qua nửa thời hạn: đơn vị chưa nộp báo cáo %(period)s «%(form)s» (hạn %(due)s).",
    "day_before": "Ngày mai (%(due)s) là hạn nộp báo cáo %(period)s «%(form)s»; đơn vị chưa nộp.",
    "overdue": "Báo cáo %(period)s «%(form)s» đã quá hạn (%(due)s); đề nghị đơn vị nộp ngay.",
}


def report_remind(*, form: ReportForm, period_key: str, now: dt.datetime | None = None, dry_run: bool = False,
                  by: Any = None) -> dict[str, Any]:
    """Remind the units that have not reported, once per stage (opening, halfway, the day before the due
    date, overdue): an e-mail to the unit's reporters and an in-app notice. ``{"sent", "units", "stage"}``."""
    if by is not None:
        ensure_can(by, "oversight.manage", form)
    period = form_period(form, period_key)
    now = now or timezone.now()
    due = due_date(period, form.due_days)
    stage = stage_on(local_day(now, _tz()), period, due)
    result: dict[str, Any] = {"sent": 0, "units": [], "stage": stage, "dry_run": dry_run}
    if stage is None:
        return result
    expected = expected_units(form, period, roots_on(form, period.end))
    reported = set(Report.objects.filter(form=form, period_key=period_key).values_list("org_unit_id", flat=True))
    already = set(Reminder.objects.filter(form=form, period_key=period_key, stage=stage)
                  .values_list("org_unit_id", flat=True))
    targets = [row for row in expected if row["id"] not in reported and row["id"] not in already]
    result["units"] = [row["code"] for row in targets]
    result["sent"] = len(targets)
    if dry_run or not targets:
        return result
    recipients: dict[int, list[Any]] = {}
    for m in (Membership.objects.filter(unit_id__in=[r["id"] for r in targets], role__in=REMINDER_ROLES)
              .select_related("user")):
        if m.user.is_active:
            recipients.setdefault(m.unit_id, []).append(m.user)
    text = STAGE_TEXT[stage] % {"period": period_key, "form": form.title, "due": due.strftime("%d/%m/%Y")}
    emails = 0
    sent_units = []
    for row in targets:
        users = {u.pk: u for u in recipients.get(row["id"], [])}.values()
        try:
            with transaction.atomic():
                Reminder.objects.create(form=form, period_key=period_key, org_unit_id=row["id"], stage=stage,
                                        recipients=len(users), sent_at=now)
                for user in users:
                    Notice.objects.create(user=user, text=text, url="/oversight/%s/%s/" % (form.slug, period_key))
        except IntegrityError:
            continue  # another run reminded this unit for this stage meanwhile
        sent_units.append(row["code"])
        addresses = [u.email for u in users if u.email]
        if addresses:
            emails += send_mail("[Sử liệu] Nhắc nộp báo cáo %s" % period_key, "%s\n\nĐơn vị: %s" % (text, row["name"]),
                                None, addresses, fail_silently=False)
    audit(form, "oversight.remind", by=by, data={"period": period_key, "stage": stage, "units": len(sent_units)})
    result.update(sent=len(sent_units), units=sent_units, emails=emails)
    return result


def status_for(form: ReportForm, period_key: str, *, user: Any = None) -> dict[str, Any]:
    try:
        return report_status(form, period_key, user=user)
    except PeriodError as exc:
        raise ValidationError(str(exc)) from None
