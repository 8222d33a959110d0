from __future__ import annotations

import subprocess
import unicodedata

import pytest

from vntext import convert_legacy, decode_bytes
from vntext.legacy import (
    TCVN3_TO_UNI,
    TCVN3_VN1_TO_UNI,
    UNI_TO_VNI,
    VISCII_TO_UNI,
    VPS_TO_UNI,
    convert_html,
    decode_file,
    decode_html,
    encode_legacy,
)
from vntext.normalize import normalize

# Every Vietnamese letter: 12 vowels x 6 tones, plus đ, in both cases.
_VOWELS = "aăâeêioôơuưy"
_TONES = ("", "\u0300", "\u0309", "\u0303", "\u0301", "\u0323")
LOWER = "".join(unicodedata.normalize("NFC", v + t) for v in _VOWELS for t in _TONES) + "đ"
UPPER = LOWER.upper()
SENTENCE = "Ban Thường vụ Tỉnh ủy Khánh Hòa ban hành Kế hoạch số 98-KH/TU về sơ kết 05 năm thực hiện Chỉ thị"


def test_alphabet_has_134_letters() -> None:
    assert len(set(LOWER + UPPER)) == 146  # (12 vowels x 6 tones + đ) x 2 cases; 12 of them are plain ASCII
    assert len({c for c in LOWER + UPPER if not c.isascii()}) == 134


@pytest.mark.parametrize("encoding", ["vni", "viscii", "cp1258"])
@pytest.mark.parametrize("letters", [LOWER, UPPER], ids=["lower", "upper"])
def test_round_trip_all_letters(encoding: str, letters: str) -> None:
    text = " ".join(letters) + " " + SENTENCE
    data = encode_legacy(text, encoding)
    dec = decode_bytes(data)
    assert dec.encoding == encoding
    assert dec.text == normalize(text)


def test_round_trip_all_letters_tcvn3() -> None:
    # TCVN3 (VN3) has capitals only for Ă Â Ê Ô Ơ Ư Đ; toned capitals were drawn by the .VnTimeH fonts from the
    # lower-case codes.  Lower case round-trips byte for byte; upper case round-trips through a .VnTimeH run.
    text = " ".join(LOWER) + " " + SENTENCE
    dec = decode_bytes(encode_legacy(text, "tcvn3"))
    assert (dec.encoding, dec.text) == ("tcvn3", normalize(text))
    upper = " ".join(UPPER)
    run = encode_legacy(upper, "tcvn3").decode("cp1252")
    html = f'<p><font face=".VnTimeH">{run}</font></p>'
    assert convert_html(html) == f"<p><font face=\".VnTimeH\">{normalize(upper)}</font></p>"


@pytest.mark.parametrize("encoding", ["tcvn3", "vni"])
def test_convert_legacy_from_cp1252_text(encoding: str) -> None:
    seen_as_cp1252 = encode_legacy(SENTENCE, encoding).decode("cp1252")
    assert convert_legacy(seen_as_cp1252, encoding) == normalize(SENTENCE)


@pytest.mark.parametrize("encoding", ["tcvn3", "vni"])
def test_mojibake_saved_as_utf8_is_repaired(encoding: str) -> None:
    mojibake = encode_legacy(SENTENCE, encoding).decode("cp1252")
    dec = decode_bytes(mojibake.encode("utf-8"))
    assert (dec.encoding, dec.text) == (encoding, normalize(SENTENCE))


@pytest.mark.parametrize(
    "text",
    [
        "Xin chào Việt Nam",
        SENTENCE,
        "Café crème à la française, naïve façade",
        "Zürich, Ångström, señor",
        "plain ASCII only",
        "Số 98-KH/TU © 2024 ® ± ¸",
        "Москва 北京 ☃",
    ],
)
def test_real_unicode_is_not_damaged(text: str) -> None:
    dec = decode_bytes(text.encode("utf-8"))
    assert dec.text == normalize(text)
    assert dec.encoding in ("utf-8", "ascii")


def test_ascii() -> None:
    assert decode_bytes(b"Hello 123") == decode_bytes(b"Hello 123")
    dec = decode_bytes(b"Hello 123")
    assert (dec.text, dec.encoding, dec.confidence) == ("Hello 123", "ascii", 1.0)


def test_utf16_with_and_without_bom() -> None:
    assert decode_bytes(SENTENCE.encode("utf-16")).text == normalize(SENTENCE)
    dec = decode_bytes(SENTENCE.encode("utf-16-le"))
    assert (dec.encoding, dec.text) == ("utf-16", normalize(SENTENCE))


def test_decomposed_utf8_is_composed() -> None:
    nfd = unicodedata.normalize("NFD", SENTENCE)
    assert decode_bytes(nfd.encode()).text == normalize(SENTENCE)


