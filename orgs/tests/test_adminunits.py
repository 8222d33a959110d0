from __future__ import annotations

import datetime as dt

import pytest

from orgs.adminunits import load_province
from orgs.models import OrgUnit, UnitKind

pytestmark = pytest.mark.django_db


def test_load_khanh_hoa_old_and_new_idempotently():
    result = load_province("khanh hoa")
    province = result.province
    assert province.name == "Tỉnh Khánh Hòa" and province.code == "56"
    assert province.valid_from == dt.date(2025, 7, 1) and province.valid_to is None
    new_units = OrgUnit.objects.filter(parent=province)
    # NQ 1667/NQ-UBTVQH15: 65 units (48 xã, 16 phường, 1 đặc khu)
    assert new_units.count() == 65
    assert new_units.filter(kind=UnitKind.SPECIAL_ZONE).get().name == "Đặc khu Trường Sa"
    assert new_units.filter(kind=UnitKind.WARD).count() == 16
    old = OrgUnit.objects.filter(kind=UnitKind.PROVINCE, valid_to=dt.date(2025, 6, 30))
    assert set(old.values_list("short_name", flat=True)) == {"Khánh Hòa", "Ninh Thuận"}
    assert all(p.replaced_by_id == province.pk for p in old)
    # an old commune points at the new one it was merged into
    old_ward = OrgUnit.objects.get(name="Thị trấn Trường Sa", valid_to__isnull=False)
    assert old_ward.replaced_by.name == "Đặc khu Trường Sa"
    assert OrgUnit.objects.filter(kind=UnitKind.DISTRICT, valid_to=dt.date(2025, 6, 30)).exists()

    before = OrgUnit.objects.count()
    again = load_province("Khánh Hòa")
    assert again.created == 0 and OrgUnit.objects.count() == before


def test_unknown_province_is_a_clear_error():
    with pytest.raises(ValueError, match="unknown province"):
        load_province("Atlantis")
