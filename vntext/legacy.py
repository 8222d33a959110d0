"""Legacy Vietnamese 8-bit encodings: TCVN3 (TCVN 5712:1993 VN3, ".VnTime" fonts), VNI-Windows, VISCII (RFC 1456),
Windows-1258; detection and conversion to NFC Unicode.

Tables are written here from the standards' layouts; the tests cross-check TCVN3 and VISCII against glibc iconv
(TCVN5712-1, VISCII) when it is installed, and every table by a round trip over all Vietnamese letters.

Over 500 lines because most of it is data: the byte tables of the four encodings beside the one decoder and
detector that use them.
"""

from __future__ import annotations

import html as _html
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from vntext.normalize import normalize

# --- TCVN3 (VN3): lower-case letters plus the seven capitals Ă Â Ê Ô Ơ Ư Đ. Capitals with tones were drawn by the
# ".VnTimeH" fonts from the lower-case codes, so such runs must be upper-cased after conversion.
_TCVN3_ROWS = [
    # byte of each form, in the order: plain letter, then grave, hook, tilde, acute, dot below
    ("Ă", 0xA1), ("Â", 0xA2), ("Ê", 0xA3), ("Ô", 0xA4), ("Ơ", 0xA5), ("Ư", 0xA6), ("Đ", 0xA7),
    ("ă", 0xA8), ("â", 0xA9), ("ê", 0xAA), ("ô", 0xAB), ("ơ", 0xAC), ("ư", 0xAD), ("đ", 0xAE),
]
_TCVN3_TONED = {
    # base: (grave, hook, tilde, acute, dot)
    "a": (0xB5, 0xB6, 0xB7, 0xB8, 0xB9),
    "ă": (0xBB, 0xBC, 0xBD, 0xBE, 0xC6),
    "â": (0xC7, 0xC8, 0xC9, 0xCA, 0xCB),
    "e": (0xCC, 0xCE, 0xCF, 0xD0, 0xD1),
    "ê": (0xD2, 0xD3, 0xD4, 0xD5, 0xD6),
    "i": (0xD7, 0xD8, 0xDC, 0xDD, 0xDE),
    "o": (0xDF, 0xE1, 0xE2, 0xE3, 0xE4),
    "ô": (0xE5, 0xE6, 0xE7, 0xE8, 0xE9),
    "ơ": (0xEA, 0xEB, 0xEC, 0xED, 0xEE),
    "u": (0xEF, 0xF1, 0xF2, 0xF3, 0xF4),
    "ư": (0xF5, 0xF6, 0xF7, 0xF8, 0xF9),
    "y": (0xFA, 0xFB, 0xFC, 0xFD, 0xFE),
}
_TONE_COMBINING = ("\u0300", "\u0309", "\u0303", "\u0301", "\u0323")  # grave, hook, tilde, acute, dot


def _tone(base: str, i: int) -> str:
    return unicodedata.normalize("NFC", base + _TONE_COMBINING[i])


def _tcvn3_table() -> dict[int, str]:
    table = {byte: ch for ch, byte in _TCVN3_ROWS}
    for base, codes in _TCVN3_TONED.items():
        for i, byte in enumerate(codes):
            table[byte] = _tone(base, i)
    return table


TCVN3_TO_UNI: dict[int, str] = _tcvn3_table()
# TCVN 5712:1993 VN1 adds the toned capitals (and combining tones) on codes that VN3 leaves empty; files written by
# converters that emit VN1 (glibc iconv "TCVN5712-1") use them.  Codes and letters as in glibc's table; the VN3
# codes above are equal in both (checked by the tests against iconv).
_VN1_EXTRA = (
    "01Ú02Ụ04Ừ05Ử06Ữ11Ứ12Ự13Ỳ14Ỷ15Ỹ16Ý17Ỵ80À81Ả82Ã83Á84Ạ85Ặ86Ậ87È88Ẻ89Ẽ8AÉ8BẸ8CỆ8DÌ8EỈ8FĨ90Í91Ị92Ò93Ỏ94Õ95Ó"
    "96Ọ97Ộ98Ờ99Ở9AỠ9BỚ9CỢ9DÙ9EỦ9FŨAFẰBAẲBFẴC0ẮC1ẦC2ẨC3ẪC4ẤC5ỀCDỂD9ỄDAẾDBỒE0ỔF0ỖFFỐ"
)


