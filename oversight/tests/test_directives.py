from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from oversight.services import (
    assignment_update,
    directive_get_or_create,
    owner_units,
    task_create,
    task_progress,
)
from oversight.tests.factories import make_merger

pytestmark = pytest.mark.django_db


def test_directive_tasks_for_owner_units_by_level_and_name():
    m = make_merger()
    plan, created = directive_get_or_create(symbol="98-KH/TU", title="Sơ kết 05 năm Chỉ thị 20", org_unit=m.new_a,
                                            by=m.owner)
    assert created and directive_get_or_create(symbol="98-KH/TU", title="x")[1] is False
    communes = owner_units(root=m.new_a, level="commune", on=dt.date(2025, 8, 1))
    assert [u.code for u in communes] == ["90101", "90102"]
    assert [u.code for u in owner_units(root=m.new_a, names=["Xã Mới Một"], on=dt.date(2025, 8, 1))] == ["90101"]
    with pytest.raises(ValidationError, match="no unit named"):
        owner_units(root=m.new_a, names=["Xã Ma"])
    task = task_create(directive=plan, title="Xây dựng báo cáo sơ kết", units=communes, owner_level="commune",
                       deadline=dt.date(2025, 9, 30), indicator="Báo cáo", by=m.owner,
                       evidence=[{"label": "Kế hoạch", "url": "/archive/items/1/"}])
    with pytest.raises(ValidationError, match="evidence"):
        task_create(directive=plan, title="x", units=[], evidence=[{"url": "javascript:alert(1)"}])
    with pytest.raises(PermissionDenied):
        task_create(directive=plan, title="x", units=[], by=m.officer)
    mine = task.assignments.get(org_unit=m.n1)
    assignment_update(assignment=mine, status="done", by=m.officer, note="Đã nộp")
    with pytest.raises(PermissionDenied):
        assignment_update(assignment=task.assignments.get(org_unit=m.n2), status="done", by=m.officer)
    assert task_progress(task, dt.date(2025, 10, 1)) == {"not_started": 1, "in_progress": 0, "done": 1, "overdue": 1}
