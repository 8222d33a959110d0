from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from wagtail.models import ModelLogEntry

from orgs.models import Role, UnitKind
from orgs.tests.factories import make_unit
from oversight.models import Notice, PeriodOpening, Report, ReportStatus
from oversight.selectors import expected_units, form_period, report_status, rollup_unit
from oversight.services import (
    approval_chain,
    period_reopen,
    report_approve,
    report_remind,
    report_send_back,
    report_submit,
    reportform_create,
)
from oversight.tests.factories import FIELDS, GOOD, make_form, make_merger, make_user

pytestmark = pytest.mark.django_db
UTC = dt.UTC


def at(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=UTC)


@pytest.fixture
def m():
    return make_merger()


def codes(form, key):
    return sorted(row["code"] for row in expected_units(form, form_period(form, key)))


def test_merger_boundary_h1_expects_old_communes_h2_the_new(m):
    form = make_form(m)
    assert codes(form, "2025-H1") == ["90001", "90002", "90003", "91001"]
    assert codes(form, "2025-H2") == ["90101", "90102"]
    cutoff = make_form(m, slug="ct20-cutoff", cutoff="decree-09-2019")
    # Decree 09/2019: 2025-H2 runs 15/6 → 14/12 and ends after the merger
    assert codes(cutoff, "2025-H1") == ["90001", "90002", "90003", "91001"]
    assert codes(cutoff, "2025-H2") == ["90101", "90102"]


def test_a_merged_away_units_report_stays_in_its_period_and_rolls_up_into_the_successors_parent(m):
    form = make_form(m)
    report_submit(form=form, unit=m.c1, period_key="2025-H1", values=GOOD, at=at(2025, 7, 2, 3))
    h1 = report_status(form, "2025-H1")
    assert (h1["expected"], h1["submitted"], h1["missing"]) == (4, 1, 3)
    assert report_status(form, "2025-H2")["submitted"] == 0
    assert rollup_unit(m.c1, dt.date(2025, 12, 31)) == m.new_a
    assert rollup_unit(m.c1, dt.date(2025, 3, 1)) == m.district


def test_status_json_counts_descendants_and_top_equals_the_roots(m, django_assert_max_num_queries):
    form = make_form(m)
    report_submit(form=form, unit=m.c1, period_key="2025-H1", values=GOOD, at=at(2025, 7, 5))
    report_submit(form=form, unit=m.c4, period_key="2025-H1", values=GOOD, at=at(2025, 7, 11))  # late
    with django_assert_max_num_queries(8):
        status = report_status(form, "2025-H1")
    assert status["period"] == {"key": "2025-H1", "start": "2025-01-01", "end": "2025-06-30", "due": "2025-07-10"}
    assert {k: status[k] for k in ("expected", "submitted", "on_time", "late", "missing")} == {
        "expected": 4, "submitted": 2, "on_time": 1, "late": 1, "missing": 2}
    units = {u["code"]: u for u in status["units"]}
    assert set(units["90"]) >= {"code", "name", "level", "parent", "expected", "submitted", "on_time", "late",
                                "missing"}
    assert (units["90"]["expected"], units["90"]["submitted"]) == (3, 1)
    assert (units["901"]["level"], units["901"]["parent"]) == ("district", "90")
    assert (units["91"]["expected"], units["91"]["late"]) == (1, 1)
    assert units["90001"]["on_time"] == 1 and units["90002"]["missing"] == 1
    roots = [units["90"], units["91"]]
    for key in ("expected", "submitted", "on_time", "late", "missing"):
        assert status[key] == sum(r[key] for r in roots)


def test_on_time_is_by_the_end_of_the_due_day_in_vietnam(m):
    form = make_form(m)
    ok = report_submit(form=form, unit=m.n1, period_key="2025-H2", values=GOOD, at=at(2026, 1, 10, 16, 59))
    late = report_submit(form=form, unit=m.n2, period_key="2025-H2", values=GOOD, at=at(2026, 1, 10, 17, 0))
    assert ok.on_time and not late.on_time


@pytest.mark.parametrize(("values", "message"), [
    ({"meetings": "ba", "has_plan": True}, "meetings: expected int"),
    ({"has_plan": True}, "meetings: required"),
    ({"meetings": -1, "has_plan": True}, "at least 0"),
    ({"meetings": 1, "has_plan": "maybe"}, "has_plan: expected bool"),
    ({"meetings": 1, "has_plan": True, "<script>": 1}, "unknown field"),
    ([1, 2], "JSON object"),
])
def test_invalid_values_are_refused_and_nothing_is_stored(m, values, message):
    form = make_form(m)
    with pytest.raises(ValidationError, match=message):
        report_submit(form=form, unit=m.n1, period_key="2025-H2", values=values)
    assert not Report.objects.exists()


