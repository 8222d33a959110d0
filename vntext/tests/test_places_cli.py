from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from vntext import find_bodies, find_places

SEEDS = Path("/work/shared/seeds")


def test_typed_places_old_and_new() -> None:
    places = find_places("thị xã Ninh Hòa, huyện Khánh Vĩnh, xã Cam Hải Đông, Phường 3 Quận 5, TP. Hồ Chí Minh")
    got = {(p.name, p.level) for p in places}
    assert {("Ninh Hòa", "district"), ("Khánh Vĩnh", "district"), ("Cam Hải Đông", "ward"), ("Phường 3", "ward"), ("Quận 5", "district"), ("Hồ Chí Minh", "province")} <= got
    khanh_vinh = next(p for p in places if p.name == "Khánh Vĩnh")
    assert khanh_vinh.era == "legacy" and khanh_vinh.provinces == ["Khánh Hòa"]


def test_bare_province_but_not_a_person() -> None:
    assert [p.name for p in find_places("Ban Thường vụ Tỉnh ủy Lâm Đồng và tỉnh Đắk Nông")] == ["Lâm Đồng", "Đắk Nông"]
    assert find_places("học tập và làm theo tư tưởng Hồ Chí Minh") == []
    assert find_places("chủ trương của tỉnh về việc") == []


def test_bodies() -> None:
    bodies = find_bodies("Ban Thường vụ Tỉnh ủy Khánh Hòa ban hành; UBND tỉnh Lâm Đồng; của Ban Bí thư (khóa XII) về")
    assert [(b.name, b.system) for b in bodies] == [
        ("Ban Thường vụ Tỉnh ủy Khánh Hòa", "party"),
        ("UBND tỉnh Lâm Đồng", "state"),
        ("Ban Bí thư (khóa XII)", "party"),
    ]


def _run(kind: str, lines: list[str]) -> list[dict]:
    out = subprocess.run(
        [sys.executable, "-m", "vntext", kind], input="\n".join(lines).encode("utf-8"), capture_output=True, check=True
    )
    return [json.loads(x) for x in out.stdout.decode("utf-8").splitlines()]


def test_cli_refs_dates_places_and_bad_lines() -> None:
    lines = [
        json.dumps({"id": "a", "text": "Kế hoạch số 84-KH/TU, ngày 17/4/2018 của Ban Thường vụ Tỉnh ủy"}, ensure_ascii=False),
        "{not json",
        json.dumps({"id": 7, "text": None}),
        json.dumps(["a list"]),
        json.dumps({"id": "b", "text": "x" * 10}),
    ]
    refs = _run("refs", lines)
    assert refs[0]["id"] == "a" and refs[0]["refs"][0]["symbol"] == "84-KH/TU" and refs[0]["refs"][0]["date"] == "2018-04-17"
    assert "error" in refs[1]
    assert refs[2] == {"id": 7, "refs": []}
    assert len(refs) == 5
    dates = _run("dates", lines)
    assert dates[0]["dates"][0]["earliest"] == "2018-04-17"
    places = _run("places", [json.dumps({"id": 1, "text": "tỉnh Khánh Hòa"}, ensure_ascii=False)])
    assert places[0]["places"][0]["name"] == "Khánh Hòa"


def test_cli_on_seed_pages() -> None:
    if not SEEDS.exists():
        return
    lines = [json.dumps({"id": p.name, "text": p.read_text(encoding="utf-8")}, ensure_ascii=False) for p in sorted(SEEDS.glob("*.txt"))]
    refs = _run("refs", lines)
    found = {(r["symbol"], r["date"]) for rec in refs for r in rec["refs"]}
    assert ("84-KH/TU", "2018-04-17") in found and ("98-KH/TU", "2022-08-18") in found
    assert all("error" not in rec for rec in _run("dates", lines))


def test_package_never_imports_django() -> None:
    code = (
        "import sys, vntext\n"
        "from vntext import find_refs, find_dates, find_places, decode_bytes\n"
        "find_refs('98-KH/TU'); find_dates('3/2/1930'); decode_bytes(b'x')\n"
        "assert not any(m == 'django' or m.startswith('django.') for m in sys.modules), 'django imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