def _hex_table(spec: str) -> dict[int, str]:
    return {int(spec[i : i + 2], 16): spec[i + 2] for i in range(0, len(spec), 3)}


TCVN3_VN1_TO_UNI: dict[int, str] = {**_hex_table(_VN1_EXTRA), **TCVN3_TO_UNI}
# C0 codes are only letters inside a file already taken for TCVN3; as cp1252 mojibake they never occur.
_VN1_HIGH = {k: v for k, v in TCVN3_VN1_TO_UNI.items() if k >= 0x80}

# --- VPS (Vietnamese code page of the VPS fonts): written from two sources that agree on 117 of the 134 letters:
# GNU recode 3.6 ("VPS" charset; Debian package recode) and the VPS table of VBKey (khiemdoan/VBKey,
# Modules/mdlCodeTable.bas).  VBKey cannot store the 16 capitals that VPS puts on C0 codes (it writes the lower-case
# code instead); recode has no Ỗ, which VBKey puts on 0x99.  Codes not listed are as in Windows-1252.
_VPS_SPEC = (
    "02Ạ03Ậ04Ặ05Ẹ06Ệ10Ị11Ọ12Ộ13Ợ14Ụ15Ự19Ỵ1CẪ1DỮ80À81Ả82Ã83Ấ84Ầ85Ẩ86ọ87ỗ88Ă89ế8Aề8Bể8Cệ8DẮ8EẰ8FẲ90Ế93Ề94Ể"
    "95Ễ96Ố97Ồ98Ổ99Ỗ9Aý9Bỷ9Cỵ9DỚ9EỜ9FỞA1ắA2ằA3ẳA4ẵA5ặA6ỠA7ớA8ÙA9ờAAởABỡACŨADỨAEợAFỪB0ổB1ỬB2ỲB3ỸB4ÍB5ÌB6ộB7Ỉ"
    "B8ĨB9ÓBAửBBữBCÒBDỎBEÕBFựC0ầC1ÁC2ÂC3ấC4ẩC5ẫC6ậC7đC8ẻC9ÉCAÊCBẹCCỉCDễCEịCFỹD0ƯD1ỦD2ồD3ốD4ÔD5ỏD6ơD7ÈD8ừ"
    "D9ứDAÚDBũDCưDDÝDEẺE0àE1áE2âE3ãE4ảE5ạE6ăE8èE9éEAêEBẽECìEDíEFĩF0ẴF1ĐF2òF3óF4ôF5õF7ƠF8ụF9ùFAúFBủFDỶFEẼFFỳ"
)
VPS_TO_UNI: dict[int, str] = _hex_table(_VPS_SPEC)
UNI_TO_VPS: dict[str, int] = {v: k for k, v in VPS_TO_UNI.items()}

# --- VISCII (RFC 1456): 0x80..0xFF in order, and six C0 positions.
_VISCII_HIGH = (
    "ẠẮẰẶẤẦẨẬẼẸẾỀỂỄỆỐ"  # 0x80
    "ỒỔỖỘỢỚỜỞỊỎỌỈỦŨỤỲ"  # 0x90
    "Õắằặấầẩậẽẹếềểễệố"  # 0xA0
    "ồổỗỠƠộờởịỰỨỪỬơớƯ"  # 0xB0
    "ÀÁÂÃẢĂẳẵÈÉÊẺÌÍĨỳ"  # 0xC0
    "ĐứÒÓÔạỷừửÙÚỹỵÝỡư"  # 0xD0
    "àáâãảăữẫèéêẻìíĩỉ"  # 0xE0
    "đựòóôõỏọụùúũủýợỮ"  # 0xF0
)
VISCII_TO_UNI: dict[int, str] = {0x80 + i: ch for i, ch in enumerate(_VISCII_HIGH)}
VISCII_TO_UNI.update({0x02: "Ẳ", 0x05: "Ẵ", 0x06: "Ẫ", 0x14: "Ỷ", 0x19: "Ỹ", 0x1E: "Ỵ"})

# --- VNI-Windows: ASCII base letter followed by a mark character (as seen through cp1252).
_VNI_TONE_LOWER = ("ø", "û", "õ", "ù", "ï")  # grave, hook, tilde, acute, dot (same order as _TONE_COMBINING)
_VNI_CIRC_LOWER = ("à", "å", "ã", "á", "ä")
_VNI_BREVE_LOWER = ("è", "ú", "ü", "é", "ë")


