"""Demo: Khánh Hòa's 98-KH/TU plan (sơ kết 05 năm Chỉ thị 20-CT/TW) as a directive with tasks for real
units, a half-year report form with some communes late and some missing, reminders written to the demo
mail folder (files under the data directory), a commendation and the sơ kết DOCX.

Idempotent: forms, directives, reports and commendations are looked up first; reminders are sent once
per stage by design.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone

from archive.models import Item
from orgs.models import OrgUnit, Role
from orgs.services import membership_set
from oversight.models import Report, ReportForm
from oversight.selectors import expected_units, form_period
from oversight.services import (
    commendation_get_or_create,
    directive_get_or_create,
    owner_units,
    report_approve,
    report_remind,
    report_send_back,
    report_submit,
    reportform_create,
    task_create,
)
from oversight.summary import summary_docx

FORM_SLUG = "ct20-khanh-hoa-6-thang"
PERIOD = "2025-H2"
FIELDS = [
    {"key": "conferences", "label": "Số hội nghị quán triệt, tuyên truyền", "type": "int", "required": True,
     "min": 0},
    {"key": "people_reached", "label": "Số lượt cán bộ, đảng viên, nhân dân tham gia", "type": "int",
     "required": True, "min": 0},
    {"key": "items_digitised", "label": "Số tài liệu lịch sử đã số hóa", "type": "int", "required": False,
     "min": 0, "source": "items_digitised"},
    {"key": "staff_trained", "label": "Số cán bộ làm công tác lịch sử Đảng được bồi dưỡng", "type": "int",
     "required": False, "min": 0},
    {"key": "budget", "label": "Kinh phí ngân sách (triệu đồng)", "type": "decimal", "required": False, "min": 0},
    {"key": "socialised", "label": "Kinh phí xã hội hóa (triệu đồng)", "type": "decimal", "required": False,
     "min": 0},
    {"key": "history_compiled", "label": "Đã biên soạn, tái bản lịch sử Đảng bộ xã", "type": "bool",
     "required": True},
    {"key": "lessons", "label": "Cách làm hay, bài học kinh nghiệm", "type": "text", "required": False},
]
LESSONS = [
    "Phối hợp với Hội Cựu chiến binh sưu tầm hồi ký, ảnh tư liệu của các nhân chứng lịch sử.",
    "Đưa nội dung lịch sử Đảng bộ xã vào sinh hoạt chi bộ định kỳ hằng tháng.",
    "Tổ chức cho đoàn viên thanh niên đến nhà truyền thống, di tích lịch sử trên địa bàn.",
    "Số hóa sổ sách, biên bản cũ của Đảng bộ trước khi sáp nhập để không thất lạc tư liệu.",
]


def _item(name: str) -> Item | None:
    return Item.objects.filter(original_name=name).first()


def _user(make_user: Callable[..., Any], username: str, first_name: str, unit: OrgUnit, role: str,
          admin: Any) -> Any:
    user = make_user(username, first_name=first_name)
    membership_set(user=user, unit=unit, role=role, by=admin)
    return user


def load_demo(context: dict[str, Any], log: Callable[[str], None]) -> None:
    admin, province = context["admin"], context["province"]
    committee = context.get("committee") or province
    owner = _user(context["demo_user"], "bantuyengiao", "Ban Tuyên giáo và Dân vận", province,
                  Role.ADMINISTRATOR, admin)
    reviewer = _user(context["demo_user"], "thamdinh", "Thẩm định tỉnh", province, Role.REVIEWER, admin)

    ct20, _ = directive_get_or_create(
        symbol="20-CT/TW", issued_on=dt.date(2018, 1, 18), item=_item("20-CT-TW-chi-thi-ban-bi-thu.odt"),
        title="Chỉ thị về tiếp tục tăng cường, nâng cao chất lượng nghiên cứu, biên soạn, tuyên truyền, "
              "giáo dục lịch sử Đảng", access="public", by=admin)
    kh84, _ = directive_get_or_create(
        symbol="84-KH/TU", issued_on=dt.date(2018, 4, 17), implements=ct20, org_unit=committee,
        item=_item("84-KH-TU-ke-hoach-thuc-hien.docx"), access="public",
        title="Kế hoạch thực hiện Chỉ thị số 20-CT/TW của Ban Bí thư", by=admin)
    plan, created = directive_get_or_create(
        symbol="98-KH/TU", issued_on=dt.date(2022, 8, 18), implements=ct20, org_unit=committee,
        item=_item("98-KH-TU-ke-hoach-so-ket.docx"), access="public",
        title="Kế hoạch sơ kết 05 năm thực hiện Chỉ thị số 20-CT/TW", by=admin)
    today = timezone.localdate()
    if created or not plan.tasks.exists():
        communes = owner_units(root=province, level="commune", on=today)
        task_create(directive=plan, title="Xây dựng báo cáo sơ kết 05 năm thực hiện Chỉ thị số 20-CT/TW và "
                    "Kế hoạch số 84-KH/TU", units=communes, owner_level="commune", deadline=dt.date(2026, 1, 10),
                    indicator="Báo cáo sơ kết của đảng ủy xã, phường, đặc khu", by=admin)
        named = owner_units(root=province, names=[c.name for c in communes[:3]], on=today)
        task_create(directive=plan, title="Tổ chức hội nghị sơ kết, biểu dương tập thể, cá nhân tiêu biểu",
                    units=named, deadline=dt.date(2026, 3, 31), indicator="Số hội nghị", target=3,
                    evidence=[{"label": "Kế hoạch 98-KH/TU", "url": "/archive/"}], by=admin)
        task_create(directive=plan, title="Sưu tầm, số hóa tư liệu lịch sử Đảng bộ trước sắp xếp đơn vị hành "
                    "chính 2025", units=[province], owner_level="province", deadline=dt.date(2026, 6, 30),
                    indicator="Số tài liệu số hóa", target=500, by=admin)
    log("oversight: directive 98-KH/TU with %d tasks" % plan.tasks.count())

    form = ReportForm.objects.filter(slug=FORM_SLUG).first()
    if form is None:
        form = reportform_create(by=owner, spec={
            "slug": FORM_SLUG, "title": "Báo cáo 6 tháng thực hiện Chỉ thị số 20-CT/TW (Kế hoạch 98-KH/TU)",
            "root_unit": province.code, "level": "commune", "period_type": "half-year", "cutoff": "calendar",
            "due_days": 10, "expiry_days": 30, "fields": FIELDS})
    period = form_period(form, PERIOD)
    units = expected_units(form, period)
    by_id = {u.pk: u for u in OrgUnit.objects.filter(pk__in=[row["id"] for row in units])}
    done = set(Report.objects.filter(form=form, period_key=PERIOD).values_list("org_unit_id", flat=True))
    tz = timezone.get_current_timezone()
    officers = []
    for i, row in enumerate(units):
        unit = by_id[row["id"]]
        if i % 6 == 5:
            officers.append(unit)  # missing: these will be reminded
            continue
        if unit.pk in done:
            continue
        late = i % 6 == 4
        at = dt.datetime(2026, 1, 14 if late else 3 + i % 7, 9, 30, tzinfo=tz)
        values = {"conferences": 1 + i % 4, "people_reached": 120 + 37 * i, "items_digitised": i % 9,
                  "staff_trained": i % 3, "budget": 5 + i % 5 * 2.5, "socialised": (i % 4) * 3,
                  "history_compiled": i % 3 != 0, "lessons": LESSONS[i % len(LESSONS)] if i % 3 == 0 else ""}
        report_submit(form=form, unit=unit, period_key=PERIOD, values=values, at=at)
    for unit in officers[:4]:
        _user(context["demo_user"], "xa%s" % unit.code, "Cán bộ %s" % unit.name, unit, Role.REPORTER, admin)
    reports = list(Report.objects.filter(form=form, period_key=PERIOD, status="submitted").order_by("org_unit__path"))
    if reports and not Report.objects.filter(form=form, status="approved").exists():
        for report in reports[:10]:
            report_approve(report=report, by=reviewer, comment="Số liệu đầy đủ.")
        report_send_back(report=reports[10], by=reviewer,
                         comment="Đề nghị bổ sung số cán bộ được bồi dưỡng và kinh phí xã hội hóa.")
    reminded = report_remind(form=form, period_key=PERIOD, by=owner)
    log("oversight: form %s %s — %d units expected, %d reminded (stage %s), mail in %s" % (
        FORM_SLUG, PERIOD, len(units), reminded["sent"], reminded["stage"], settings.EMAIL_FILE_PATH))

    first = units[0] if units else None
    commendation_get_or_create(
        kind="award", decision_symbol="(demo) 01-QĐ/BTGDVTU", decided_on=dt.date(2025, 12, 20),
        recipient="Đảng ủy %s" % (first["name"] if first else province.name),
        org_unit=by_id.get(first["id"]) if first else province, directive=plan,
        reason="Hoàn thành xuất sắc việc sưu tầm, số hóa tư liệu lịch sử Đảng bộ trước sắp xếp đơn vị hành chính",
        evidence=[{"label": "Kế hoạch 98-KH/TU", "url": "/archive/"}], by=admin)
    commendation_get_or_create(
        kind="model", decision_symbol="(demo) 02-TB/BTGDVTU", decided_on=dt.date(2025, 12, 20),
        recipient="Mô hình \u201cKể chuyện lịch sử Đảng bộ xã\u201d ở nhà truyền thống", org_unit=province,
        directive=plan, reason="Cách làm hay đề nghị nhân rộng", by=admin)
    out = Path(settings.DATA_DIR) / "demo" / ("bao-cao-so-ket-%s-%s.docx" % (FORM_SLUG, PERIOD))
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("wb") as fh:
        summary_docx(form, PERIOD, fh)
    log("oversight: sơ kết report written to %s (also: back office → Báo cáo định kỳ)" % out)