def test_a_unit_outside_the_period_cannot_report(m):
    form = make_form(m)
    with pytest.raises(ValidationError, match="does not report"):
        report_submit(form=form, unit=m.n1, period_key="2025-H1", values=GOOD)
    with pytest.raises(ValidationError, match="does not report"):
        report_submit(form=form, unit=m.z1, period_key="2025-H2", values=GOOD)
    with pytest.raises(ValidationError, match="half-year"):
        report_submit(form=form, unit=m.n1, period_key="2025-07", values=GOOD)


def test_commune_officer_reports_for_their_own_unit_only(m):
    form = make_form(m)
    report = report_submit(form=form, unit=m.n1, period_key="2025-H2", values=GOOD, by=m.officer,
                           at=at(2026, 1, 2))
    assert report.submitted_by == m.officer
    with pytest.raises(PermissionDenied):
        report_submit(form=form, unit=m.n2, period_key="2025-H2", values=GOOD, by=m.officer, at=at(2026, 1, 2))


def test_every_value_change_is_audited(m):
    form = make_form(m)
    report = report_submit(form=form, unit=m.n1, period_key="2025-H2", values=GOOD, by=m.officer,
                           at=at(2026, 1, 2))
    report_send_back(report=report, by=m.reviewer, comment="Thiếu số liệu kinh phí")
    report_submit(form=form, unit=m.n1, period_key="2025-H2", values={**GOOD, "meetings": 5}, by=m.officer,
                  at=at(2026, 1, 3))
    entries = ModelLogEntry.objects.for_instance(report).filter(action="wagtail.edit")
    assert entries.count() == 1
    assert entries.get().data["changes"] == {"values.meetings": [3, 5]}
    assert entries.get().user == m.officer


def test_multi_level_approval_and_send_back():
    province = make_unit("Tỉnh P", kind=UnitKind.PROVINCE, code="95")
    district = make_unit("Huyện Q", kind=UnitKind.DISTRICT, parent=province, code="951")
    commune = make_unit("Xã R", parent=district, code="95101")
    owner = make_user("owner", unit=province, role=Role.ADMINISTRATOR)
    district_reviewer = make_user("dr", unit=district, role=Role.REVIEWER)
    province_reviewer = make_user("pr", unit=province, role=Role.REVIEWER)
    officer = make_user("officer", unit=commune, role=Role.REPORTER)
    officer.email = "officer@example.org"
    officer.save()
    form = reportform_create(spec={"slug": "q", "title": "Q", "root_unit": "95", "level": "commune",
                                   "period_type": "quarter", "fields": FIELDS}, by=owner)
    report = report_submit(form=form, unit=commune, period_key="2025-Q1", values=GOOD, at=at(2025, 4, 1))
    assert [u.name for u in approval_chain(report)] == ["Huyện Q", "Tỉnh P"]
    with pytest.raises(PermissionDenied):
        report_approve(report=report, by=officer)
    with pytest.raises(ValidationError, match="comment"):
        report_send_back(report=report, by=district_reviewer, comment="  ")
    report = report_approve(report=report, by=district_reviewer)
    assert (report.status, report.approvals) == (ReportStatus.SUBMITTED, 1)
    with pytest.raises(PermissionDenied):  # the province's turn now
        report_approve(report=report, by=district_reviewer)
    report = report_send_back(report=report, by=province_reviewer, comment="Số hội nghị chưa khớp")
    assert (report.status, report.approvals, report.comment) == (ReportStatus.RETURNED, 0, "Số hội nghị chưa khớp")
    assert Notice.objects.filter(user=officer, text__contains="Số hội nghị chưa khớp").exists()
    with pytest.raises(ValidationError, match="sent back"):
        report_approve(report=report, by=district_reviewer)
    report = report_submit(form=form, unit=commune, period_key="2025-Q1", values=GOOD, at=at(2025, 4, 2))
    report = report_approve(report=report_approve(report=report, by=district_reviewer), by=province_reviewer)
    assert report.status == ReportStatus.APPROVED
    with pytest.raises(ValidationError, match="approved"):
        report_submit(form=form, unit=commune, period_key="2025-Q1", values=GOOD, at=at(2025, 4, 3))
    assert [r.decision for r in report.reviews.all()] == ["approve", "return", "approve", "approve"]


def test_after_the_reform_commune_reports_go_straight_to_the_province(m):
    form = make_form(m)
    old = report_submit(form=form, unit=m.c1, period_key="2025-H1", values=GOOD, at=at(2025, 7, 1))
    # the district ended on 30/6/2025 without a successor; the old province is now the new one
    assert approval_chain(old, dt.date(2026, 1, 1)) == [m.new_a]
    assert [u.name for u in approval_chain(old, dt.date(2025, 6, 1))] == ["Huyện D", "Tỉnh A (cũ)"]
    assert report_approve(report=old, by=m.reviewer).status == ReportStatus.APPROVED