def _vni_table() -> dict[str, str]:
    """Unicode letter -> VNI-Windows sequence (lower and upper case)."""
    low: dict[str, str] = {}
    for v in "aeouy":
        for i, mark in enumerate(_VNI_TONE_LOWER):
            low[_tone(v, i)] = v + mark
    for v, cv in (("a", "â"), ("e", "ê"), ("o", "ô")):
        low[cv] = v + "â"
        for i, mark in enumerate(_VNI_CIRC_LOWER):
            low[_tone(cv, i)] = v + mark
    low["ă"] = "aê"
    for i, mark in enumerate(_VNI_BREVE_LOWER):
        low[_tone("ă", i)] = "a" + mark
    for horn, single in (("ơ", "ô"), ("ư", "ö")):
        low[horn] = single
        for i, mark in enumerate(_VNI_TONE_LOWER):
            low[_tone(horn, i)] = single + mark
    for i, single in enumerate(("ì", "æ", "ó", "í", "ò")):
        low[_tone("i", i)] = single
    low[_tone("y", 4)] = "î"  # ỵ is a single character in VNI
    low["đ"] = "ñ"
    table = dict(low)
    for uni, seq in low.items():
        table[uni.upper()] = seq.upper()
    return table


UNI_TO_VNI: dict[str, str] = _vni_table()
VNI_TO_UNI: dict[str, str] = {v: k for k, v in UNI_TO_VNI.items()}
# Some converters write ỵ as y + dot-below mark instead of the single byte; accept both when decoding.
VNI_TO_UNI.update({"yï": "ỵ", "YÏ": "Ỵ"})
_VNI_RE = re.compile("|".join(re.escape(s) for s in sorted(VNI_TO_UNI, key=len, reverse=True)))

UNI_TO_TCVN3: dict[str, int] = {v: k for k, v in TCVN3_TO_UNI.items()}
UNI_TO_VISCII: dict[str, int] = {v: k for k, v in VISCII_TO_UNI.items()}
_TCVN3_CHAR_TABLE = {k: v for k, v in TCVN3_TO_UNI.items()}  # code point U+00xx of a cp1252/latin-1 decode


@dataclass
class Decoded:
    text: str
    encoding: str
    confidence: float


def _cp1252_char_to_byte(ch: str) -> int | None:
    try:
        return ch.encode("cp1252")[0]
    except UnicodeEncodeError:
        o = ord(ch)
        return o if o < 256 else None


def convert_legacy(text: str, encoding: str) -> str:
    """Convert ``text`` that was decoded as cp1252/latin-1 but really is ``encoding`` (tcvn3, vni, viscii, vps)."""
    if not text:
        return ""
    enc = encoding.lower().replace("-", "").replace("_", "")
    if enc in ("tcvn3", "tcvn", "abc", "vntime", "tcvn5712"):
        out = []
        for ch in text:
            o = ord(ch)
            if o < 0x80:
                out.append(ch)
                continue
            b = _cp1252_char_to_byte(ch)
            out.append(_VN1_HIGH.get(b, ch) if b is not None else ch)
        return normalize("".join(out))
    if enc == "vps":
        out = []
        for ch in text:
            o = ord(ch)
            if o < 0x80 and o not in VPS_TO_UNI:
                out.append(ch)
                continue
            b = o if o < 0x80 else _cp1252_char_to_byte(ch)
            out.append(VPS_TO_UNI.get(b, ch) if b is not None else ch)
        return normalize("".join(out))
    if enc in ("vni", "vniwindows", "vnitimes"):
        return normalize(_VNI_RE.sub(lambda m: VNI_TO_UNI[m.group(0)], text))
    if enc == "viscii":
        out = []
        for ch in text:
            o = ord(ch)
            if o < 0x80 and o not in VISCII_TO_UNI:
                out.append(ch)
                continue
            b = o if o < 0x80 else _cp1252_char_to_byte(ch)
            out.append(VISCII_TO_UNI.get(b, ch) if b is not None else ch)
        return normalize("".join(out))
    if enc in ("cp1258", "windows1258"):
        raw = bytes(b for b in (_cp1252_char_to_byte(c) for c in text) if b is not None)
        return normalize(raw.decode("cp1258", errors="replace"))
    return normalize(text)


