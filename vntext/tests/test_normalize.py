from __future__ import annotations

import unicodedata

import pytest

from vntext import bigrams, casefold, fold, folded_tokens, normalize, same_key, token_spans, tokens
from vntext.normalize import unify_tones


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("hoà", "hòa"),
        ("Khánh Hoà", "Khánh Hòa"),
        ("KHÁNH HOÀ", "KHÁNH HÒA"),
        ("thuỷ", "thủy"),
        ("Tỉnh uỷ", "Tỉnh ủy"),
        ("Uỷ ban", "Ủy ban"),
        ("khoẻ", "khỏe"),
        ("hoạ sĩ", "họa sĩ"),
        ("tuỳ", "tùy"),
        ("loà", "lòa"),
        ("thoả thuận", "thỏa thuận"),
        ("xoè", "xòe"),
    ],
)
def test_tone_placement_is_kept_as_written_and_unified_only_in_keys(old: str, new: str) -> None:
    # normalize stores the text as written (NFC only): the tone convention is the source's
    assert normalize(old) == old
    assert normalize(new) == new
    assert normalize(unicodedata.normalize("NFD", old)) == old
    # comparison keys unify the two conventions
    assert unify_tones(old) == new
    assert unify_tones(new) == new
    assert same_key(old, new)
    assert casefold(old) == casefold(new) == new.lower()
    assert tokens(old) == tokens(new)
    assert fold(old) == fold(new)


@pytest.mark.parametrize("word", ["quý", "Quý", "quỷ", "quà", "hoàng", "thuyền", "khuỷu", "khoảng", "hoạch", "toàn", "Nguyễn", "giữa"])
def test_words_that_must_not_change(word: str) -> None:
    assert normalize(word) == word
    assert unify_tones(word) == word


def test_decomposed_and_misordered_marks_are_composed() -> None:
    assert normalize(unicodedata.normalize("NFD", "Lịch sử Đảng")) == "Lịch sử Đảng"
    # tone written before the circumflex: a + acute + circumflex
    assert normalize("a\u0301\u0302") == "ấ"
    assert normalize("o\u0309\u031b") == "ở"
    # precomposed base with a combining tone (Windows-1258 style)
    assert normalize("\u00e2\u0301") == "ấ"


def test_fold_and_casefold() -> None:
    assert fold("ĐẢNG CỘNG SẢN Việt Nam") == "dang cong san viet nam"
    assert casefold("ĐẢNG Cộng Sản") == "đảng cộng sản"
    assert fold("Khánh Hoà") == fold("khanh hòa") == "khanh hoa"
    assert same_key("Khánh Hoà", "khánh hòa")


@pytest.mark.parametrize("text", ["Kế hoạch số 98-KH/TU của Ban Thường vụ Tỉnh uỷ Khánh Hoà", "ĐẢNG ỦY XÃ", "ﬁ ǅ İstanbul"])
def test_length_preserving_on_nfc_input(text: str) -> None:
    assert unicodedata.is_normalized("NFC", text)
    assert len(normalize(text)) == len(casefold(text)) == len(fold(text)) == len(text)


def test_tokens_and_spans() -> None:
    text = "Kế hoạch số 98-KH/TU của Tỉnh uỷ"
    assert tokens(text) == ["kế", "hoạch", "số", "98", "kh", "tu", "của", "tỉnh", "ủy"]
    assert folded_tokens(text)[-1] == "uy"
    spans = token_spans(text)
    assert all(text[s:e].lower() == t or unify_tones(text[s:e]).lower() == t for t, s, e in spans)
    nfd = unicodedata.normalize("NFD", "Hoà bình")
    assert [(t, nfd[s:e]) for t, s, e in token_spans(nfd)] == [("hòa", nfd[:4]), ("bình", nfd[5:])]
    assert bigrams(["lịch", "sử", "đảng"]) == ["lịch sử", "sử đảng"]


@pytest.mark.parametrize("junk", ["", "\x00\x01", "\u0301" * 100, "\ud800" if False else "\U0010ffff", "a" * 100000])
def test_bad_input(junk: str) -> None:
    assert isinstance(normalize(junk), str)
    assert isinstance(fold(junk), str)
    assert isinstance(tokens(junk), list)


def test_large_input_stays_linear() -> None:
    # 20 MB in the test (the benchmark uses more); this only checks it completes and keeps the length.
    chunk = "Ban Thường vụ Tỉnh ủy Khánh Hòa ban hành Kế hoạch số 98-KH/TU ngày 18/8/2022. "
    text = chunk * (20_000_000 // len(chunk.encode()))
    assert len(fold(text)) == len(text)
