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


def test_queryset_filter_agrees_with_can_view_for_every_user_unit_and_level(world):
    """visible_q (used by every list and by search) and can_view (used by every page) never disagree."""
    from archive.models import Item
    from archive.records import blob_put_bytes
    from orgs.access import filter_visible

    made = []
    for unit in (world.province, world.commune, world.other_commune, None):
        for level in AccessLevel.values:
            blob = blob_put_bytes(data=f"{level} {unit}".encode())
            made.append(Item.objects.create(title=f"{level} {unit}", access=level, org_unit=unit, original=blob))
    users = (None, AnonymousUser(), world.outsider, world.reader, world.other_reader, world.archivist,
             world.superuser)
    for user in users:
        visible = set(filter_visible(user, Item.objects.filter(pk__in=[i.pk for i in made]))
                      .values_list("pk", flat=True))
        expected = {i.pk for i in made if can_view(user, i)}
        assert visible == expected, user
    # not vacuous: public only (anonymous, outsider), two different communes, everything (archivist, root)
    assert len({frozenset(filter_visible(u, Item.objects.all()).values_list("pk", flat=True)) for u in users}) == 4