def test_lock_after_expiry_reopened_only_by_the_forms_owner(m):
    form = make_form(m, expiry_days=5)  # due 10/1/2026, locked from 16/1/2026
    report_submit(form=form, unit=m.n1, period_key="2025-H2", values=GOOD, at=at(2026, 1, 15, 10))
    with pytest.raises(ValidationError, match="locked"):
        report_submit(form=form, unit=m.n2, period_key="2025-H2", values=GOOD, at=at(2026, 1, 16, 10))
    with pytest.raises(PermissionDenied):
        period_reopen(form=form, period_key="2025-H2", until=dt.date(2026, 1, 31), by=m.reviewer)
    assert not PeriodOpening.objects.exists()
    period_reopen(form=form, period_key="2025-H2", until=dt.date(2026, 1, 31), by=m.owner, reason="Xã mới")
    late = report_submit(form=form, unit=m.n2, period_key="2025-H2", values=GOOD, at=at(2026, 1, 20, 10))
    assert not late.on_time
    entry = ModelLogEntry.objects.get(action="oversight.reopen")
    assert entry.user == m.owner and entry.data["changes"] == {"open.2025-H2": [None, "2026-01-31"]}
    with pytest.raises(ValidationError, match="locked"):
        report_submit(form=form, unit=m.n2, period_key="2025-H2", values=GOOD, at=at(2026, 2, 1, 10))


def test_reviewer_of_another_province_sees_and_approves_nothing(m):
    form = make_form(m)
    report = report_submit(form=form, unit=m.n1, period_key="2025-H2", values=GOOD, at=at(2026, 1, 2))
    status = report_status(form, "2025-H2", user=m.other_reviewer)
    assert (status["expected"], status["units"]) == (0, [])
    with pytest.raises(PermissionDenied):
        report_approve(report=report, by=m.other_reviewer)
    own = report_status(form, "2025-H2", user=m.reviewer)
    assert own["expected"] == 2
    # a commune officer sees their own unit, not the neighbour nor the province's totals
    mine = report_status(form, "2025-H2", user=m.officer)
    assert [u["code"] for u in mine["units"]] == ["90101"] and mine["expected"] == 1
    # the province's reviewer also sees the old units of 2025-H1 (merged into theirs)
    assert report_status(form, "2025-H1", user=m.reviewer)["expected"] == 4
    assert report_status(form, "2025-H1", user=m.other_reviewer)["expected"] == 0


def test_remind_only_non_reporters_never_twice_per_stage(m):
    m.officer.email, m.officer_n2.email = "xa1@example.org", "xa2@example.org"
    m.officer.save()
    m.officer_n2.save()
    form = make_form(m)  # 2025-H2: ends 31/12, due 10/1
    report_submit(form=form, unit=m.n1, period_key="2025-H2", values=GOOD, at=at(2025, 12, 31))
    assert report_remind(form=form, period_key="2025-H2", now=at(2025, 12, 1))["stage"] is None
    dry = report_remind(form=form, period_key="2025-H2", now=at(2026, 1, 1, 3), dry_run=True)
    assert (dry["sent"], dry["units"], dry["stage"]) == (1, ["90102"], "opening")
    assert not mail.outbox
    sent = report_remind(form=form, period_key="2025-H2", now=at(2026, 1, 1, 3))
    assert (sent["sent"], sent["units"]) == (1, ["90102"])
    assert [msg.to for msg in mail.outbox] == [["xa2@example.org"]]
    assert Notice.objects.filter(user=m.officer_n2).count() == 1
    again = report_remind(form=form, period_key="2025-H2", now=at(2026, 1, 2, 3))
    assert again["sent"] == 0 and len(mail.outbox) == 1
    overdue = report_remind(form=form, period_key="2025-H2", now=at(2026, 1, 12, 3))
    assert (overdue["stage"], overdue["units"]) == ("overdue", ["90102"])
    assert len(mail.outbox) == 2


@pytest.mark.parametrize(("change", "message"), [
    ({"level": "hamlet"}, "level"),
    ({"period_type": "week"}, "period_type"),
    ({"cutoff": "lunar"}, "cutoff"),
    ({"root_unit": "00000"}, "no org unit"),
    ({"slug": "Bad Slug!"}, "slug"),
    ({"fields": [{"key": "a", "label": "A", "type": "file"}]}, "type"),
    ({"due_days": -3}, "due_days"),
])
def test_bad_form_specs_are_refused(m, change, message):
    with pytest.raises(ValidationError, match=message):
        make_form(m, **change)
