from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from orgs.access import AccessLevel, can_view, ensure_can_view
from orgs.models import OrgUnit

pytestmark = pytest.mark.django_db


def thing(access: str, unit: OrgUnit | None) -> SimpleNamespace:
    return SimpleNamespace(access=access, org_unit=unit)


def test_public_is_visible_to_everyone(world):
    obj = thing(AccessLevel.PUBLIC, world.commune)
    for user in (None, AnonymousUser(), world.outsider, world.reader, world.other_reader, world.archivist):
        assert can_view(user, obj)


def test_internal_needs_membership_in_the_unit_line(world):
    obj = thing(AccessLevel.INTERNAL, world.commune)
    assert not can_view(AnonymousUser(), obj)
    assert not can_view(world.outsider, obj)
    assert can_view(world.reader, obj)  # own unit
    assert not can_view(world.other_reader, obj)  # another commune
    assert can_view(world.archivist, obj)  # the province above


def test_internal_material_of_the_province_is_visible_below_it(world):
    obj = thing(AccessLevel.INTERNAL, world.province)
    assert can_view(world.reader, obj)
    assert can_view(world.other_reader, obj)
    assert not can_view(world.outsider, obj)


def test_restricted_only_for_archivists_above_and_superusers(world):
    obj = thing(AccessLevel.RESTRICTED, world.commune)
    assert not can_view(None, obj)
    assert not can_view(world.reader, obj)
    assert can_view(world.archivist, obj)
    assert can_view(world.superuser, obj)
    province_level = thing(AccessLevel.RESTRICTED, world.province)
    assert can_view(world.archivist, province_level)
    assert not can_view(world.other_reader, province_level)


def test_restricted_is_404_not_403(world):
    with pytest.raises(Http404):
        ensure_can_view(world.reader, thing(AccessLevel.RESTRICTED, world.commune))


def test_inactive_user_is_the_public(world):
    world.archivist.is_active = False
    world.archivist.save()
    world.archivist._sulieu_access_scope = None
    assert not can_view(world.archivist, thing(AccessLevel.INTERNAL, world.province))