def encode_legacy(text: str, encoding: str) -> bytes:
    """Unicode -> legacy bytes (for tests and fixtures).  Unmappable characters become '?'.

    ``tcvn3`` writes VN3 (toned capitals as their lower-case codes, as .VnTime files do); ``vn1`` writes
    TCVN 5712 VN1 with its capitals; ``vps``, ``vni``, ``viscii``, ``cp1258``.
    """
    text = normalize(text)
    enc = encoding.lower().replace("-", "")
    out = bytearray()
    if enc == "tcvn3":
        for ch in text:
            if ord(ch) < 0x80:
                out.append(ord(ch))
            elif ch in UNI_TO_TCVN3:
                out.append(UNI_TO_TCVN3[ch])
            elif ch.lower() in UNI_TO_TCVN3:  # capitals with tones: lower-case code (".VnTimeH" draws it upper)
                out.append(UNI_TO_TCVN3[ch.lower()])
            else:
                out += b"?"
        return bytes(out)
    if enc in ("vps", "tcvn51", "vn1"):
        table = UNI_TO_VPS if enc == "vps" else {v: k for k, v in TCVN3_VN1_TO_UNI.items()}
        for ch in text:
            if ch in table:
                out.append(table[ch])
            elif ord(ch) < 0x80 and ord(ch) not in (VPS_TO_UNI if enc == "vps" else TCVN3_VN1_TO_UNI):
                out.append(ord(ch))
            else:
                out += b"?"
        return bytes(out)
    if enc == "vni":
        s = "".join(UNI_TO_VNI.get(ch, ch) for ch in text)
        return s.encode("cp1252", errors="replace")
    if enc == "viscii":
        for ch in text:
            if ch in UNI_TO_VISCII:
                out.append(UNI_TO_VISCII[ch])
            elif ord(ch) < 0x80:
                out.append(ord(ch))
            else:
                out += b"?"
        return bytes(out)
    if enc == "cp1258":
        # Windows-1258 has the base letters â ê ô ơ ư ă đ (and some toned Latin-1 letters) but tones as combining.
        for ch in text:
            try:
                out += ch.encode("cp1258")
                continue
            except UnicodeEncodeError:
                pass
            parts = unicodedata.normalize("NFD", ch)
            tones = "".join(c for c in parts if c in _TONE_COMBINING)
            base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONE_COMBINING))
            out += (base + tones).encode("cp1258", errors="replace")
        return bytes(out)
    return text.encode(encoding, errors="replace")


def _decode_8bit(data: bytes, encoding: str) -> str:
    if encoding == "vps":
        return normalize("".join(VPS_TO_UNI.get(b) or (chr(b) if b < 0x80 else bytes([b]).decode("cp1252", "replace")) for b in data))
    if encoding == "tcvn3":
        table = TCVN3_VN1_TO_UNI
        return normalize(
            "".join(table[b] if b in table else (chr(b) if b < 0x80 else bytes([b]).decode("cp1252", "replace")) for b in data)
        )
    if encoding == "viscii":
        return normalize("".join(VISCII_TO_UNI.get(b) or chr(b) for b in data))
    if encoding == "vni":
        return convert_legacy(_cp1252(data), "vni")
    if encoding == "cp1258":
        return normalize(data.decode("cp1258", errors="replace"))
    return _cp1252(data)


def _cp1252(data: bytes) -> str:
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return "".join(bytes([b]).decode("cp1252", "replace") if b < 0x80 or b not in (0x81, 0x8D, 0x8F, 0x90, 0x9D) else chr(b) for b in data)


# Vietnamese syllable shape on lower-case text with tones removed (vowel-quality marks kept): onset, nucleus, coda.
_NUCLEI = (
    "uyê|uyu|uya|iêu|yêu|oai|oay|oeo|uây|uôi|ươi|ươu|"
    "ai|ao|au|ay|âu|ây|eo|êu|ia|iê|iu|oa|oă|oe|oi|ôi|ơi|oo|ôô|ua|uâ|uê|ui|uô|uơ|uy|ưa|ưi|ươ|ưu|yê|"
    "a|ă|â|e|ê|i|y|o|ô|ơ|u|ư"
)
_SYLLABLE = re.compile(rf"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnpqrstvx])?(?:{_NUCLEI})(?:ch|ng|nh|[cmnpt])?")
_WORD = re.compile(r"[^\W\d_]+")
_VIET_LETTER = re.compile(r"[ăâđêôơưĂÂĐÊÔƠƯ\u1ea0-\u1ef9àáãèéìíòóõùúýÀÁÃÈÉÌÍÒÓÕÙÚÝĩũĨŨ]")


