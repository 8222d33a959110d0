from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from wagtail.models import ModelLogEntry

from orgs.models import OrgUnit, Role, UnitKind
from orgs.policy import can
from orgs.roles import group_name
from orgs.services import membership_remove, membership_set, orgunit_replace, orgunit_update
from orgs.tests.factories import make_unit, make_user

pytestmark = pytest.mark.django_db


def test_paths_follow_the_tree_and_moves_carry_the_subtree():
    a = make_unit("A", kind=UnitKind.PROVINCE)
    b = make_unit("B", kind=UnitKind.PROVINCE)
    c = make_unit("C", parent=a)
    d = make_unit("D", parent=c)
    assert d.path == f"{a.pk:06d}.{c.pk:06d}.{d.pk:06d}."
    assert d.ancestor_ids() == [a.pk, c.pk, d.pk]
    orgunit_update(unit=c, parent=b)
    d.refresh_from_db()
    assert d.path.startswith(b.path) and d.depth == 2
    assert set(OrgUnit.objects.filter(path__startswith=b.path).values_list("name", flat=True)) == {"B", "C", "D"}


def test_a_unit_cannot_move_under_itself():
    a = make_unit("A", kind=UnitKind.PROVINCE)
    c = make_unit("C", parent=a)
    with pytest.raises(ValueError):
        orgunit_update(unit=a, parent=c)


def test_merger_records_validity_and_successor_with_audit(world):
    new = make_unit("Tỉnh Khánh Hòa (mới)", kind=UnitKind.PROVINCE, code="56", valid_from=dt.date(2025, 7, 1))
    orgunit_replace(old=world.province, new=new, on=dt.date(2025, 7, 1), by=world.superuser)
    world.province.refresh_from_db()
    assert world.province.valid_to == dt.date(2025, 6, 30)
    assert world.province.replaced_by == new and not world.province.is_current
    entry = ModelLogEntry.objects.filter(object_id=str(world.province.pk), action="wagtail.edit").latest("timestamp")
    assert entry.user == world.superuser
    assert entry.data["changes"]["valid_to"] == [None, "2025-06-30"]


def test_roles_apply_to_the_unit_and_below(world):
    doc = type("Doc", (), {"access": "internal", "org_unit": world.commune})()
    assert can(world.archivist, "archive.describe", doc)
    assert not can(world.reader, "archive.describe", doc)
    assert can(world.superuser, "archive.describe", doc)
    assert not can(None, "archive.describe", doc)
    other = type("Doc", (), {"access": "internal", "org_unit": world.other_commune})()
    compiler = make_user("compiler", unit=world.commune, role=Role.COMPILER)
    assert can(compiler, "archive.ingest", doc)
    assert not can(compiler, "archive.ingest", other)


def test_membership_gives_and_takes_the_back_office_group(world):
    user = make_user("editor1")
    membership = membership_set(user=user, unit=world.commune, role=Role.EDITOR)
    assert membership_set(user=user, unit=world.commune, role=Role.EDITOR) == membership  # idempotent
    assert user.groups.filter(name=group_name(Role.EDITOR)).exists()
    assert Group.objects.get(name=group_name(Role.EDITOR)).permissions.filter(codename="access_admin").exists()
    membership_remove(membership=membership)
    assert not user.groups.filter(name=group_name(Role.EDITOR)).exists()


def test_unknown_role_is_refused(world):
    with pytest.raises(ValueError):
        membership_set(user=world.outsider, unit=world.commune, role="king")
