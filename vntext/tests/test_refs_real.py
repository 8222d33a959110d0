"""References in real text (issue 12): shapes of old and joint symbols, references by number only, the date of
the issuing sentence, written type names; and the quality on the hand-labelled real passages."""

from __future__ import annotations

import sys
import unicodedata
from pathlib import Path

import pytest

from vntext import canonical_symbol, doc_type_name, find_refs
from vntext.codes import PARTY_TYPES, STATE_TYPES

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench" / "vntext"))
import quality  # noqa: E402  (bench/vntext/quality.py: the scorer the benchmark prints)


def _one(text: str) -> object:
    refs = find_refs(text)
    assert len(refs) == 1, refs
    return refs[0]


@pytest.mark.parametrize(
    ("text", "symbol", "type_name", "date"),
    [
        ("Quyết định số 217-HĐBT ngày 14/11/1987 của Hội đồng Bộ trưởng", "217-HĐBT", "Quyết định", "1987-11-14"),
        ("theo Nghị định 64-CP của Hội đồng Chính phủ", "64-CP", "Nghị định", None),
        ("Sắc lệnh số 42-SL ngày 12/3/1946", "42-SL", "Sắc lệnh", "1946-03-12"),
        ("Thông báo số 310-TB ngày 2/2/1990", "310-TB", "Thông báo", "1990-02-02"),
        ("Chỉ thị số 07-NQ/TƯ của Ban Bí thư", "07-NQ/TW", "Chỉ thị", None),
        ("Nghị Quyết số 3-NQ/HNTƯ của hội nghị Ban Chấp hành Trung ương", "3-NQ/HNTW", "Nghị quyết", None),
        ("Nghị quyết số 35/2023/NQ-UBTVQH15 ngày 12/7/2023", "35/2023/NQ-UBTVQH15", "Nghị quyết", "2023-07-12"),
        ("Công văn số 123/VP2 ngày 4/5/1995", "123/VP2", "Công văn", "1995-05-04"),
        ("Thông tư liên tịch số 03/2006/TTLT-BTC-BNV ngày 17/1/2006", "03/2006/TTLT-BTC-BNV", "Thông tư liên tịch",
         "2006-01-17"),
        ("Nghị quyết liên tịch số 05/2005/NQLT/CP-TWMTTQ", "05/2005/NQLT/CP-TWMTTQ", "Nghị quyết liên tịch", None),
        ("Quy chế phối hợp số 12/QCPH/MTTQ-BDVTU ngày 1/3/2020", "12/QCPH/MTTQ-BDVTU", "Quy chế phối hợp",
         "2020-03-01"),
        ("Nghị quyết liên tịch 102/2025/NQLT-UBTVQH15-CP-ĐCTUBTWMTTQVN", "102/2025/NQLT-UBTVQH15-CP-ĐCTUBTWMTTQVN",
         "Nghị quyết liên tịch", None),
        ("Căn cứ Quyết định số 313-VH-VP ngày 28-4-1962 của Bộ Văn hoá", "313-VH-VP", "Quyết định", "1962-04-28"),
        ("Số: 09-VH/QĐ\nHà Nội, ngày 21 tháng 2 năm 1975\nQUYẾT ĐỊNH", "09-VH/QĐ", "Quyết định", "1975-02-21"),
        ("Thông báo số 70-TB/TWngày 06 tháng 01 năm 2012 của Ban Bí thư", "70-TB/TW", "Thông báo", "2012-01-06"),
        ("Quy định số 97-QĐ/TW ngày 7/2/2023 của Bộ Chính trị", "97-QĐ/TW", "Quy định", "2023-02-07"),
        ("các văn bản của Cục Thuế như: Công văn số 176/CT-VP ngày 18/3/2025", "176/CT-VP", "Công văn", "2025-03-18"),
    ],
)
def test_shapes_of_real_text(text: str, symbol: str, type_name: str, date: str | None) -> None:
    ref = _one(text)
    assert (ref.symbol, ref.type_name, ref.date) == (symbol, type_name, date)
    assert text[ref.start : ref.end].replace(" ", "").startswith(ref.number)


def test_tu_is_tw_and_never_tu() -> None:
    assert canonical_symbol("07-NQ/TƯ") == canonical_symbol("07 nq tư") == "07-NQ/TW"
    assert canonical_symbol("07-NQ/TU") == "07-NQ/TU"
    ref = _one("Chỉ thị số 07-NQ/TƯ")
    assert (ref.issuer_code, ref.text) == ("TW", "07-NQ/TƯ")  # the text keeps the spelling as written


def test_old_single_code_symbols_are_canonical() -> None:
    assert canonical_symbol("217-HĐBT") == "217-HĐBT" and canonical_symbol("64-CP") == "64-CP"
    assert canonical_symbol("98-KH") is None  # a Party symbol without its issuer is no symbol


@pytest.mark.parametrize(
    ("text", "number", "type_name", "date", "issuer"),
    [
        ("Quyết định số 412 ngày 5/3/2019 của UBND tỉnh Khánh Hòa về việc công nhận di tích", "412", "Quyết định",
         "2019-03-05", "UBND tỉnh Khánh Hòa"),
        ("Thực hiện Chỉ thị 20 của Ban Bí thư về công tác lịch sử Đảng", "20", "Chỉ thị", None, "Ban Bí thư"),
        ("Ngày 11-11-2002, Ban Thường vụ Thành uỷ ban hành Chỉ thị số 10 \"Về tăng cường sự lãnh đạo\"", "10",
         "Chỉ thị", "2002-11-11", "Ban Thường vụ Thành uỷ"),
        ("SẮC LỆNH\n\nSố 62 ngày 20 tháng 11 năm 1945", "62", "Sắc lệnh", "1945-11-20", None),
    ],
)
def test_reference_by_type_and_number_alone(text: str, number: str, type_name: str, date: str | None,
                                             issuer: str | None) -> None:
    ref = _one(text)
    assert ref.symbol is None  # never a made-up partial symbol
    assert (ref.number, ref.type_name, ref.date, ref.issuer_name) == (number, type_name, date, issuer)
    assert ref.to_dict()["symbol"] is None


