"""Province names standing alone are found by a search without a leading look-behind (stop 16, issue 11): the
same matches as the look-behind pattern, on tricky and real text."""

from __future__ import annotations

import re
from pathlib import Path

from vntext import find_places
from vntext import places as P


def _with_lookbehind(work: str) -> list[tuple[int, int, str]]:
    bare = P._bare_province_re()
    assert bare is not None
    slow = re.compile(r"(?<![^\W\d_])" + bare.pattern)
    return [(m.start(), m.end(), m.group(0)) for m in slow.finditer(work)]


def _now(work: str) -> list[tuple[int, int, str]]:
    bare = P._bare_province_re()
    assert bare is not None
    return [(m.start(), m.end(), m.group(0)) for m in P._bare_provinces(bare, work)]


def test_bare_provinces_equal_the_lookbehind_pattern() -> None:
    texts = ["Khánh Hòa", "xKhánh Hòa", "Khánh Hòax", "2Khánh Hòa", "_Khánh Hòa", "²Lâm Đồng ½Lâm Đồng Ⅻ Lâm Đồng",
             "ĐàNẵng Đà Nẵng,Đà Nẵng.Lâm ĐồngLâm Đồng", "Lâm\nĐồng và Lâm   Đồng", "", "Hà Nội" * 50,
             "TP.Hồ Chí Minh, Bình Định, Hòa Bình (Kiên Giang) – Quảng Ngãi/Quảng Nam"]
    real = Path(__file__).resolve().parent / "data" / "real"
    texts += [p.read_text("utf-8", "replace")[:20000] for p in sorted(real.glob("*.py"))]
    found = 0
    for text in texts:
        expected = _with_lookbehind(text)
        assert _now(text) == expected, text[:80]
        found += len(expected)
    assert found > 20


def test_find_places_still_finds_bare_and_typed_names() -> None:
    names = [(p.name, p.level) for p in find_places("Ở tỉnh Khánh Hòa và Lâm Đồng, không phải xLâm Đồng.")]
    assert names == [("Khánh Hòa", "province"), ("Lâm Đồng", "province")]