def _untoned_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for cp in list(range(0xC0, 0x250)) + list(range(0x1EA0, 0x1EFA)):
        ch = chr(cp)
        parts = unicodedata.normalize("NFD", ch.lower())
        tones = [c for c in parts if c in _TONE_COMBINING]
        if tones:
            table[cp] = unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONE_COMBINING))
    return table


_UNTONED = _untoned_table()


def vietnamese_score(text: str, sample: int = 20000, min_len: int = 1) -> float:
    """Share of non-ASCII words that are well-formed Vietnamese syllables (0..1); 1.0 when there are none.

    ``min_len=2`` ignores one-letter words (French « » read as TCVN3 are the words "ô", "ằ").
    """
    text = normalize(text[:sample])
    words = [w for w in _WORD.findall(text) if not w.isascii() and len(w) >= min_len]
    noise = sum(1 for ch in text if (0x80 <= ord(ch) < 0xC0) or ch == "\ufffd" or (ord(ch) < 32 and ch not in "\r\n\t\f"))
    if not words:
        return 0.0 if noise else 1.0
    good = 0
    for w in words:
        low = w.lower()
        tones = sum(1 for c in unicodedata.normalize("NFD", low) if c in _TONE_COMBINING)
        if tones <= 1 and _SYLLABLE.fullmatch(low.translate(_UNTONED)):
            good += 1
    return max(0.0, good / len(words) - noise / len(words) * 0.5)


_TCVN3_MARKERS = re.compile(r"[¸µ¶·¹»¼½¾ÆÇÈÉÊËÌÎÏÐÑÒÓÔÕÖ×ØÜÝÞßáâãäåæçèéêëìíîïñòóôõö÷øùúûüýþ¨©ª«¬­®¡¢£¤¥¦§]")
_VNI_MARKERS = re.compile(r"[a-zA-Z][øùûõïàáåãäèéúüëâêÂÊØÙÛÕÏÀÁÅÃÄÈÉÚÜË]|[ñÑöÖôÔ]")


def detect_legacy_in_unicode(text: str) -> tuple[str, float] | None:
    """If Unicode ``text`` is really TCVN3/VNI seen through cp1252 (mojibake), say which; else None."""
    sample = text[:50000]
    if not sample or sample.isascii():
        return None
    if re.search(r"[\u1ea0-\u1ef9ơưăđ]", sample):  # genuine Vietnamese letters present: leave it alone
        return None
    if re.search(r"[^\u0000-\u00ff\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013-\u2122]", sample):
        return None  # characters that a cp1252 decode never produces
    base = vietnamese_score(sample)
    best: tuple[str, float] | None = None
    for enc in ("tcvn3", "vni"):
        conv = convert_legacy(sample, enc)
        sc = vietnamese_score(conv)
        if sc > 0.6 and sc > base + 0.2 and (best is None or sc > best[1]):
            best = (enc, sc)
    return best


# Letters a cp1252 decode never produces: a line holding one is genuine Unicode, not mojibake.
_GENUINE_VIET = re.compile(r"[ăđơưĂĐƠƯĩũĨŨ\u1ea0-\u1ef9\u0300-\u036f]")
_NOT_CP1252 = re.compile(
    r"[^\u0000-\u00ff\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013-\u2122]"
)


def _non_ascii_words(text: str, min_len: int = 1) -> int:
    return sum(1 for w in _WORD.findall(text) if not w.isascii() and len(w) >= min_len)


def repair_mojibake_lines(text: str, encodings: tuple[str, ...] = ("tcvn3", "vni")) -> tuple[str, str | None]:
    """Convert the lines of Unicode ``text`` that are TCVN3/VNI bytes seen through cp1252 ("ñaõ" for "đã").

    Lines with a genuine Vietnamese letter, with characters cp1252 never gives, or that do not read better as
    Vietnamese after conversion are kept as they are.  Returns (text, encoding used or None); the text is NFC.
    """
    if text.isascii():
        return text, None
    lines = text.split("\n")
    cand = [i for i, ln in enumerate(lines)
            if not ln.isascii() and not _GENUINE_VIET.search(ln) and not _NOT_CP1252.search(ln)]
    if not cand:
        return normalize(text), None
    sample = "\n".join(lines[i] for i in cand)
    base = vietnamese_score(sample)
    best: tuple[str, float] | None = None
    for enc in encodings:
        sc = vietnamese_score(convert_legacy(sample, enc))
        if sc > 0.6 and sc > base + 0.2 and (best is None or sc > best[1]):
            best = (enc, sc)
    if best is None:
        return normalize(text), None
    enc = best[0]
    done: set[int] = set()
    pending: dict[int, tuple[str, float, float]] = {}
    for i in cand:
        line = lines[i]
        conv = convert_legacy(line, enc)
        if conv == line or _non_ascii_words(conv) < 1:
            continue
        before, after = vietnamese_score(line), vietnamese_score(conv)
        if after >= before + 0.2:
            lines[i] = conv
            done.add(i)
        elif after >= before and after >= 0.5:
            pending[i] = (conv, before, after)
    # Short lines that read as Vietnamese both ways ("Sè: 103" / "Số: 103") follow the converted lines around them.
    grew = True
    while grew and pending:
        grew = False
        for i in sorted(pending):
            if _next_text_line(lines, i, -1) in done or _next_text_line(lines, i, 1) in done:
                lines[i] = pending.pop(i)[0]
                done.add(i)
                grew = True
    return normalize("\n".join(lines)), (enc if done else None)


