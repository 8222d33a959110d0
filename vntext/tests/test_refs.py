from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from vntext import canonical_symbol, doc_type_name, find_refs

DATA = Path(__file__).parent / "data" / "refs.jsonl"
CASES = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line.strip()]


def _score() -> tuple[int, int, int, list[str]]:
    tp = fp = fn = 0
    misses: list[str] = []
    for case in CASES:
        want = Counter(r["symbol"] for r in case["refs"])
        got = Counter(r.symbol for r in find_refs(case["text"]))
        hit = sum((want & got).values())
        tp += hit
        fp += sum(got.values()) - hit
        fn += sum(want.values()) - hit
        if want != got:
            misses.append(f"{case['text']!r}: want {dict(want)} got {dict(got)}")
    return tp, fp, fn, misses


def test_reference_set_is_large_enough() -> None:
    assert len(CASES) >= 150
    assert sum(len(c["refs"]) for c in CASES) >= 150


def test_refs_f1_at_least_0_97() -> None:
    tp, fp, fn, misses = _score()
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall)
    print(f"refs: P={precision:.3f} R={recall:.3f} F1={f1:.3f} over {len(CASES)} cases")
    assert f1 >= 0.97, "\n".join(misses)


@pytest.mark.parametrize("case", [c for c in CASES if any(len(r) > 1 for r in c["refs"])], ids=lambda c: c["text"][:40])
def test_reference_attributes(case: dict) -> None:
    got = {r.symbol: r for r in find_refs(case["text"])}
    for want in case["refs"]:
        ref = got.get(want["symbol"])
        assert ref is not None, want["symbol"]
        for key, value in want.items():
            assert getattr(ref, key) == value, (key, ref)


def test_span_offsets_point_at_symbol() -> None:
    text = "Căn cứ Kế hoạch số 98 - KH/TU và Nghị định 30/2020/NĐ-CP."
    refs = find_refs(text)
    assert [text[r.start : r.end] for r in refs] == ["98 - KH/TU", "30/2020/NĐ-CP"]


def test_offsets_into_decomposed_input() -> None:
    import unicodedata

    text = unicodedata.normalize("NFD", "Kế hoạch số 84-KH/TU của Ban Thường vụ Tỉnh ủy")
    (ref,) = find_refs(text)
    assert text[ref.start : ref.end] == "84-KH/TU"
    assert ref.issuer_name == "Ban Thường vụ Tỉnh ủy"


def test_seed_pages_all_refs_with_dates() -> None:
    seeds = Path("/work/shared/seeds")
    if not seeds.exists():
        pytest.skip("seed pages not available")
    text = "\n".join(p.read_text(encoding="utf-8") for p in sorted(seeds.glob("*.txt")))
    refs = find_refs(text)
    symbols = {r.symbol for r in refs}
    for s in ["98-KH/TU", "84-KH/TU", "20-CT/TW", "45-NQ/TW", "172-HD/BTGTU", "2517-KL/HVCTQG", "387-TB/BTGTW", "35-KH/TU"]:
        assert s in symbols
    dated = {(r.symbol, r.date) for r in refs}
    assert ("84-KH/TU", "2018-04-17") in dated
    assert ("45-NQ/TW", "2023-11-24") in dated
    assert ("20-CT/TW", "2018-01-18") in dated
    assert ("172-HD/BTGTU", "2024-03-26") in dated


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [
        ("98 KH TU", "98-KH/TU"),
        ("98-kh/tu", "98-KH/TU"),
        ("98/KH-TU", "98-KH/TU"),
        ("Số: 98 - KH/TU", "98-KH/TU"),
        ("123/qđ-ubnd", "123/QĐ-UBND"),
        ("123 qd ubnd", "123/QĐ-UBND"),
        ("30/2020/nd-cp", "30/2020/NĐ-CP"),
        ("33 2024 qh15", "33/2024/QH15"),
        ("08-qdi/tw", "08-QĐi/TW"),
        ("1234/qd-ttg", "1234/QĐ-TTg"),
        ("5104/BTTTT-PTTH&TTĐT", "5104/BTTTT-PTTH&TTĐT"),
        ("391 cv du", "391-CV/ĐU"),
    ],
)
def test_canonical_symbol(typed: str, canonical: str) -> None:
    assert canonical_symbol(typed) == canonical


@pytest.mark.parametrize("junk", ["", "abc", "COVID-19", "24/7", "KH/TU", "98"])
def test_canonical_symbol_rejects_junk(junk: str) -> None:
    assert canonical_symbol(junk) is None


def test_doc_type_name_tt_depends_on_system() -> None:
    assert doc_type_name("KH") == "Kế hoạch"
    assert doc_type_name("TT", "party") == "Thông tri"
    assert doc_type_name("TT", "state") == "Thông tư"
    assert doc_type_name("qdi") == "Quy định"


@pytest.mark.parametrize("junk", ["", "\x00\x01\x02", "\ufffd" * 100, "9" * 10000, "-/" * 5000, "Số " * 3000, None, 42])
def test_bad_input_never_raises(junk: object) -> None:
    assert isinstance(find_refs(junk), list)  # type: ignore[arg-type]
