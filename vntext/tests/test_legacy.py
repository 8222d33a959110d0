from __future__ import annotations

import subprocess
import unicodedata

import pytest

from vntext import convert_legacy, decode_bytes
from vntext.legacy import (
    TCVN3_TO_UNI,
    UNI_TO_VNI,
    VISCII_TO_UNI,
    convert_html,
    decode_file,
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


@pytest.mark.parametrize(("table", "iconv_name"), [(TCVN3_TO_UNI, "TCVN5712-1"), (VISCII_TO_UNI, "VISCII")])
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
