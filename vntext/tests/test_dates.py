from __future__ import annotations

import json
from pathlib import Path

import pytest

from vntext.dates import can_chi, can_chi_years, find_dates

DATA = Path(__file__).parent / "data" / "dates.jsonl"
CASES = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line.strip()]
KEYS = ("text", "earliest", "latest", "precision", "calendar")


def test_date_set_is_large_enough() -> None:
    assert len(CASES) >= 100
    assert sum(len(c["dates"]) for c in CASES) >= 100


@pytest.mark.parametrize("case", CASES, ids=lambda c: c["text"][:50])
def test_date_case(case: dict) -> None:
    got = find_dates(case["text"])
    assert [{k: getattr(d, k) for k in KEYS} for d in got] == [{k: w[k] for k in KEYS} for w in case["dates"]]
    for d, want in zip(got, case["dates"], strict=True):
        assert case["text"][d.start : d.end] == d.text
        if "candidates" in want:
            assert d.candidates == want["candidates"]


@pytest.mark.parametrize(("year", "name"), [(1930, "Canh Ngọ"), (1945, "Ất Dậu"), (1968, "Mậu Thân"), (1975, "Ất Mão"), (1985, "Ất Sửu")])
def test_can_chi_cycle(year: int, name: str) -> None:
    assert can_chi(year) == name
    assert year in can_chi_years(name)


def test_vietnamese_not_chinese_new_year() -> None:
    # Tết 1968 is 29/1 in the Vietnamese calendar (30/1 in the Chinese one).
    (span,) = find_dates("Tết Mậu Thân 1968")
    assert span.earliest == "1968-01-29"


def test_can_chi_resolved_from_context() -> None:
    spans = find_dates("Năm 1968, năm Mậu Thân, quân và dân ta tổng tiến công")
    assert spans[-1].candidates == [1968]


@pytest.mark.parametrize("junk", ["", "\x00" * 50, "tháng " * 5000, "1" * 20000, "năm 99999", None, 3.5])
def test_bad_input_never_raises(junk: object) -> None:
    assert isinstance(find_dates(junk), list)  # type: ignore[arg-type]