@pytest.mark.parametrize("data", [b"", b"\x00" * 100, bytes(range(256)) * 20, b"\xff\xfe", b"\xef\xbb\xbf", b"\x81\x8d\x8f"])
def test_binary_never_raises(data: bytes) -> None:
    dec = decode_bytes(data)
    assert isinstance(dec.text, str)
    assert 0.0 <= dec.confidence <= 1.0


def test_vni_table_is_complete() -> None:
    assert len(UNI_TO_VNI) == 134


@pytest.mark.parametrize(
    ("table", "iconv_name"),
    [(TCVN3_TO_UNI, "TCVN5712-1"), (TCVN3_VN1_TO_UNI, "TCVN5712-1"), (VISCII_TO_UNI, "VISCII")],
)
def test_tables_agree_with_glibc_iconv(table: dict[int, str], iconv_name: str) -> None:
    data = bytes(sorted(table))
    res = subprocess.run(["iconv", "-f", iconv_name, "-t", "UTF-8"], input=data, capture_output=True, check=False)
    if res.returncode != 0:
        pytest.skip(f"iconv lacks {iconv_name}")
    theirs = unicodedata.normalize("NFC", res.stdout.decode("utf-8"))
    ours = "".join(table[b] for b in sorted(table))
    assert theirs == ours


def test_html_font_runs(tmp_path) -> None:  # type: ignore[no-untyped-def]
    tcvn = encode_legacy("Ban Thường vụ Tỉnh ủy", "tcvn3").decode("cp1252")
    head = encode_legacy("kế hoạch", "tcvn3").decode("cp1252")
    vni = encode_legacy("Lịch sử Đảng bộ", "vni").decode("cp1252")
    markup = (
        "<html><head><style>p.Tieude { font-family: \".VnTimeH\"; }</style></head><body>"
        f"<p style=\"font-family:'.VnTime'\">{tcvn}</p><p class=Tieude>{head}</p>"
        f"<font face=\"VNI-Times\">{vni}</font><p style=\"font-family: Arial\">Café</p></body></html>"
    )
    path = tmp_path / "old.html"
    path.write_bytes(markup.encode("cp1252"))
    dec = decode_file(path)
    assert "<p style=\"font-family:'.VnTime'\">Ban Thường vụ Tỉnh ủy</p>" in dec.text
    assert "<p class=Tieude>KẾ HOẠCH</p>" in dec.text
    assert "Lịch sử Đảng bộ</font>" in dec.text
    assert "Café" in dec.text
    assert dec.encoding == "tcvn3"