def _next_text_line(lines: list[str], i: int, step: int) -> int | None:
    j = i + step
    while 0 <= j < len(lines):
        if any(c.isalpha() for c in lines[j]):  # separators ("----", "|") do not break a paragraph
            return j
        j += step
    return None


# What a line of genuine Vietnamese (or Western) UTF-8 holds outside ASCII.  Legacy bytes can form valid UTF-8 by
# chance (VISCII "ĐỊ" = D0 98 = Cyrillic "И"), never only Latin letters and punctuation for a whole line.
_UTF8_LATIN = re.compile(r"[^\u0000-\u024f\u0300-\u036f\u1e00-\u1eff\u2000-\u206f\u20ac\u2116\u2122]")


def _utf8_latin(line: bytes) -> str | None:
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return None if _UTF8_LATIN.search(text) else text


def _decode_mixed_utf8(data: bytes) -> Decoded | None:
    """UTF-8 text with lines of raw legacy bytes pasted in: decode those lines only.  None if it is not that."""
    lines = data.split(b"\n")
    good_utf8 = bad = 0
    bad_lines: list[bytes] = []
    for ln in lines:
        if ln.isascii():
            continue
        if _utf8_latin(ln) is not None:
            good_utf8 += 1
        else:
            bad += 1
            bad_lines.append(ln)
    if not good_utf8 or not bad:
        return None
    sample = b"\n".join(bad_lines)[:60000]
    scores = {enc: vietnamese_score(_decode_8bit(sample, enc)) for enc in ("tcvn3", "vni", "viscii", "vps", "cp1258")}
    enc, sc = max(scores.items(), key=lambda kv: kv[1])
    if sc < 0.3:
        enc = "cp1252"
    out = []
    for ln in lines:
        text = _utf8_latin(ln)
        out.append(text if text is not None else _decode_8bit(ln, enc))
    return Decoded(normalize("\n".join(out)), f"utf-8+{enc}", round(0.5 + 0.4 * min(1.0, sc), 3))


def decode_bytes(data: bytes) -> Decoded:
    """Detect the encoding of ``data`` and return NFC Unicode.  Never raises."""
    if not isinstance(data, bytes | bytearray | memoryview):
        return Decoded("", "unknown", 0.0)
    data = bytes(data)
    if not data:
        return Decoded("", "ascii", 1.0)
    try:
        if data.startswith(b"\xef\xbb\xbf"):
            return Decoded(normalize(data[3:].decode("utf-8", errors="replace")), "utf-8", 1.0)
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            return Decoded(normalize(data.decode("utf-16", errors="replace")), "utf-16", 1.0)
        head = data[:4000]
        if len(head) >= 4 and head.count(0) > len(head) // 4:
            even_nuls = head[0::2].count(0)
            odd_nuls = head[1::2].count(0)
            enc = "utf-16-le" if odd_nuls > even_nuls else "utf-16-be"
            text = data.decode(enc, errors="replace")
            if vietnamese_score(text) > 0.5 and text.count("\ufffd") < len(text) // 100 + 1:
                return Decoded(normalize(text), "utf-16", 0.9)
        if data.isascii():
            return Decoded(data.decode("ascii"), "ascii", 1.0)
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = None
        if text is not None:
            legacy = detect_legacy_in_unicode(text)
            if legacy:
                return Decoded(convert_legacy(text, legacy[0]), legacy[0], round(0.6 + 0.3 * legacy[1], 3))
            repaired, enc = repair_mojibake_lines(text)
            if enc is not None:
                return Decoded(repaired, f"utf-8+{enc}", 0.8)
            return Decoded(normalize(text), "utf-8", 0.99)
        mixed = _decode_mixed_utf8(data)
        if mixed is not None:
            return mixed
        return _guess_8bit(data)
    except Exception:  # detection must never raise: fall back to a lossless-ish decode
        return Decoded(data.decode("latin-1"), "latin-1", 0.0)


