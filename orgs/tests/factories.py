from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model

from orgs.models import OrgUnit, UnitKind
from orgs.services import membership_set, orgunit_create


def make_unit(name: str, *, kind: str = UnitKind.COMMUNE, parent: OrgUnit | None = None, **kw: Any) -> OrgUnit:
    return orgunit_create(name=name, kind=kind, parent=parent, **kw)


def make_user(username: str, *, unit: OrgUnit | None = None, role: str | None = None,
              superuser: bool = False) -> Any:
    user = get_user_model().objects.create_user(username=username, password="correct-horse-battery-9",
                                                is_superuser=superuser, is_staff=superuser)
    if unit is not None and role is not None:
        membership_set(user=user, unit=unit, role=role)
    return user
