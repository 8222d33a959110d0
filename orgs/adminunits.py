"""Load a province's real administrative units, before and after the 2025 reform, from the offline
data of the ``vietnamadminunits`` package (no network).

The 34-province tree (from 01/7/2025: province → commune/ward/special zone) is loaded as current
units; the provinces merged into it are loaded with their districts and communes as units that
ended on 30/6/2025, each old commune ``replaced_by`` the new one it was merged into.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction

from orgs.models import OrgUnit, UnitKind
from orgs.services import orgunit_get_or_create, orgunit_update

REFORM_DAY = dt.date(2025, 7, 1)
LAST_OLD_DAY = REFORM_DAY - dt.timedelta(days=1)

_NEW_KINDS = {"Phường": UnitKind.WARD, "Xã": UnitKind.COMMUNE, "Đặc khu": UnitKind.SPECIAL_ZONE}
_OLD_KINDS = {"Phường": UnitKind.WARD, "Xã": UnitKind.COMMUNE, "Thị trấn": UnitKind.TOWNSHIP}


def _data_dir() -> Path:
    import vietnamadminunits

    return Path(vietnamadminunits.__file__).parent / "data"


def _rows(sql: str, params: tuple = ()) -> list[dict[str, Any]]:
    with sqlite3.connect(_data_dir() / "dataset.db") as conn:
        conn.row_factory = sqlite3.Row
        return [dict(row) for row in conn.execute(sql, params)]


@dataclass
class LoadResult:
    province: OrgUnit
    created: int
    existing: int


def province_names() -> list[str]:
    return [r["provinceShort"] for r in _rows("SELECT DISTINCT provinceShort FROM admin_units ORDER BY 1")]


def load_province(name: str, *, by: Any = None, progress: Callable[[int, int], None] | None = None) -> LoadResult:
    """Load province ``name`` (e.g. "Khánh Hòa"), idempotently. Raises ValueError for an unknown name."""
    from vntext import fold

    wanted = fold(name).replace("tinh ", "").replace("thanh pho ", "").strip()
    new_rows = [r for r in _rows("SELECT * FROM admin_units") if fold(r["provinceShort"]) == wanted]
    if not new_rows:
        raise ValueError(f"unknown province {name!r}; known: {', '.join(province_names())}")
    counts = {"created": 0, "existing": 0}

    def get(**kwargs: Any) -> OrgUnit:
        unit, created = orgunit_get_or_create(by=by, **kwargs)
        counts["created" if created else "existing"] += 1
        return unit

    first = new_rows[0]
    converter = json.loads((_data_dir() / "converter_2025.json").read_text(encoding="utf-8"))
    old_keys = converter["DICT_PROVINCE"].get(first["provinceKey"], [first["provinceKey"]])
    old_rows = _rows(
        "SELECT * FROM admin_units_legacy WHERE provinceKey IN ({})".format(",".join("?" * len(old_keys))),
        tuple(old_keys),
    )
    total = 1 + len(new_rows) + len(old_rows)
    done = 0
    with transaction.atomic():
        province = get(kind=UnitKind.PROVINCE, code=first["provinceCode"], name=first["province"],
                       short_name=first["provinceShort"], valid_from=REFORM_DAY)
        new_by_key: dict[str, OrgUnit] = {}
        for row in new_rows:
            new_by_key[row["wardKey"]] = get(
                kind=_NEW_KINDS.get(row["wardType"], UnitKind.COMMUNE), code=row["wardCode"], name=row["ward"],
                short_name=row["wardShort"], parent=province, valid_from=REFORM_DAY)
            done += 1
            if progress:
                progress(done, total)
        # old ward key "province_district_ward" -> new ward key
        successor: dict[str, str] = {}
        for new_key, old_list in converter["DICT_PROVINCE_WARD_NO_DIVIDED"].get(first["provinceKey"], {}).items():
            for old in old_list:
                successor[old] = new_key
        for old, choices in converter["DICT_PROVINCE_WARD_DIVIDED"].get(first["provinceKey"], {}).items():
            default = next((c["newWardKey"] for c in choices if c.get("isDefaultNewWard")), None)
            if default:
                successor.setdefault(old, default)

        old_provinces: dict[str, OrgUnit] = {}
        old_districts: dict[tuple[str, str], OrgUnit] = {}
        for row in old_rows:
            pkey = row["provinceKey"]
            if pkey not in old_provinces:
                old_provinces[pkey] = get(
                    kind=UnitKind.PROVINCE, code=row["provinceCode"], name=row["province"],
                    short_name=row["provinceShort"], valid_from=None, valid_to=LAST_OLD_DAY,
                    note="Trước sắp xếp đơn vị hành chính 2025 (Nghị quyết 202/2025/QH15)")
                if old_provinces[pkey].replaced_by_id != province.pk:
                    orgunit_update(unit=old_provinces[pkey], replaced_by=province, by=by)
            dkey = (pkey, row["districtKey"])
            if dkey not in old_districts:
                old_districts[dkey] = get(
                    kind=UnitKind.DISTRICT, code=row["districtCode"], name=row["district"],
                    short_name=row["districtShort"], parent=old_provinces[pkey], valid_from=None,
                    valid_to=LAST_OLD_DAY)
            if row["ward"]:
                old_unit = get(
                    kind=_OLD_KINDS.get(row["wardType"], UnitKind.COMMUNE), code=row["wardCode"], name=row["ward"],
                    short_name=row["wardShort"], parent=old_districts[dkey], valid_from=None,
                    valid_to=LAST_OLD_DAY)
                new_key = successor.get(f"{pkey}_{row['districtKey']}_{row['wardKey']}")
                new_unit = new_by_key.get(new_key) if new_key else None
                if new_unit is not None and old_unit.replaced_by_id != new_unit.pk:
                    orgunit_update(unit=old_unit, replaced_by=new_unit, by=by)
            done += 1
            if progress:
                progress(done, total)
    return LoadResult(province=province, created=counts["created"], existing=counts["existing"])