def _guess_8bit(data: bytes) -> Decoded:
    sample = data[:60000]
    scores: dict[str, float] = {}
    for enc in ("tcvn3", "vni", "viscii", "vps", "cp1258"):
        scores[enc] = vietnamese_score(_decode_8bit(sample, enc))
    ranked = sorted(scores.items(), key=lambda kv: kv[1], reverse=True)
    best, sc = ranked[0]
    margin = sc - ranked[1][1]
    if sc < 0.3:
        # Not Vietnamese: Western text in Windows-1252 is by far the commonest 8-bit file here; take it whenever
        # every byte is defined there and the text reads as Latin letters, before asking a generic detector.
        if _plausible_cp1252(data):
            return Decoded(data.decode("cp1252"), "cp1252", 0.6)
        try:
            import charset_normalizer

            res = charset_normalizer.from_bytes(data).best()
            if res is not None:
                return Decoded(normalize(str(res)), res.encoding, 0.3)
        except Exception:
            pass
        return Decoded(_cp1252(data), "cp1252", 0.2)
    if _plausible_cp1252(data) and (sc < 0.75 or vietnamese_score(_decode_8bit(sample, best), min_len=2) < 0.75):
        # Western text whose guillemets and accents happen to form a few Vietnamese syllables in some code page
        # (French « » are ỡ ữ in VPS): a real Vietnamese file reads far better than this.
        return Decoded(data.decode("cp1252"), "cp1252", 0.5)
    conf = max(0.0, min(1.0, sc * min(1.0, 0.5 + margin * 2)))
    return Decoded(_decode_8bit(data, best), best, round(conf, 3))


_CP1252_UNDEFINED = {0x81, 0x8D, 0x8F, 0x90, 0x9D}


def _plausible_cp1252(data: bytes) -> bool:
    """Every byte defined in cp1252, no C0 controls but whitespace, and high letters sit inside Latin words."""
    if any(b in _CP1252_UNDEFINED for b in data):
        return False
    if any(b < 0x20 and b not in (9, 10, 12, 13) for b in data[:200000]):
        return False
    text = data[:200000].decode("cp1252")
    high = [m for m in re.finditer(r"[^\x00-\x7f]", text)]
    if not high:
        return True
    in_words = sum(1 for m in high if m.group(0).isalpha() and (
        (m.start() > 0 and text[m.start() - 1].isalpha()) or (m.end() < len(text) and text[m.end()].isalpha())))
    letters = sum(1 for m in high if m.group(0).isalpha())
    # accented letters inside words (café, Müller), or typographic punctuation only (“quotes”, –, …)
    return letters == 0 or in_words >= 0.8 * letters


# --- HTML with legacy font runs -------------------------------------------------------------------------------