@pytest.mark.parametrize(
    "text",
    ["Kế hoạch 5 năm 2021-2025", "Nghị quyết 3 lần", "Kế hoạch 2024 của xã", "lúc 5-TB", "Tổ 7-CT", "phòng 12-A",
     "COVID-19, F0/F1, hoạt động 24/7", "Sư đoàn 312 - BT", "Quyết định này có hiệu lực", "ngày 19-12-1946 toàn quốc"],
)
def test_no_reference_in_ordinary_numbers(text: str) -> None:
    assert find_refs(text) == []


def test_date_of_the_issuing_sentence_not_of_another_reference() -> None:
    refs = find_refs("Ngày 5/3/2019, Ban Tổ chức Tỉnh ủy có Công văn số 88-CV/BTCTU hướng dẫn đợt sinh hoạt.")
    assert [(r.symbol, r.date, r.issuer_name) for r in refs] == [("88-CV/BTCTU", "2019-03-05", "Ban Tổ chức Tỉnh ủy")]
    refs = find_refs("ngày 12/7/2005 Ban Thường vụ Huyện ủy Lâm Hà ban hành Chỉ thị số 09-CT/HU về lịch sử Đảng")
    assert [(r.date, r.issuer_name) for r in refs] == [("2005-07-12", "Ban Thường vụ Huyện ủy Lâm Hà")]
    text = ("Thực hiện Nghị quyết 60-NQ/TW ngày 12/4/2025 của Ban Chấp hành Trung ương Đảng về mô hình chính quyền "
            "địa phương 2 cấp, Bộ Tài chính ban hành Quyết định 2229/QĐ-BTC (có hiệu lực từ 1/7/2025).")
    assert [(r.symbol, r.date) for r in find_refs(text)] == [("60-NQ/TW", "2025-04-12"), ("2229/QĐ-BTC", None)]


def test_issuer_names_from_context() -> None:
    text = "Thực hiện Chỉ thị số 07-NQ/TƯ của Ban Bí thư, BTV Tỉnh ủy Phú Thọ ban hành Kế hoạch số 12-KH/TU ngày 3/4/2019."
    assert [(r.symbol, r.issuer_name) for r in find_refs(text)] == [
        ("07-NQ/TW", "Ban Bí thư"), ("12-KH/TU", "BTV Tỉnh ủy Phú Thọ")]
    ref = _one("Thông tư liên tịch số 03/2006/TTLT-BTC-BNV ngày 17/1/2006 của Bộ Tài chính và Bộ Nội vụ về")
    assert ref.issuer_name == "Bộ Tài chính và Bộ Nội vụ"


def test_header_block_heading_gives_the_type() -> None:
    text = "BAN CHẤP HÀNH TRUNG ƯƠNG\nSố: 66-QĐ/TW\n\nHà Nội, ngày 06 tháng 02 năm 2017\n\nQUY ĐỊNH\n\nVỀ THỂ LOẠI"
    ref = _one(text)
    assert (ref.symbol, ref.type_name, ref.date) == ("66-QĐ/TW", "Quy định", "2017-02-06")


def test_every_type_code_has_a_name() -> None:
    for code in set(PARTY_TYPES) | set(STATE_TYPES):
        assert doc_type_name(code), code
    assert doc_type_name("TT", "party") == "Thông tri" and doc_type_name("TT", "state") == "Thông tư"


def test_quality_on_the_real_development_set() -> None:
    sc = quality.score_refs()
    assert sc.tp + sc.fn >= 150 and sc.sources >= 30
    assert sc.f1 >= 0.97, (sc.misses, sc.extras)
    assert sc.date_accuracy >= 0.95 and sc.type_accuracy >= 0.95, sc.wrong
    assert sc.number_only_found >= sc.number_only - 1


def test_quality_on_the_held_out_set() -> None:
    sc = quality.score_refs(name="refs_heldout")
    # measured once, never tuned on (bench/vntext/run.py prints it): F1 0.952, date 0.800, type 1.000
    assert sc.f1 >= 0.9 and sc.precision >= 0.95


def test_find_symbols_gives_the_symbols_find_refs_gives() -> None:
    """The search index's cheap path returns exactly the symbols of the full parser, in order, on every real
    passage (labelled and held out), a decomposed (NFD) copy of each, and texts with digits but no symbol."""
    from vntext import find_symbols

    sys.path.insert(0, str(Path(__file__).resolve().parent / "data" / "real"))
    import refs_heldout
    import refs_real

    texts = [p[1] for p in refs_real.PASSAGES + refs_heldout.PASSAGES]
    texts += [unicodedata.normalize("NFD", t) for t in texts]
    texts += ["Ngày 12/3/2024 có 45 người dự, chiếm 30% số đảng viên.", "", "Quyết định số 412 của UBND tỉnh"]
    with_symbols = 0
    for text in texts:
        expected = [r.symbol for r in find_refs(text) if r.symbol]
        assert find_symbols(text) == expected, text
        with_symbols += bool(expected)
    assert with_symbols >= 50
