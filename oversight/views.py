"""Back-office pages (dashboard, a unit's report, review) and the JSON API. Thin: access → service → render."""

from __future__ import annotations

import io
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from orgs.access import can_view, ensure_can_view, filter_visible
from orgs.models import OrgUnit
from orgs.policy import can, is_staff_user
from oversight.forms import form_values, values_form
from oversight.indicators import prefill
from oversight.models import Report, ReportForm, ReportStatus
from oversight.periods import PeriodError, due_date, period_containing
from oversight.selectors import form_period, is_expected, report_status
from oversight.services import (
    OnUnit,
    approval_chain,
    period_is_open,
    report_approve,
    report_remind,
    report_send_back,
    report_submit,
)
from oversight.summary import summary_docx


def access_form(user: Any, slug: str) -> ReportForm:
    form = ReportForm.objects.select_related("org_unit", "owner").filter(slug=slug).first()
    if form is None:
        raise Http404
    ensure_can_view(user, form)
    return form


def _period_or_404(form: ReportForm, key: str) -> Any:
    try:
        return form_period(form, key)
    except PeriodError:
        raise Http404 from None


@require_GET
def status_api(request: HttpRequest, form: str, period: str) -> JsonResponse:
    """``GET /api/v1/reports/<form>/<period>/status`` (staff only): completeness as JSON."""
    if not is_staff_user(request.user):
        return JsonResponse({"error": "staff only"}, status=403)
    report_form = access_form(request.user, form)
    try:
        data = report_status(report_form, period, user=request.user)
    except PeriodError as exc:
        return JsonResponse({"error": str(exc)}, status=400)
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})


def forms_index(request: HttpRequest) -> HttpResponse:
    forms = filter_visible(request.user, ReportForm.objects.select_related("org_unit"))
    today = timezone.localdate()
    rows = []
    for form in forms:
        current = period_containing(today, form.period_type, form.cutoff)
        periods = [current.previous().previous(), current.previous(), current]
        rows.append({"form": form, "periods": periods})
    return render(request, "oversight/forms_index.html", {"rows": rows})


def _tree_rows(units: list[dict[str, Any]], opened: set[int]) -> list[dict[str, Any]]:
    ids = {u["id"] for u in units}
    shown: set[int] = set()
    rows = []
    for unit in units:
        top = unit["parent_id"] not in ids
        if top or (unit["parent_id"] in shown and unit["parent_id"] in opened):
            shown.add(unit["id"])
            expected = unit["expected"] or 1
            rows.append({**unit, "top": top, "has_children": unit["level"] != unit.get("form_level"),
                         "open": unit["id"] in opened,
                         "pct": {k: round(100 * unit[k] / expected, 1) for k in ("on_time", "late", "missing")}})
    return rows


def dashboard(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    form = access_form(request.user, slug)
    period = _period_or_404(form, key)
    status = report_status(form, key, user=request.user)
    opened = {int(x) for x in request.GET.get("open", "").split(",") if x.isdigit()}
    for unit in status["units"]:
        unit["form_level"] = form.level
    rows = _tree_rows(status["units"], opened)
    for row in rows:
        row["toggle"] = ",".join(str(i) for i in sorted(opened ^ {row["id"]}))
    return render(request, "oversight/dashboard.html", {
        "form": form, "period": period, "status": status, "rows": rows, "due": due_date(period, form.due_days), "open": ",".join(map(str, sorted(opened))),
        "previous": period.previous(), "next": period.next(), "can_remind": can(request.user, "oversight.manage", form),
    })


def summary_download(request: HttpRequest, slug: str, key: str) -> FileResponse:
    form = access_form(request.user, slug)
    _period_or_404(form, key)
    buffer = io.BytesIO()
    summary_docx(form, key, buffer, user=request.user)
    buffer.seek(0)
    return FileResponse(buffer, as_attachment=True, filename="bao-cao-so-ket-%s-%s.docx" % (form.slug, key))


@require_POST
def remind(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    form = access_form(request.user, slug)
    _period_or_404(form, key)
    try:
        result = report_remind(form=form, period_key=key, by=request.user)
    except PermissionDenied:
        raise Http404 from None
    if result["stage"] is None:
        messages.info(request, _("Kỳ báo cáo chưa mở: chưa có gì để nhắc."))
    else:
        messages.success(request, _("Đã nhắc %(n)d đơn vị chưa nộp.") % {"n": result["sent"]})
    return redirect("oversight_admin:dashboard", slug=slug, key=key)


def report_page(request: HttpRequest, slug: str, key: str, unit_id: int) -> HttpResponse:
    form = access_form(request.user, slug)
    period = _period_or_404(form, key)
    unit = OrgUnit.objects.filter(pk=unit_id).first()
    if unit is None or not is_expected(form, period, unit) or not can_view(request.user, OnUnit(unit)):
        raise Http404
    report = Report.objects.filter(form=form, org_unit=unit, period_key=key).first()
    may_report = can(request.user, "oversight.report", OnUnit(unit))
    editable = (may_report and period_is_open(form, key, timezone.localdate())
                and (report is None or report.status != ReportStatus.APPROVED))
    initial = report.values if report else prefill(form, unit, period)
    web_form = values_form(form.fields, initial=initial, disabled=not editable)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "submit" and editable:
                web_form = values_form(form.fields, data=request.POST, initial=initial)
                if web_form.is_valid():
                    report_submit(form=form, unit=unit, period_key=key, values=form_values(web_form),
                                  by=request.user)
                    messages.success(request, _("Đã nộp báo cáo."))
                    return redirect(request.path)
            elif action in ("approve", "send_back") and report is not None:
                if action == "approve":
                    report_approve(report=report, by=request.user, comment=request.POST.get("comment", ""))
                    messages.success(request, _("Đã duyệt báo cáo."))
                else:
                    report_send_back(report=report, by=request.user, comment=request.POST.get("comment", ""))
                    messages.success(request, _("Đã trả lại báo cáo cho đơn vị."))
                return redirect(request.path)
            else:
                raise PermissionDenied(action or "")
        except ValidationError as exc:
            messages.error(request, "; ".join(exc.messages))
        except PermissionDenied:
            messages.error(request, _("Bạn không có quyền thực hiện thao tác này."))
    chain = approval_chain(report) if report else []
    next_level = chain[report.approvals] if report and report.approvals < len(chain) else None
    may_review = bool(report and next_level and report.status == ReportStatus.SUBMITTED
                      and can(request.user, "oversight.review", OnUnit(next_level)))
    return render(request, "oversight/report.html", {
        "form": form, "period": period, "unit": unit, "report": report, "web_form": web_form, "editable": editable,
        "due": due_date(period, form.due_days), "chain": chain, "next_level": next_level, "may_review": may_review,
        "reviews": report.reviews.select_related("by", "level_unit") if report else [],
    })
