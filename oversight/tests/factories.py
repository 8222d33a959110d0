"""A small merger world: two old provinces merged into a new one on 1/7/2025, and another province."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from orgs.models import OrgUnit, Role, UnitKind
from orgs.services import membership_set, orgunit_update
from orgs.tests.factories import make_unit
from oversight.services import reportform_create


def make_user(username: str, *, unit: OrgUnit, role: str) -> Any:
    """A user with a role (no password: hashing one costs a second a user on a loaded machine)."""
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create(username=username, email="%s@example.org" % username)
    membership_set(user=user, unit=unit, role=role)
    return user

OLD_END = dt.date(2025, 6, 30)
NEW_START = dt.date(2025, 7, 1)

FIELDS = [
    {"key": "meetings", "label": "Số hội nghị quán triệt", "type": "int", "required": True, "min": 0},
    {"key": "budget", "label": "Kinh phí (triệu đồng)", "type": "decimal", "required": False},
    {"key": "has_plan", "label": "Đã ban hành kế hoạch", "type": "bool", "required": True},
    {"key": "lessons", "label": "Bài học kinh nghiệm", "type": "text", "required": False},
]


@dataclass
class Merger:
    old_a: OrgUnit
    old_b: OrgUnit
    district: OrgUnit
    c1: OrgUnit
    c2: OrgUnit
    c3: OrgUnit
    c4: OrgUnit
    new_a: OrgUnit
    n1: OrgUnit
    n2: OrgUnit
    other: OrgUnit
    z1: OrgUnit
    owner: Any
    reviewer: Any  # reviewer of the new province
    other_reviewer: Any  # reviewer of another province
    officer: Any  # reporter of commune n1
    officer_n2: Any


def make_merger() -> Merger:
    old = {"valid_to": OLD_END}
    old_a = make_unit("Tỉnh A (cũ)", kind=UnitKind.PROVINCE, code="90", **old)
    district = make_unit("Huyện D", kind=UnitKind.DISTRICT, code="901", parent=old_a, **old)
    c1 = make_unit("Xã Một", parent=district, code="90001", **old)
    c2 = make_unit("Xã Hai", parent=district, code="90002", **old)
    c3 = make_unit("Thị trấn Ba", kind=UnitKind.TOWNSHIP, parent=district, code="90003", **old)
    old_b = make_unit("Tỉnh B (cũ)", kind=UnitKind.PROVINCE, code="91", **old)
    district_b = make_unit("Huyện E", kind=UnitKind.DISTRICT, code="911", parent=old_b, **old)
    c4 = make_unit("Xã Bốn", parent=district_b, code="91001", **old)
    new_a = make_unit("Tỉnh A", kind=UnitKind.PROVINCE, code="90", valid_from=NEW_START)
    n1 = make_unit("Xã Mới Một", parent=new_a, code="90101", valid_from=NEW_START)
    n2 = make_unit("Phường Mới Hai", kind=UnitKind.WARD, parent=new_a, code="90102", valid_from=NEW_START)
    for unit, successor in ((old_a, new_a), (old_b, new_a), (c1, n1), (c2, n1), (c3, n2), (c4, n2)):
        orgunit_update(unit=unit, replaced_by=successor)
    other = make_unit("Tỉnh Z", kind=UnitKind.PROVINCE, code="99", valid_from=NEW_START)
    z1 = make_unit("Xã Zê", parent=other, code="99001", valid_from=NEW_START)
    return Merger(
        old_a=old_a, old_b=old_b, district=district, c1=c1, c2=c2, c3=c3, c4=c4, new_a=new_a, n1=n1, n2=n2,
        other=other, z1=z1,
        owner=make_user("owner", unit=new_a, role=Role.ADMINISTRATOR),
        reviewer=make_user("reviewer", unit=new_a, role=Role.REVIEWER),
        other_reviewer=make_user("other_reviewer", unit=other, role=Role.REVIEWER),
        officer=make_user("officer", unit=n1, role=Role.REPORTER),
        officer_n2=make_user("officer_n2", unit=n2, role=Role.REPORTER),
    )


def make_form(m: Merger, **overrides: Any) -> Any:
    spec = {"slug": "ct20", "title": "Báo cáo thực hiện Chỉ thị 20-CT/TW", "root_unit": "90", "level": "commune",
            "period_type": "half-year", "cutoff": "calendar", "due_days": 10, "fields": FIELDS}
    spec.update(overrides)
    return reportform_create(spec=spec, by=m.owner)


GOOD = {"meetings": 3, "budget": "12,5", "has_plan": True, "lessons": "Phát huy vai trò người cao tuổi."}
