from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from docx import Document

from oversight.models import Report, ReportForm
from oversight.services import commendation_get_or_create, report_submit
from oversight.tests.factories import FIELDS, GOOD, make_form, make_merger

pytestmark = pytest.mark.django_db


@pytest.fixture
def m():
    return make_merger()


def write(tmp_path, name, data):
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return str(path)


def run(*args):
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_cli_create_submit_status(m, tmp_path):
    spec = write(tmp_path, "spec.json", {
        "slug": "ct20", "title": "Chỉ thị 20", "root_unit": "90", "level": "commune", "period_type": "half-year",
        "cutoff": "decree-09-2019", "due_days": 10, "fields": FIELDS})
    assert "created report form ct20" in run("report_form", "create", "--spec", spec)
    values = write(tmp_path, "v.json", GOOD)
    out = run("report", "submit", "--form", "ct20", "--unit", "90001", "--period", "2025-H1", "--values", values,
              "--at", "2025-06-20T09:00")
    assert "on time" in out
    status = json.loads(run("report", "status", "--form", "ct20", "--period", "2025-H1", "--json"))
    assert status["period"] == {"key": "2025-H1", "start": "2024-12-15", "end": "2025-06-14", "due": "2025-06-24"}
    assert (status["expected"], status["submitted"], status["on_time"], status["missing"]) == (4, 1, 1, 3)
    remind = json.loads(run("report", "remind", "--form", "ct20", "--period", "2025-H1", "--dry-run", "--json",
                            "--now", "2025-06-26T08:00"))
    assert remind["sent"] == 3 and sorted(remind["units"]) == ["90002", "90003", "91001"]


@pytest.mark.parametrize(("args", "message"), [
    (["report", "submit", "--form", "nope", "--unit", "90101", "--period", "2025-H2", "--values", "{v}"],
     "no report form"),
    (["report", "submit", "--form", "ct20", "--unit", "90101", "--period", "2025-13", "--values", "{v}"],
     "invalid period key"),
    (["report", "submit", "--form", "ct20", "--unit", "90101", "--period", "2025-H2", "--values", "{bad}"],
     "meetings: expected int"),
    (["report", "submit", "--form", "ct20", "--unit", "90101", "--period", "2025-H2", "--values", "{broken}"],
     "not valid JSON"),
    (["report", "submit", "--form", "ct20", "--unit", "90101", "--period", "2025-H2", "--values", "{v}",
      "--at", "yesterday"], "ISO time"),
    (["report_form", "create", "--spec", "{missing}"], "cannot read"),
])
def test_cli_errors_exit_2_and_store_nothing(m, tmp_path, args, message):
    make_form(m)
    files = {"v": write(tmp_path, "v.json", GOOD), "bad": write(tmp_path, "b.json", {**GOOD, "meetings": "x"}),
             "missing": str(tmp_path / "none.json")}
    (tmp_path / "broken.json").write_text("{oops", encoding="utf-8")
    files["broken"] = str(tmp_path / "broken.json")
    args = [a.format(**files) for a in args]
    with pytest.raises(CommandError, match=message) as info:
        call_command(*args)
    assert info.value.returncode == 2
    assert not Report.objects.exists()


def test_status_api_staff_only_and_hidden_from_another_province(m, client):
    form = make_form(m)
    report_submit(form=form, unit=m.n1, period_key="2025-H2", values=GOOD,
                  at=dt.datetime(2026, 1, 2, tzinfo=dt.UTC))
    url = reverse("api-report-status", args=[form.slug, "2025-H2"])
    assert client.get(url).status_code == 403
    client.force_login(m.other_reviewer)
    assert client.get(url).status_code == 404
    client.force_login(m.reviewer)
    data = client.get(url).json()
    assert (data["form"], data["expected"], data["submitted"]) == ("ct20", 2, 1)
    assert client.get(reverse("api-report-status", args=[form.slug, "2025-99"])).status_code == 400


def test_dashboard_tree_and_report_page(m, client):
    form = make_form(m)
    report_submit(form=form, unit=m.n1, period_key="2025-H2", values={**GOOD, "lessons": "<script>alert(1)</script>"},
                  at=dt.datetime(2026, 1, 2, tzinfo=dt.UTC))
    client.force_login(m.reviewer)
    page = client.get(reverse("oversight_admin:dashboard", args=[form.slug, "2025-H2"]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Tỉnh A" in html and "Xã Mới Một" not in html  # collapsed: province only
    page = client.get(reverse("oversight_admin:dashboard", args=[form.slug, "2025-H2"]) + "?open=%d" % m.new_a.pk)
    assert "Xã Mới Một" in page.content.decode()
    report_url = reverse("oversight_admin:report", args=[form.slug, "2025-H2", m.n1.pk])
    html = client.get(report_url).content.decode()
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)" in html
    response = client.post(report_url, {"action": "approve", "comment": ""})
    assert response.status_code == 302
    assert Report.objects.get(org_unit=m.n1).status == "approved"
    client.force_login(m.other_reviewer)
    assert client.get(report_url).status_code == 404
    assert client.get(reverse("oversight_admin:dashboard", args=[form.slug, "2025-H2"])).status_code == 404


def test_commune_officer_submits_through_the_web_form(m, client, settings):
    from django.utils import timezone

    today = timezone.localdate()
    form = make_form(m, slug="month", period_type="month", due_days=20)
    from oversight.periods import period_containing

    key = period_containing(today, "month").key
    client.force_login(m.officer)
    url = reverse("oversight_admin:report", args=[form.slug, key, m.n1.pk])
    response = client.post(url, {"action": "submit", "meetings": "2", "has_plan": "true", "budget": "1.5",
                                 "lessons": "Tốt"})
    assert response.status_code == 302
    report = Report.objects.get(form=form)
    assert report.values == {"meetings": 2, "has_plan": True, "budget": 1.5, "lessons": "Tốt"}
    assert report.on_time
    neighbour = reverse("oversight_admin:report", args=[form.slug, key, m.n2.pk])
    assert client.get(neighbour).status_code == 404


def test_summary_docx_has_tables_quotes_and_commendations(m, client, tmp_path):
    form = make_form(m)
    report_submit(form=form, unit=m.n1, period_key="2025-H2",
                  values={**GOOD, "lessons": "Huy động người cao tuổi kể chuyện lịch sử."},
                  at=dt.datetime(2026, 1, 2, tzinfo=dt.UTC))
    commendation_get_or_create(recipient="Đảng ủy xã Mới Một", reason="Hoàn thành xuất sắc việc biên soạn lịch sử",
                               decision_symbol="123-QĐ/TU", decided_on=dt.date(2025, 11, 20), org_unit=m.n1)
    out = tmp_path / "so-ket.docx"
    run("report", "summary", "--form", form.slug, "--period", "2025-H2", "--out", str(out))
    doc = Document(str(out))
    text = "\n".join(p.text for p in doc.paragraphs)
    cells = "\n".join(c.text for t in doc.tables for row in t.rows for c in row.cells)
    assert "BÁO CÁO SƠ KẾT" in text and "Huy động người cao tuổi" in text
    assert "123-QĐ/TU" in cells and "Xã Mới Một" in cells and "Phường Mới Hai" in text  # missing unit
    client.force_login(m.reviewer)
    response = client.get(reverse("oversight_admin:summary", args=[form.slug, "2025-H2"]))
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    assert ReportForm.objects.count() == 1