_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9:]*)([^>]*)>|<!--.*?-->|<![^>]*>", re.S)
_FONT_FACE = re.compile(r"""\bface\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.I)
_STYLE_ATTR = re.compile(r"""\bstyle\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.I)
_CLASS_ATTR = re.compile(r"""\bclass\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.I)
_FONT_FAMILY = re.compile(r"font-family\s*:\s*([^;}\"]+|\"[^\"]*\")", re.I)
_CSS_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
_VOID = {"br", "img", "meta", "link", "hr", "input", "col", "area", "base", "wbr", "source", "param", "o:p"}


def font_encoding(family: str) -> str | None:
    """Legacy encoding implied by a font family list: 'tcvn3', 'tcvn3-upper' (.VnTimeH…), 'vni' or None."""
    for raw in family.split(","):
        f = raw.strip().strip("'\"").strip().lower()
        if f.startswith(".vn") or f.startswith("vn") and not f.startswith("vni"):
            return "tcvn3-upper" if f.endswith("h") else "tcvn3"
        if f.startswith("vni"):
            return "vni"
    return None


def _attr(m: re.Match[str] | None) -> str | None:
    if m is None:
        return None
    return next((g for g in m.groups() if g is not None), None)


def convert_html(markup: str) -> str:
    """Convert text runs in TCVN3 (.VnTime, .VnTimeH upper-cased) and VNI fonts; markup is kept."""
    class_fonts: dict[str, str] = {}
    for style in re.findall(r"<style[^>]*>(.*?)</style>", markup, re.S | re.I):
        for sel, body in _CSS_RULE.findall(re.sub(r"/\*.*?\*/|<!--|-->", "", style, flags=re.S)):
            fam = _FONT_FAMILY.search(body)
            enc = font_encoding(fam.group(1)) if fam else None
            if enc:
                for s in sel.split(","):
                    s = s.strip()
                    if "." in s:
                        class_fonts[s.rsplit(".", 1)[1].strip().lower()] = enc
    out: list[str] = []
    stack: list[tuple[str, str | None]] = []
    pos = 0
    in_raw = False

    def current() -> str | None:
        for _tag, enc in reversed(stack):
            if enc == "none":  # an explicit Unicode font inside a legacy run
                return None
            if enc is not None:
                return enc
        return None

    used: dict[str, int] = {}
    unfonted: list[int] = []  # indexes in ``out`` of non-ASCII text outside any font run (the <title>…)

    def emit_text(chunk: str) -> None:
        enc = current()
        if enc is None or in_raw or not chunk:
            if not in_raw and chunk and not chunk.isascii():
                unfonted.append(len(out))
            out.append(chunk)
            return
        plain = _html.unescape(chunk)
        base_enc = "vni" if enc == "vni" else "tcvn3"
        used[base_enc] = used.get(base_enc, 0) + len(plain)
        conv = convert_legacy(plain, base_enc)
        if enc == "tcvn3-upper":
            conv = conv.upper()
        out.append(_html.escape(conv, quote=False))

    for m in _TAG.finditer(markup):
        emit_text(markup[pos : m.start()])
        out.append(m.group(0))
        pos = m.end()
        if m.group(2) is None:
            continue
        closing, name, attrs = m.group(1), m.group(2).lower(), m.group(3) or ""
        if name in ("script", "style"):
            in_raw = not closing
        if closing:
            for i in range(len(stack) - 1, -1, -1):
                if stack[i][0] == name:
                    del stack[i:]
                    break
            continue
        if name in _VOID or attrs.rstrip().endswith("/"):
            continue
        enc: str | None = None
        face = _attr(_FONT_FACE.search(attrs)) if name == "font" else None
        if face:
            enc = font_encoding(face) or "none"
        style = _attr(_STYLE_ATTR.search(attrs))
        if style:
            fam = _FONT_FAMILY.search(style)
            if fam:
                enc = font_encoding(fam.group(1)) or "none"
        cls = _attr(_CLASS_ATTR.search(attrs))
        if enc is None and cls:
            for c in cls.split():
                if c.lower() in class_fonts:
                    enc = class_fonts[c.lower()]
                    break
        stack.append((name, enc))
    emit_text(markup[pos:])
    if used and unfonted:
        # Text without a font (the title, a run the editor left unstyled) was typed in the page's legacy encoding
        # too: convert it when it reads as Vietnamese only after conversion.
        enc = max(used.items(), key=lambda kv: kv[1])[0]
        for i in unfonted:
            plain = _html.unescape(out[i])
            if _GENUINE_VIET.search(plain) or _NOT_CP1252.search(plain):
                continue
            conv = convert_legacy(plain, enc)
            if _non_ascii_words(conv, 2) >= 1 and vietnamese_score(conv, min_len=2) >= vietnamese_score(plain) + 0.2:
                out[i] = _html.escape(conv, quote=False)
    return normalize("".join(out))


def decode_html(data: bytes) -> Decoded:
    """Decode an HTML file, converting legacy font runs."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = _cp1252(data)
    has_legacy_font = re.search(r"\.?vn[a-z]*time|vni[-\s]", text, re.I) is not None
    if has_legacy_font:
        conv = convert_html(text)
        if conv != normalize(text):
            return Decoded(conv, "tcvn3" if re.search(r"\.?vn[a-z]*time", text, re.I) else "vni", 0.9)
    return decode_bytes(data)


def decode_file(path: str | Path) -> Decoded:
    p = Path(path)
    data = p.read_bytes()
    if p.suffix.lower() in (".html", ".htm", ".xhtml") or data[:512].lstrip().lower().startswith((b"<!doctype html", b"<html")):
        return decode_html(data)
    return decode_bytes(data)