def test_cli_decode(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import json
    import sys

    f = tmp_path / "a.txt"
    f.write_bytes(encode_legacy(SENTENCE, "vni"))
    out = subprocess.run([sys.executable, "-m", "vntext", "decode", str(f)], capture_output=True, check=True)
    rec = json.loads(out.stdout.decode("utf-8"))
    assert set(rec) == {"path", "encoding", "confidence", "text"}
    assert (rec["encoding"], rec["text"]) == ("vni", normalize(SENTENCE))


def _recode(spec: str, data: bytes) -> bytes:
    res = subprocess.run(["recode", "-f", spec], input=data, capture_output=True, check=True)
    return res.stdout


def test_vps_table_agrees_with_gnu_recode() -> None:
    # recode (Debian package, in scripts/bootstrap.sh) is the second source; it has no Ỗ (0x99 comes from VBKey).
    ours = {b: ch for b, ch in VPS_TO_UNI.items() if ch != "Ỗ"}
    theirs = _recode("VPS..UTF-8", bytes(sorted(ours))).decode("utf-8")
    assert unicodedata.normalize("NFC", theirs) == "".join(ours[b] for b in sorted(ours))
    assert len(VPS_TO_UNI) == 134 and set(VPS_TO_UNI.values()) == {c for c in LOWER + UPPER if not c.isascii()}


def test_vni_agrees_with_gnu_recode_except_its_swapped_breve_capitals() -> None:
    # recode writes Ắ as "AÈ" and Ằ as "AÉ" (lower case: ắ "aé", ằ "aè"); xvnkb and the composition rule give
    # Ắ "AÉ", Ằ "AÈ".  Every other letter agrees.
    letters = [c for c in LOWER + UPPER if not c.isascii() and c not in "ẮẰ"]
    theirs = _recode("UTF-8..VNI", "\n".join(letters).encode()).split(b"\n")
    assert [encode_legacy(c, "vni") for c in letters] == theirs


@pytest.mark.parametrize("encoding", ["vps", "vn1", "viscii", "tcvn3", "vni", "cp1258"])
def test_each_code_page_is_detected(encoding: str) -> None:
    text = "Lịch sử Đảng bộ xã Cam Hải Đông (1930-2020). " + SENTENCE + ". ỐNG ẴNG Ỗ ỹ"
    dec = decode_bytes(encode_legacy(text, encoding))
    want = text if encoding != "tcvn3" else "".join(c if c.isascii() or c in UNI_TO_TCVN3_SET else c.lower() for c in text)
    assert dec.text == want
    assert dec.encoding == ("tcvn3" if encoding == "vn1" else encoding)


UNI_TO_TCVN3_SET = set(TCVN3_TO_UNI.values())


@pytest.mark.parametrize("text", ["Khánh Hoà, thuỷ lợi, Tỉnh uỷ, khoẻ", "Hòa, thủy, ủy", SENTENCE.replace("ủy", "uỷ")])
def test_decode_keeps_the_tone_placement_as_written(text: str) -> None:
    assert decode_bytes(text.encode()).text == text
    assert decode_bytes(unicodedata.normalize("NFD", text).encode()).text == text
    assert decode_bytes(encode_legacy(text, "vni")).text == text
    assert decode_bytes(encode_legacy(text, "viscii")).text == text


@pytest.mark.parametrize(
    "text",
    [
        "Café au lait, naïve résumé — “quoted” in Zürich. Ça va très bien, merci.",
        "Le groupe « %s » existe déjà. L'utilisateur « %s » n'existe pas. Créé à partir de « %s ».",
        "Grüße aus München, schöne Straße, Übergröße.",
    ],
)
def test_western_cp1252_is_never_taken_for_anything_else(text: str) -> None:
    dec = decode_bytes(text.encode("cp1252"))
    assert (dec.encoding, dec.text) == ("cp1252", text)


@pytest.mark.parametrize("encoding", ["tcvn3", "vni"])
def test_utf8_with_pasted_legacy_lines(encoding: str) -> None:
    head = "Lịch sử Đảng bộ xã Cam Hải Đông, Khánh Hoà (1930-2020).\n"
    pasted = "Ngày 5/3/2019, Ban Tổ chức Tỉnh ủy có Công văn số 88-CV/BTCTU hướng dẫn.\nSố: 103\n"
    raw = head.encode() + encode_legacy(pasted, encoding) + head.encode()
    dec = decode_bytes(raw)
    assert (dec.encoding, dec.text) == (f"utf-8+{encoding}", head + pasted + head)
    # the same bytes already seen as cp1252 and saved as UTF-8 ("ñaõ" for "đã"): only those lines change
    moj = head + encode_legacy(pasted, encoding).decode("cp1252") + head
    dec = decode_bytes(moj.encode())
    assert (dec.encoding, dec.text) == (f"utf-8+{encoding}", head + pasted + head)


def test_legacy_bytes_that_happen_to_be_utf8_are_not_trusted() -> None:
    text = "QUY ĐỊNH\nVỀ THỂ LOẠI, THẨM QUYỀN BAN HÀNH VÀ THỂ THỨC VĂN BẢN CỦA ĐẢNG\n" + SENTENCE
    data = encode_legacy(text, "viscii")
    assert b"\xd0\x98" in data  # Đ Ị in VISCII are the UTF-8 bytes of Cyrillic И
    assert decode_bytes(data).text == text


def test_legacy_font_html_title_without_font_and_toned_capital_runs() -> None:
    def t3(x: str) -> str:
        return encode_legacy(x, "tcvn3").decode("cp1252")

    page = (
        '<html><head><meta charset="windows-1252"><title>' + t3("Lịch sử Đảng bộ Khánh Hòa") + "</title></head>"
        '<body><p><font face=".VnTimeH">' + t3("đảng bộ") + '</font></p><font face=".VnTimeH">' + t3("ố")
        + '</font><font face=".VnTime">ng</font><p><font face=".VnTime">' + t3(SENTENCE) + "</font></p>"
        '<p>Copyright © 2004</p></body></html>'
    )
    dec = decode_html(page.encode("cp1252"))
    assert dec.encoding == "tcvn3"
    assert "<title>Lịch sử Đảng bộ Khánh Hòa</title>" in dec.text
    assert ">ĐẢNG BỘ</font>" in dec.text and ">Ố</font><font face=\".VnTime\">ng<" in dec.text
    assert SENTENCE in dec.text and "Copyright © 2004" in dec.text


def test_viscii_page_without_fonts() -> None:
    page = f"<html><head><title>Khánh Hòa</title></head><body><p>{SENTENCE}</p></body></html>"
    dec = decode_html(encode_legacy(page, "viscii"))
    assert (dec.encoding, dec.text) == ("viscii", page)


def test_french_line_next_to_a_mojibake_paragraph_is_kept() -> None:
    head = "Lịch sử Đảng bộ xã Cam Hải Đông.\n"
    moj = encode_legacy(SENTENCE, "tcvn3").decode("cp1252")
    text = head + moj + "\nCafé crème à Zürich, très bien.\n" + head
    dec = decode_bytes(text.encode())
    assert dec.text == head + SENTENCE + "\nCafé crème à Zürich, très bien.\n" + head
