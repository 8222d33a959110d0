from __future__ import annotations

import unicodedata

from vntext.heading import own_ref, own_symbol, signer, title_from_text

DECISION = """ỦY BAN NHÂN DÂN
HUYỆN CAM LÂM
Số: 123/QĐ-UBND
Cam Lâm, ngày 18 tháng 8 năm 2022

QUYẾT ĐỊNH
Về việc thành lập Ban biên soạn lịch sử Đảng bộ xã
Căn cứ Nghị quyết số 45/NQ-HĐND ngày 2/3/2021;

CHỦ TỊCH
Nguyễn Văn An
"""


def test_own_ref_is_the_number_after_so_not_the_cited_one() -> None:
    ref = own_ref(DECISION)
    assert ref is not None and ref.symbol == "123/QĐ-UBND"


def test_own_ref_none_when_only_cited_or_too_far() -> None:
    assert own_ref("Căn cứ Nghị quyết 45/NQ-HĐND ngày 2/3/2021") is None  # cited, no "Số:"
    assert own_ref("x" * 700 + "\nSố: 123/QĐ-UBND") is None
    assert own_ref("Số: 123/QĐ-UBND", within=3) is None  # the reference starts at 4
    assert own_ref("Số: 123/QĐ-UBND", within=4) is not None
    assert own_ref("") is None


def test_own_symbol_agrees_with_own_ref() -> None:
    """The index's cheap path gives the symbol of ``own_ref`` on each case (NFD copies too)."""
    cases = [DECISION, "Căn cứ Nghị quyết 45/NQ-HĐND ngày 2/3/2021", "x" * 700 + "\nSố: 123/QĐ-UBND", "",
             "ĐẢNG BỘ TỈNH KHÁNH HÒA\nSố 98-KH/TU\nNha Trang, ngày 3 tháng 2 năm 2019",
             "Số: 12/2020/NĐ-CP và Quyết định số 7/QĐ-TTg"]
    for text in cases + [unicodedata.normalize("NFD", c) for c in cases]:
        for within in (4, 40, 600):
            ref = own_ref(text, within=within)
            assert own_symbol(text, within=within) == (ref.symbol if ref else None), (text, within)
    assert own_symbol(DECISION) == "123/QĐ-UBND"


def test_title_and_summary_from_the_type_heading() -> None:
    title, summary = title_from_text(DECISION)
    assert title == "Quyết định về việc thành lập Ban biên soạn lịch sử Đảng bộ xã"
    assert summary == "Về việc thành lập Ban biên soạn lịch sử Đảng bộ xã"
    assert title_from_text("Một bài báo bình thường\nkhông có tiêu đề loại văn bản") == ("", "")


def test_signer_under_the_title_or_after_da_ky() -> None:
    assert signer(DECISION) == "Nguyễn Văn An"
    assert signer("T/M BAN THƯỜNG VỤ\nBÍ THƯ\n(đã ký)\nLê Thị Hoa\n") == "Lê Thị Hoa"
    assert signer("CHỦ TỊCH\n<script>alert(1)</script>") == ""
    assert signer("") == ""
