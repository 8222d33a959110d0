"""Writes to org units and memberships. Every caller (back office, CLI, demo, tests) comes here."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import Group
from django.db import transaction

from core.audit import audit, diff, snapshot
from core.tree import tree_move, tree_place
from orgs.models import Membership, OrgUnit, Role


def orgunit_create(*, name: str, kind: str, parent: OrgUnit | None = None, code: str = "",
                   short_name: str = "", valid_from: dt.date | None = None, valid_to: dt.date | None = None,
                   note: str = "", by: Any = None) -> OrgUnit:
    with transaction.atomic():
        unit = OrgUnit.objects.create(name=name, kind=kind, parent=parent, code=code, short_name=short_name,
                                      valid_from=valid_from, valid_to=valid_to, note=note)
        tree_place(unit)
        audit(unit, "wagtail.create", by=by, changes=diff({}, snapshot(unit)))
    return unit


def orgunit_get_or_create(*, kind: str, code: str, name: str, parent: OrgUnit | None = None,
                          valid_from: dt.date | None = None, by: Any = None, **fields: Any) -> tuple[OrgUnit, bool]:
    """Idempotent create, keyed on (kind, code, valid_from): loaders and the demo re-run safely."""
    existing = OrgUnit.objects.filter(kind=kind, code=code, valid_from=valid_from).first()
    if existing is not None:
        return existing, False
    return orgunit_create(kind=kind, code=code, name=name, parent=parent, valid_from=valid_from, by=by,
                          **fields), True


def orgunit_update(*, unit: OrgUnit, by: Any = None, **fields: Any) -> OrgUnit:
    """Change fields of a unit; a new parent moves the whole subtree."""
    before = snapshot(unit)
    with transaction.atomic():
        for key, value in fields.items():
            setattr(unit, key, value)
        unit.save()
        if "parent" in fields or "parent_id" in fields:
            tree_move(unit)
        audit(unit, "wagtail.edit", by=by, changes=diff(before, snapshot(unit)))
    return unit


def orgunit_replace(*, old: OrgUnit, new: OrgUnit, on: dt.date, by: Any = None) -> OrgUnit:
    """Record a merger or split: ``old`` ends the day before ``on`` and is replaced by ``new``."""
    return orgunit_update(unit=old, valid_to=on - dt.timedelta(days=1), replaced_by=new, by=by)


def membership_set(*, user: Any, unit: OrgUnit, role: str, by: Any = None) -> Membership:
    """Give ``user`` ``role`` in ``unit`` (idempotent) and the matching back-office group."""
    if role not in Role.values:
        raise ValueError(f"unknown role {role!r}")
    membership, created = Membership.objects.get_or_create(user=user, unit=unit, role=role)
    if created:
        audit(membership, "wagtail.create", by=by,
              changes={"user": [None, user.pk], "unit": [None, unit.pk], "role": [None, role]})
    from orgs.roles import group_name

    group = Group.objects.filter(name=group_name(role)).first()
    if group is not None:
        user.groups.add(group)
    return membership


def membership_remove(*, membership: Membership, by: Any = None) -> None:
    audit(membership, "wagtail.delete", by=by,
          changes={"role": [membership.role, None], "unit": [membership.unit_id, None]})
    user, role = membership.user, membership.role
    membership.delete()
    if not Membership.objects.filter(user=user, role=role).exists():
        from orgs.roles import group_name

        user.groups.remove(*Group.objects.filter(name=group_name(role)))
