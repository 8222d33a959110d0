"""References to official documents (số và ký hiệu văn bản) in running text.

Party symbols are ``<n>-<TYPE>/<ISSUER>`` (``98-KH/TU``); state symbols are ``<n>/<TYPE>-<ISSUER>[-<UNIT>]``
(``123/QĐ-UBND``), ``<n>/<year>/<TYPE>-<ISSUER>`` (``30/2020/NĐ-CP``), ``<n>/<year>/QH15`` or, for a state công
văn, ``<n>/<ISSUER>-<UNIT>`` with no type code.  The parser accepts odd spacing (``172 -HD/BTGTU``), dashes of
any kind, a line break inside the symbol, all-caps headers, and several references in one sentence.

One module over 500 lines on purpose: the symbol grammar, the context finders (date, issuer, type) and the
cheap symbol-only path share one scanning loop; splitting them would export its internals.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import asdict, dataclass

from vntext.codes import (
    OLD_STATE_SINGLE,
    PARTY_TYPES,
    STATE_TYPES,
    canonical_code,
    doc_type_name,
    is_party_issuer,
    issuer_label,
)
from vntext.normalize import normalize, normalize_with_offsets, same_key


@dataclass
class DocRef:
    symbol: str | None
    number: str
    type_code: str | None
    type_name: str | None
    issuer_code: str | None
    issuer_name: str | None
    date: str | None
    system: str
    start: int
    end: int
    year: int | None = None
    unit: str | None = None
    issuer_label: str | None = None
    text: str = ""

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


_SP = r"[ \t\u00a0]*(?:\r?\n[ \t\u00a0]*)?"  # spaces, at most one line break
_DASH = r"[-\u2010\u2011\u2012\u2013\u2014\u2212]"
_SLASH = r"[/\u2044\u2215]"
# Code groups: capitals (TƯ is a spelling of TW), digits for terms (UBTVQH15, VP2), & (PTTH&TTĐT).
_UP = "A-ZĐƯƠ"
_GROUP = rf"[{_UP}][{_UP}a-zđ0-9&]{{0,15}}"
# The symbol ends here: not inside a longer word, except a glued "ngày" ("70-TB/TWngày 06 tháng 01 năm 2012").
_END = r"(?:(?![A-Za-zĐđ0-9À-ỹ])|(?=ngày))"

_REF_RE = re.compile(
    rf"(?P<num>\d{{1,5}})"
    rf"(?:"
    # Party: 98-KH/TU, 172 -HD/BTGTU, 98 - KH / TU, 07-NQ/TƯ; joint and old forms with more groups after the
    # issuer (103-NQ-TVQH is the dash branch below)
    rf"{_SP}{_DASH}{_SP}(?P<ptype>[{_UP}][{_UP}a-zđ]{{0,4}}){_SP}{_SLASH}{_SP}(?P<pissuer>[{_UP}][{_UP}a-zđ0-9]{{0,12}})"
    rf"(?P<prest>(?:[ \t]?[-/][ \t]?[{_UP}][{_UP}a-zđ0-9]{{0,15}}){{0,4}})"
    rf"|"
    # State: 123/QĐ-UBND, 30/2020/NĐ-CP, 33/2024/QH15, 5104/BTTTT-PTTH&TTĐT, 63/SL; joint: 01/NQLT/CP-TWMTTQ
    rf"[ \t]?{_SLASH}(?:[ \t]|\r?\n)?(?:(?P<year>1[89]\d\d|20\d\d){_SLASH}(?:\r?\n)?)?(?P<g1>{_GROUP})"
    rf"(?P<rest>(?:[ \t]?(?:{_DASH}|{_SLASH})(?:[ \t]|\r?\n)?{_GROUP}){{0,5}})"
    rf"|"
    # Dash only, the symbols of 1945-1992 and old ministries: 64-CP, 217-HĐBT, 42-SL, 310-TB, 313-VH-VP,
    # 103-NQ-TVQH, 22-C (sắc lệnh of 1946, only after "Sắc lệnh số")
    rf"[ \t]?{_DASH}[ \t]?(?P<d1>[{_UP}][{_UP}a-zđ0-9]{{0,11}})(?P<drest>(?:{_DASH}[{_UP}][{_UP}a-zđ0-9]{{0,11}}){{0,2}})"
    rf")"
    rf"{_END}"
)
_PREFILTER = re.compile(
    rf"\d{_SP}(?:{_DASH}{_SP}[{_UP}][{_UP}a-zđ]{{0,4}}{_SP}{_SLASH}|[ \t]?{_SLASH}(?:[ \t]|\r?\n)?[{_UP}12]"
    rf"|[ \t]?{_DASH}[ \t]?[{_UP}])"
)
# Codes that stand alone after a dash in old symbols (Hội đồng Bộ trưởng, Chính phủ, sắc lệnh, notices…).
_DASH_SINGLE = {"CP", "HĐBT", "HĐCP", "SL", "TTg", "TB", "CT", "TC", "NQ", "QĐ", "NĐ", "HĐNN", "LCT", "TU", "TW"}
_DASH_STRONG = {"CP", "HĐBT", "HĐCP", "SL", "TTg", "HĐNN"}
_NUM_BEFORE = re.compile(r"[\w./\u2010-\u2014-]$")
_SO_BEFORE = re.compile(r"(?:^|[^\w])(?:[sS]ố|SỐ|[sS]o|No\.?)\s*:?\s*$")
_RANGE_SPLIT = re.compile(rf"[ \t]?(?:{_DASH}|{_SLASH})(?:[ \t]|\r?\n)?")
_LOWER = re.compile(r"[a-zđ]")

_MONTH_DATE = (
    r"(?P<d>\d{1,2})\s*(?P<sep>[/.\-–])\s*(?P<m>\d{1,2})\s*(?P=sep)\s*(?P<y>\d{4})"
    r"|(?P<d2>\d{1,2})\s+(?:tháng|THÁNG)\s+(?P<m2>\d{1,2})\s*,?\s*(?:năm|NĂM)\s+(?P<y2>\d{4})"
)
_DATE_AFTER = re.compile(
    r"\s*[,(]?\s*(?:(?:ban hành\s+|đã\s+ban hành\s+|công bố\s+)?(?:[nN]gày|NGÀY)\s*(?:" + _MONTH_DATE + r")"
    r"|(?P<bare>(?<=\s)\d{1,2}/\d{1,2}/\d{4})(?![\d/]))"
)
_BARE_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_DATE_ANY = re.compile(_MONTH_DATE)
_HEADER_DATE = re.compile(
    r"[A-ZĐÀ-Ỹ][^\n,;:]{0,40}(?:\n[^\n,;:|]{1,40})?,\s*(?:[nN]gày|NGÀY)\s+(?P<d>\d{1,2})\s+(?:tháng|THÁNG)\s+"
    r"(?P<m>\d{1,2})\s+(?:năm|NĂM)\s+(?P<y>\d{4})"
)
_OF_BODY = re.compile(r"\s*,?\s*(?:của|do)\s+")
_DATE_LEAD = re.compile(r"(?:^|[\n.;]\s*)(?:[nN]gày|NGÀY)\s+(?:" + _MONTH_DATE + r")\s*,\s*$")

# Body names (shared with places.find_bodies).
_BODY_HEADS = (
    r"Ban Chấp hành|Ban Thường vụ|Ban Bí thư|Bộ Chính trị|Ban Tuyên giáo|Ban Tổ chức|Ban Dân vận|Ban Nội chính|"
    r"Ban Kinh tế|Ban Đối ngoại|Ban cán sự|Ban Cán sự|Ban Chỉ đạo|Ban|Bộ|Ủy ban|Uỷ ban|UBND|HĐND|BCH|BTV|"
    r"Hội đồng|Tỉnh ủy|Tỉnh uỷ|Thành ủy|Thành uỷ|Huyện ủy|Huyện uỷ|Quận ủy|Quận uỷ|Thị ủy|Thị uỷ|Đảng ủy|Đảng uỷ|"
    r"Đảng đoàn|Quân ủy|Quân uỷ|Chính phủ|Thủ tướng|Quốc hội|Văn phòng|Học viện|Sở|Chủ tịch|Mặt trận|"
    r"Tổng Bí thư|Chi bộ|Cục|Tổng cục|Viện|Tòa án|Tỉnh đoàn|Trung ương Đảng|Trung ương"
)
BODY_HEAD_RE = re.compile(rf"(?<![\wÀ-ỹ])(?:{_BODY_HEADS})(?![\wÀ-ỹ])")
_BODY_WORDS = set(
    ["thường", "vụ", "bí", "thư", "chấp", "hành", "tuyên", "giáo", "dân", "vận", "tổ", "chức", "kiểm", "tra", "nhân", "tỉnh", "thành", "phố", "huyện", "quận", "xã", "phường", "thị", "trấn", "ủy", "uỷ", "đảng", "chính", "trị", "phủ", "khối", "các", "cơ", "quan", "doanh", "nghiệp", "trung", "ương", "quốc", "hội", "nội", "văn", "hóa", "hoá", "thể", "thao", "du", "lịch", "dục", "đào", "tạo", "tài", "pháp", "y", "tế", "an", "phòng", "công", "thông", "tin", "truyền", "lao", "động", "kinh", "đối", "ngoại", "sự", "nghiệp", "mặt", "trận", "việt", "nam", "cán", "bộ", "ban", "kế", "hoạch", "đầu", "tư", "nông", "phát", "triển", "thôn", "nguyên", "môi", "trường", "xây", "dựng", "giao", "vận", "tải", "khoa", "học", "nghệ", "ngân", "hàng", "nhà", "nước", "tướng", "trưởng", "chỉ", "đạo", "đoàn", "bộ", "chủ", "tịch", "hội", "đồng", "viện", "tòa", "án", "kiểm", "sát", "tối", "cao"]
)
_BODY_STOP_PAIRS = {("ban", "hành")}
_WORD_RE = re.compile(r"[^\W\d_]+|\([^()\n]{1,30}\)|,|\S")
_AND_OK = {"dân", "đào", "thể", "du", "truyền", "môi", "xã", "phát", "công", "đầu", "chiến"}


def scan_body(text: str, pos: int, limit: int = 140) -> tuple[int, int] | None:
    """If a body name starts at ``pos`` (after optional spaces), return its (start, end)."""
    m = BODY_HEAD_RE.match(text, pos)
    if m is None:
        return None
    end = m.end()
    i = end
    stop = min(len(text), pos + limit)
    words = 0
    while i < stop:
        w = _WORD_RE.search(text, i, stop)
        if w is None or text[i : w.start()].count("\n") or (w.start() - i) > 2:
            break
        word = w.group(0)
        low = word.lower()
        if word.startswith("("):
            if re.match(r"\((?:khóa|khoá|Khóa|KHÓA|nhiệm kỳ)", word):
                end = w.end()
            break
        if low == "và":
            nxt = _WORD_RE.search(text, w.end(), stop)
            if nxt is not None and BODY_HEAD_RE.match(text, nxt.start()) and nxt.group(0)[0].isupper():
                pass  # joint issuers: "Bộ Tài chính và Bộ Nội vụ"
            elif nxt is None or nxt.group(0).lower() not in _AND_OK:
                break
        elif word[0].isupper() and word[0].isalpha():
            if word in ("Kế", "Nghị", "Chỉ", "Quyết", "Kết", "Hướng", "Báo", "Tờ", "Luật", "Số"):
                break
        elif low in _BODY_WORDS:
            prev = text[end - 3 : end].lower()
            if (prev.endswith("ban") or prev.endswith("bàn")) and low == "hành":
                end -= 4
                break
        else:
            break
        if low != "và":
            end = w.end()
        i = w.end()
        words += 1
        if words > 14:
            break
    # Trailing "ban" of "... ban hành" is not part of the name.
    tail = text[pos:end]
    if tail.endswith(" ban") and text[end : end + 5] == " hành":
        end -= 4
    return pos, end


def _iso(d: int, m: int, y: int) -> str | None:
    try:
        return dt.date(y, m, d).isoformat()
    except ValueError:
        return None


def _date_from(m: re.Match[str]) -> str | None:
    gd = m.groupdict()
    if gd.get("bare"):
        b = _BARE_DATE.match(gd["bare"])
        return _iso(int(b.group(1)), int(b.group(2)), int(b.group(3))) if b else None
    if gd.get("d"):
        return _iso(int(gd["d"]), int(gd["m"]), int(gd["y"]))
    if gd.get("d2"):
        return _iso(int(gd["d2"]), int(gd["m2"]), int(gd["y2"]))
    return None


def _mostly_upper(code: str) -> bool:
    if code in ("ThU", "QĐi", "CTr", "TTr", "TTg", "TTh", "TrS", "QyĐ") or code.endswith(("TTg", "ThU")):
        return True
    return code[0].isupper() and len(_LOWER.findall(code)) <= 1 and not code[-1:].islower()


def _split_groups(g1: str, rest: str) -> list[str]:
    groups = [g1]
    if rest:
        groups += [g for g in _RANGE_SPLIT.split(rest) if g]
    return groups


def _joined(num: str, text: str) -> str:
    """A symbol as written, spaces removed and dashes unified (joint and old forms keep their separators)."""
    body = re.sub(r"\s+", "", text)
    body = re.sub(_DASH, "-", body)
    body = re.sub(_SLASH, "/", body)
    parts = re.split(r"([-/])", body)
    return "".join(canonical_code(p) if p not in ("-", "/") and not p.isdigit() else p for p in parts)


Built = tuple[str, str | None, str | None, str, int | None, str | None, int]


def _build(m: re.Match[str], text: str, has_so: bool, type_before: str | None, after_ref: bool) -> Built | None:
    """(symbol, type, issuer, system, year, unit, end) for a candidate match, or None if it is not a ref."""
    num = m.group("num")
    if m.group("ptype") is not None:
        return _build_party(m, num, has_so)
    if m.group("d1") is not None:
        return _build_dash(m, num, has_so, type_before, after_ref)
    return _build_state(m, text, num, has_so)


def _build_party(m: re.Match[str], num: str, has_so: bool) -> Built | None:
    raw_t, raw_i = m.group("ptype"), m.group("pissuer")
    tcode, icode = canonical_code(raw_t), canonical_code(raw_i)
    if not _mostly_upper(raw_i) or not _mostly_upper(raw_t):
        return None
    rest = m.group("prest") or ""
    if rest:
        # Joint documents: 01-NQLT/TW-CP, 05-QCPH/MTTQ-BDVTU: the whole symbol, as written.
        extra = [g for g in _RANGE_SPLIT.split(rest) if g]
        if not all(_mostly_upper(g) for g in extra):
            rest = ""
    if tcode not in PARTY_TYPES and tcode not in STATE_TYPES and icode in STATE_TYPES | PARTY_TYPES:
        # Old ministry form "09-VH/QĐ" (issuer-type): the type is the second group.
        end = m.end() if rest else m.end("pissuer")
        return num + _joined(num, m.group(0)[len(num) : end - m.start()]), icode, tcode, "state", None, None, end
    if tcode not in PARTY_TYPES and not (has_so and len(tcode) <= 5):
        return None
    if len(icode) < 2 and icode not in ("TW",):
        return None
    end = m.end() if rest else m.end("pissuer")
    if rest:
        return num + _joined(num, m.group(0)[len(num) :]), tcode, icode, "party", None, None, end
    return f"{num}-{tcode}/{icode}", tcode, icode, "party", None, None, end


def _build_dash(m: re.Match[str], num: str, has_so: bool, type_before: str | None, after_ref: bool) -> Built | None:
    raw = m.group("d1")
    groups = [raw] + [g for g in re.split(_DASH, m.group("drest") or "") if g]
    if not all(_mostly_upper(g) for g in groups):
        return None
    codes = [canonical_code(g) for g in groups]
    first = codes[0]
    if len(codes) == 1:
        if first in _DASH_STRONG:
            pass  # 64-CP, 217-HĐBT, 42-SL stand alone
        elif first in _DASH_SINGLE:
            if not (has_so or type_before):
                return None  # "310-TB" needs "Thông báo số", not "lúc 5-TB"
        elif not (has_so and type_before and (len(first) >= 2 or type_before == "Sắc lệnh")):
            return None
    elif not (first in _DASH_SINGLE or has_so or after_ref):
        return None
    symbol = f"{num}-" + "-".join(codes)
    if first in ("SL", "TB", "CT", "NQ", "QĐ", "NĐ", "TC"):
        tcode = first
        icode = codes[1] if len(codes) > 1 else None
    else:
        tcode, icode = None, first
    return symbol, tcode, icode, "state", None, "-".join(codes[1:]) or None if tcode is None else None, m.end()


def _build_state(m: re.Match[str], text: str, num: str, has_so: bool) -> Built | None:
    year = int(m.group("year")) if m.group("year") else None
    rest_text = m.group("rest") or ""
    raw_groups = _split_groups(m.group("g1"), rest_text)
    groups: list[str] = []
    for g in raw_groups:
        if not _mostly_upper(g):
            break
        groups.append(g)
    if not groups:
        return None
    # Recompute the end: drop trailing groups that were rejected.
    end = m.end()
    if len(groups) < len(raw_groups):
        span_text = m.group(0)
        cut = 0
        for g in groups:
            cut = span_text.index(g, cut) + len(g)
        end = m.start() + cut
        nxt = text[end : end + 1]
        if nxt.isalnum():
            return None
    codes = [canonical_code(g) for g in groups]
    if re.search(_SLASH, text[m.start("g1") : end]):
        # Joint document with a second slash (01/NQLT/CP-TWMTTQ, 12/QCPH/MTTQ-BDVTU): the whole symbol as written.
        tcode = codes[0] if codes[0] in STATE_TYPES or codes[0] in PARTY_TYPES else None
        icode = codes[1] if tcode and len(codes) > 1 else codes[0]
        head = f"{num}/{year}/" if year else f"{num}/"
        return head + _joined(num, text[m.start("g1") : end]), tcode, icode, "state", year, None, end
    if year is not None:
        if len(codes) == 1:
            c = codes[0]
            if not (c.startswith("QH") or c.startswith("UBTVQH") or c in OLD_STATE_SINGLE or has_so):
                return None
            return f"{num}/{year}/{c}", None, c, "state", year, None, end
        tcode, icode = codes[0], codes[1]
        if tcode not in STATE_TYPES and tcode not in PARTY_TYPES:
            # VBQPPL without type (rare) – keep as issuer groups.
            return f"{num}/{year}/" + "-".join(codes), None, codes[0], "state", year, "-".join(codes[1:]), end
        unit = "-".join(codes[2:]) or None
        return f"{num}/{year}/" + "-".join(codes), tcode, icode, "state", year, unit, end
    if len(codes) == 1:
        c = codes[0]
        if c in OLD_STATE_SINGLE or c.startswith(("QH", "UBTVQH")) or (has_so and len(c) >= 2):
            return f"{num}/{c}", None, c, "state", None, None, end
        return None
    tcode = codes[0]
    if tcode in STATE_TYPES or tcode in PARTY_TYPES:
        icode = codes[1]
        unit = "-".join(codes[2:]) or None
        if len(codes) == 2 and is_party_issuer(icode) and tcode in PARTY_TYPES:
            # A Party document written state-style ("100/CT-TW"): canonical Party form.
            return f"{num}-{tcode}/{icode}", tcode, icode, "party", None, None, end
        return f"{num}/" + "-".join(codes), tcode, icode, "state", None, unit, end
    # Công văn of a state body: issuer and drafting unit, no type code.
    if len(tcode) < 2 or len(codes[1]) < 2:
        return None
    return f"{num}/" + "-".join(codes), None, tcode, "state", None, "-".join(codes[1:]), end


_TYPE_NAMES = (
    "Nghị quyết liên tịch|Thông tư liên tịch|Chương trình hành động|Chương trình phối hợp|Quy chế phối hợp|"
    "Nghị quyết|Quyết định|Quy định|Chỉ thị|Kết luận|Quy chế|Thông tri|Hướng dẫn|Thông báo|"
    "Thông cáo|Báo cáo|Kế hoạch|Chương trình|Đề án|Phương án|Dự án|Tờ trình|Công văn|Biên bản|Giấy mời|Nghị định|"
    "Thông tư|Bộ luật|Luật|Pháp lệnh|Sắc lệnh|Lệnh|Công điện|Hiến pháp|Công ước|Hiệp định"
)


def _cased(names: str) -> str:
    """The alternation in its three written cases (Quyết định, quyết định, QUYẾT ĐỊNH): faster than re.I."""
    alts = names.split("|")
    forms = {f for a in alts for f in (a, a.lower(), a.upper(), a[0].upper() + a[1:].lower())}
    return "|".join(sorted(forms, key=len, reverse=True))


def _trie(words: list[str]) -> str:
    """A regex for a set of words as a character trie (three times faster than a flat alternation in ``re``)."""
    root: dict[str, dict] = {}  # type: ignore[type-arg]
    for w in words:
        node = root
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:  # type: ignore[type-arg]
        branches = [re.escape(ch) + emit(sub) for ch, sub in sorted(node.items()) if ch]
        if not branches:
            return ""
        if len(branches) == 1 and "" not in node:
            return branches[0]
        return "(?:" + "|".join(branches) + ")" + ("?" if "" in node else "")

    return emit(root)


# No look-behind here (it defeats the trie): callers drop matches that start inside a word.
_TYPE_NAME_RE = re.compile(rf"(?:{_trie(_cased(_TYPE_NAMES).split('|'))})(?![\wÀ-ỹ])")


def _word_start(text: str, i: int) -> bool:
    return i == 0 or not (text[i - 1].isalnum() or text[i - 1] == "_")
# Between a type name and its number: a few words of title ("Luật Bầu cử đại biểu Quốc hội và HĐND số"), an
# aside in parentheses ("Nghị quyết (dự thảo) 306"), "của <body> số" ("Quyết định của Hội đồng Bộ trưởng số 76-HĐBT").
_TYPE_GAP = re.compile(
    r"[ \t]*(?:\([^()\n]{0,30}\)[ \t]*)?(?:[^\W\d]+,?[ \t]+){0,18}?(?:(?:số|Số|SỐ)[ \t]*:?[ \t]*)?$"
    r"|\s*(?:số|Số|SỐ)\s*:?\s*$"
)
# Names that make a bare number a reference: "Quyết định số 412", "Chỉ thị 20", "SẮC LỆNH\n\nSố 62".
_NUMONLY_NAMES = (
    "Nghị quyết liên tịch|Thông tư liên tịch|Nghị quyết|Quyết định|Quy định|Chỉ thị|Kết luận|Thông tri|Hướng dẫn|"
    "Thông báo|Kế hoạch|Công văn|Sắc lệnh|Nghị định|Thông tư|Pháp lệnh|Tờ trình|Công điện|Quy chế"
)
_NUMBER_ONLY = re.compile(
    rf"(?<![\wÀ-ỹ])(?P<name>{_cased(_NUMONLY_NAMES)})(?:[ \t]*\([^()\n]{{1,20}}\))?"
    rf"(?:\s+(?P<so>số|Số|SỐ)[ \t]*:?[ \t]*|[ \t]+)(?P<num>\d{{1,5}})(?![\d\wÀ-ỹ])"
    rf"(?![.,]\d|[ \t]*(?:{_DASH}|{_SLASH})[ \t]*[\w\d])"
)
# What the number of a type name is, when it is not a document number: "Kế hoạch 5 năm", "Quyết định 2 lần".
_NOT_DOC_NUMBER = re.compile(
    r"[ \t]*(?:năm|tháng|tuần|ngày[ \t]+(?:làm|đêm)|lần|người|điểm|%|phần|tỷ|triệu|nghìn|ngàn|đồng|giờ|phút|km|ha|"
    r"tấn|kg|điều|khoản|mục|chương|trang|văn bản|nội dung|nhiệm vụ|giải pháp|chỉ tiêu|bước)(?![\wÀ-ỹ])",
    re.I,
)
_HEADING = re.compile(rf"^[ \t]*(?P<name>{_cased(_TYPE_NAMES)})(?![\wÀ-ỹ])", re.M)


def _cap(name: str) -> str:
    name = normalize(name)
    return name[0].upper() + name[1:].lower()


class _TypeNames:
    """Every type name of a text, found in one pass (the parser asks for the last one before each reference).

    The pass is made as far as it is asked for: a text citing one symbol near its start is not scanned to its
    end (the same matches: one ``finditer`` over the whole text, read lazily)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._found: list[re.Match[str]] = []
        self.ends: list[int] = []
        self._scan: Iterator[re.Match[str]] | None = _TYPE_NAME_RE.finditer(text)
        self._scanned = -1  # end of the last match read (every match ending at or before it is known)

    def _read_to(self, s: int) -> None:
        """Read matches until one ends after ``s`` (they do not overlap: none later ends before it)."""
        scan, text = self._scan, self.text
        while scan is not None and self._scanned <= s:
            m = next(scan, None)
            if m is None:
                self._scan = scan = None
                break
            self._scanned = m.end()
            if _word_start(text, m.start()):
                self._found.append(m)
                self.ends.append(m.end())

    @property
    def matches(self) -> list[re.Match[str]]:
        self._read_to(len(self.text) + 1)
        return self._found

    def last_before(self, s: int, reach: int = 160) -> re.Match[str] | None:
        self._read_to(s)
        i = bisect.bisect_right(self.ends, s) - 1
        if i < 0 or self._found[i].start() < s - reach:
            return None
        return self._found[i]


def _type_before(text: str, s: int, names: _TypeNames | None = None) -> tuple[str, int] | None:
    """The type name written right before the reference at ``s`` ("Quy định số 97-QĐ/TW"): (name, its start)."""
    lo = max(0, s - 160)
    if names is not None:
        hit = names.last_before(s)
        if hit is None:
            return None
        window = text[lo:s]
        last = _TYPE_NAME_RE.match(window, hit.start() - lo) if hit.start() >= lo else None
    else:
        window = text[lo:s]
        last = None
        for m in _TYPE_NAME_RE.finditer(window):
            if _word_start(window, m.start()):
                last = m
    if last is None:
        return None
    gap = _TYPE_GAP.match(window, last.end())
    if gap is None or re.search(r"[;.!?]", window[last.end() :]):
        return None
    if "\n" in window[last.end() :] and not re.fullmatch(r"\s*(?:số|Số|SỐ)\s*:?\s*", window[last.end() :]):
        return None
    return _cap(last.group(0)), lo + last.start()


def _heading_after(text: str, ref_end: int) -> str | None:
    """The type heading of a header block ("Số: 97-QĐ/TW … Hà Nội, ngày … QUY ĐỊNH"), within a few lines."""
    after = text[ref_end : ref_end + 400]
    cut = _PREFILTER.search(after)
    if cut is not None:
        after = after[: cut.start()]
    for m in _HEADING.finditer(after):
        line_end = after.find("\n", m.start())
        line = after[m.start() : line_end if line_end >= 0 else len(after)]
        head = line[: len(m.group("name")) + 2]
        if head == head.upper():
            return _cap(m.group("name"))
    return None


def _choose_type(code_name: str | None, written: tuple[str, int] | None, text: str) -> str | None:
    if written is None:
        return code_name
    name, start = written
    if code_name is None or same_key(name, code_name):
        return name
    # "Thông báo Kết luận số 159-TB": the code's name leads the written one.
    if same_key(text[max(0, start - len(code_name) - 1) : start].strip(), code_name):
        return code_name
    return name  # "Quy định số 97-QĐ/TW", "Công văn số 176/CT-VP" (CT is Cục Thuế there)


# The issuing verb between a body and the type name: "Ban Tổ chức Tỉnh ủy có Công văn số …".
_VERB_BEFORE = re.compile(
    r"(?<![\wÀ-ỹ])(?:(?:đã|vừa|mới)\s+)?(?:ban hành|có|ra|ký|ký ban hành|phát hành|gửi)"
    r"(?:\s+(?:các|một|hai|ba|bốn|năm))?\s+(?:(?:văn bản|quyết định|nghị quyết)\s+)?(?:số\s*:?\s*)?$"
)
_ISSUE_VERB = re.compile(r"(?<![\wÀ-ỹ])(?:ban hành|ra|có|ký|phát hành|gửi|thông qua)[ \t]*$")
_LEAD_DATE = re.compile(r"(?:[nN]gày|NGÀY)\s+(?:" + _MONTH_DATE + r")")
_SENTENCE_START = re.compile(r"(?:[.;!?](?=\s)|\n)")


def _issuing_date(text: str, type_start: int) -> str | None:
    """"Ngày 5/3/2019, Ban Tổ chức Tỉnh ủy có Công văn số …": the date of the sentence that issues the document."""
    lo = max(0, type_start - 300)
    if _ISSUE_VERB.search(text, max(0, type_start - 24), type_start) is None:
        return None
    prefix = text[lo:type_start]
    starts = [m.end() for m in _SENTENCE_START.finditer(prefix)]
    sentence = prefix[starts[-1] :] if starts else prefix
    dates = [d for d in _LEAD_DATE.finditer(sentence)
             # the date leads the clause ("Ngày 5/3/2019, …", "…, ngày 10/9/2020 Ban …"), it is not the date of
             # a reference or body just before it ("Nghị quyết 60-NQ/TW ngày 12/4/2025 của …")
             if re.search(r"(?:^|[,(:\-–]|\btừ)\s*$", sentence[: d.start()])
             and re.match(r"\s*,|\s+[A-ZĐ]", sentence[d.end() :])]
    if not dates:
        return None
    last = dates[-1]
    if _PREFILTER.search(sentence, last.end()):
        return None  # another reference between the date and this one: the date is about that one
    return _date_from(last)


def _make_ref(text_n: str, s: int, end: int, num: str, tcode: str | None, icode: str | None, system: str,
              year: int | None, unit: str | None, symbol: str | None) -> DocRef:
    return DocRef(
        symbol=symbol,  # type: ignore[arg-type]
        number=num,
        type_code=tcode,
        type_name=doc_type_name(tcode, system),
        issuer_code=icode,
        issuer_name=None,
        date=None,
        system=system,
        start=s,
        end=end,
        year=year,
        unit=unit,
        issuer_label=issuer_label(icode),
        text=text_n[s:end],
    )


def _normalized(text: str) -> tuple[str, list[int] | None]:
    if unicodedata.is_normalized("NFC", text):
        return text, None
    return normalize_with_offsets(text)


class _Names:
    """The text's type names, found on first use (most texts that carry digits cite no symbol at all)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._names: _TypeNames | None = None

    def get(self) -> _TypeNames:
        if self._names is None:
            self._names = _TypeNames(self.text)
        return self._names


def _symbol_matches(text_n: str, names: _Names) -> Iterator[tuple[re.Match[str], int, bool, tuple[str, int] | None, Built]]:
    """Each symbol reference of ``text_n`` in order: (match, start, "số" before it, type written before, parts)."""
    pos = 0
    n = len(text_n)
    last_end = -10
    while pos < n:
        pre = _PREFILTER.search(text_n, pos)
        if pre is None:
            return
        # Back up to the first digit of the number that ends at pre.start().
        s = pre.start()
        while s > 0 and text_n[s - 1].isdigit() and pre.start() - s < 5:
            s -= 1
        m = _REF_RE.match(text_n, s)
        if m is None or (s > 0 and _NUM_BEFORE.search(text_n[s - 1 : s])):
            pos = pre.start() + 1
            continue
        before = text_n[max(0, s - 12) : s]
        has_so = _SO_BEFORE.search(before) is not None
        written = _type_before(text_n, s, names.get())
        after_ref = last_end >= 0 and _LIST_SEP.fullmatch(text_n, last_end, s) is not None
        built = _build(m, text_n, has_so, written[0] if written else None, after_ref)
        if built is None:
            pos = pre.start() + 1
            continue
        yield m, s, has_so, written, built
        pos = last_end = built[-1]


def symbol_spans(text: str) -> list[tuple[str, int, int]]:
    """(symbol, start, end) of each symbol reference in ``text`` (offsets into ``text`` as given): the symbols
    ``find_refs`` gives, without the references' dates, issuers and type names.  The search index asks this of
    every page, so a text with no symbol-like run costs one regular-expression scan."""
    if not text or not isinstance(text, str):
        return []
    text_n, offsets = _normalized(text)
    if _PREFILTER.search(text_n) is None:
        return []
    spans = [(built[0], s, built[-1]) for _, s, _, _, built in _symbol_matches(text_n, _Names(text_n))]
    if offsets is not None:
        spans = [(symbol, offsets[s], offsets[e]) for symbol, s, e in spans]
    return spans


def find_symbols(text: str) -> list[str]:
    """The document symbols cited in ``text``, in order (see ``symbol_spans``)."""
    return [symbol for symbol, _, _ in symbol_spans(text)]


def find_refs(text: str) -> list[DocRef]:
    """All document references in ``text`` with offsets into ``text`` as given.

    A reference written by type and number alone ("Quyết định số 412", "Chỉ thị 20") has ``symbol`` None.
    """
    if not text or not isinstance(text, str):
        return []
    text_n, offsets = _normalized(text)
    refs: list[DocRef] = []
    names = _Names(text_n)
    for m, s, has_so, written, built in _symbol_matches(text_n, names):
        symbol, tcode, icode, system, year, unit, end = built
        ref = _make_ref(text_n, s, end, m.group("num"), tcode, icode, system, year, unit, symbol)
        if tcode == "SL":
            ref.type_name = "Sắc lệnh"
        ref.type_name = _choose_type(ref.type_name, written, text_n)
        if ref.type_name is None and tcode is None and unit is not None and year is None:
            ref.type_name = "Công văn"
        _attach_context(text_n, ref, has_so, written)
        refs.append(ref)
    refs.extend(_number_only_refs(text_n, refs, names.get()))
    refs.sort(key=lambda r: r.start)
    _share_across_lists(text_n, refs, names.get())
    if offsets is not None:
        for r in refs:
            r.start, r.end = offsets[r.start], offsets[r.end]
            r.text = text[r.start : r.end]
    return refs


_LIST_SEP = re.compile(r"\s*(?:,|và|và các|hoặc)\s*")


def _share_across_lists(text: str, refs: list[DocRef], names: _TypeNames) -> None:
    """"Quyết định số 313-VH-VP và 314-VH-VP ngày 28-4-1962 của Bộ Văn hoá": one type, date and issuer for both."""
    for a, b in zip(refs, refs[1:], strict=False):
        if _LIST_SEP.fullmatch(text, a.end, b.start) is None:
            continue
        if _type_before(text, b.start, names) is None and a.type_name and (b.type_code is None or b.type_code == a.type_code):
            b.type_name = a.type_name
    for a, b in zip(reversed(refs[:-1]), reversed(refs[1:]), strict=False):
        if _LIST_SEP.fullmatch(text, a.end, b.start) is None:
            continue
        if a.date is None and b.date is not None:
            a.date = b.date
        if a.issuer_name is None and b.issuer_name is not None:
            a.issuer_name = b.issuer_name


_PARTY_BODY = re.compile(
    r"Ban Bí thư|Bộ Chính trị|Ban Chấp hành|Trung ương Đảng|[Tt]ỉnh [uủ]|[Tt]hành [uủ]|[Hh]uyện [uủ]|[Qq]uận [uủ]|"
    r"[Tt]hị [uủ]|Đảng [uủ]|Đảng đoàn|Ban cán sự|Chi bộ|Ban Tuyên giáo|Ban Tổ chức|Ban Dân vận|BTV|BCH"
)


def _number_only_refs(text: str, found: list[DocRef], names: _TypeNames) -> list[DocRef]:
    out: list[DocRef] = []
    taken = [(r.start, r.end) for r in found]
    for tn in names.matches:
        m = _NUMBER_ONLY.match(text, tn.start())
        if m is None:
            continue
        s, e = m.start("num"), m.end("num")
        if any(a <= s < b for a, b in taken):
            continue
        num = m.group("num")
        if _NOT_DOC_NUMBER.match(text, e):
            continue
        if m.group("so") is None and 1900 <= int(num) <= 2100:
            continue  # "Kế hoạch 2024" is the plan of a year
        ref = _make_ref(text, s, e, num, None, None, "state", None, None, None)
        ref.type_name = _cap(m.group("name"))
        written = (ref.type_name, m.start("name"))
        _attach_context(text, ref, m.group("so") is not None, written)
        if ref.issuer_name and _PARTY_BODY.search(ref.issuer_name):
            ref.system = "party"  # "Chỉ thị 20 của Ban Bí thư"
        out.append(ref)
    return out


def _attach_context(text: str, ref: DocRef, has_so: bool, written: tuple[str, int] | None = None) -> None:
    end = ref.end
    window = text[end : end + 200]
    dm = _DATE_AFTER.match(window)
    consumed = 0
    if dm:
        ref.date = _date_from(dm)
        consumed = dm.end()
    om = _OF_BODY.match(window, consumed)
    if om:
        body = scan_body(text, end + om.end())
        name = text[body[0] : body[1]].strip(" ,") if body else ""
        if body and (" " in name or name.isupper()):  # "Ban ..." cut off by the page is not a name
            ref.issuer_name = normalize(text[body[0] : body[1]].strip(" ,"))
            if ref.date is None:
                dm2 = _DATE_AFTER.match(text, body[1])
                if dm2 and dm2.end() - body[1] < 40:
                    ref.date = _date_from(dm2)
    # "<Body> ban hành Kế hoạch số 98-KH/TU" (or "có", "ra", "ký"), optionally led by "Ngày 18/8/2022,".
    anchor = written[1] if written else ref.start
    verb = _VERB_BEFORE.search(text, max(0, anchor - 40), anchor)
    if verb is not None:
        body_end = verb.start()
        while body_end > 0 and text[body_end - 1] in " \t":
            body_end -= 1
        for hm in BODY_HEAD_RE.finditer(text, max(0, body_end - 120), body_end):
            body = scan_body(text, hm.start())
            if body and abs(body[1] - body_end) <= 1:
                if ref.issuer_name is None:
                    ref.issuer_name = normalize(text[body[0] : body[1]].strip(" ,"))
                if ref.date is None:
                    lead = _DATE_LEAD.search(text[max(0, body[0] - 60) : body[0]])
                    if lead:
                        ref.date = _date_from(lead)
                break
    if ref.date is None:
        # "Ngày 5/3/2019, Ban Tổ chức Tỉnh ủy có Công văn số 88-CV/BTCTU": the date of the issuing sentence.
        ref.date = _issuing_date(text, written[1] if written else ref.start)
    line_start = text.rfind("\n", 0, ref.start) + 1
    lead = text[line_start : ref.start].strip(" *\t:|")
    if not lead:  # "Số:\n216-QĐ/TW" (table cells of web copies)
        prev_start = text.rfind("\n", 0, max(0, line_start - 1)) + 1
        lead = text[prev_start : max(prev_start, line_start - 1)].strip(" *\t:|")
    is_header = has_so and (
        lead.lower() in ("số", "so") or lead == "SỐ"
        or re.fullmatch(rf"(?:{_TYPE_NAMES})\s+(?:số|Số|SỐ)", lead, re.I) is not None
    )
    if is_header:
        heading = _heading_after(text, ref.end)
        if heading is not None:
            ref.type_name = heading
    if ref.date is None and is_header:
        # Header block: "Số 98-KH/TU" and "Khánh Hòa, ngày 18 tháng 8 năm 2022" within a few lines.
        after = text[ref.end : ref.end + 300]
        hm = _HEADER_DATE.search(after)
        if hm and not _PREFILTER.search(after, 0, hm.start()):
            ref.date = _iso(int(hm.group("d")), int(hm.group("m")), int(hm.group("y")))
        else:
            before = text[max(0, ref.start - 300) : line_start]
            found = list(_HEADER_DATE.finditer(before))
            if found and not _PREFILTER.search(before, found[-1].end()):
                h = found[-1]
                ref.date = _iso(int(h.group("d")), int(h.group("m")), int(h.group("y")))


_CANON_TOKEN = re.compile(r"\d+|[^\W\d_][^\W_]*|&")


def canonical_symbol(s: str) -> str | None:
    """Canonical symbol for loose user input ("98 KH TU", "98-kh/tu", "98/KH-TU" -> "98-KH/TU")."""
    if not s or not isinstance(s, str):
        return None
    s = normalize(s.strip())
    s = re.sub(r"^(?:số|Số|SỐ|so)\s*:?\s*", "", s)
    found = list(re.finditer(r"\d+|[^\W_]+(?:&[^\W_]+)*", s))
    if len(found) < 2 or not found[0].group(0).isdigit():
        return None
    seps = [s[a.end() : b.start()].strip() for a, b in zip(found, found[1:], strict=False)]
    num = found[0].group(0)
    parts = [f.group(0) for f in found[1:]]
    year: int | None = None
    if parts and parts[0].isdigit():
        if len(parts[0]) == 4 and 1800 <= int(parts[0]) <= 2100 and len(parts) >= 2:
            year = int(parts[0])
            parts = parts[1:]
            seps = seps[1:]
        else:
            return None
    if any(p.isdigit() for p in parts):
        return None
    codes = [canonical_code(p) for p in parts]
    if year is not None:
        return f"{num}/{year}/" + "-".join(codes)
    if len(codes) == 1:
        if seps[0] == "-":
            # "217-HĐBT", "64-CP", "42-SL": the old symbols with one code; "98-KH" alone is not a symbol.
            return f"{num}-{codes[0]}" if codes[0] in _DASH_SINGLE else None
        return f"{num}/{codes[0]}"
    first_sep = seps[0]
    # "98-KH/TU" as typed, or any spelling whose issuer is a Party body ("98/KH-TU", "98 KH TU").
    if len(codes) == 2 and codes[0] in PARTY_TYPES and (first_sep.startswith("-") or is_party_issuer(codes[1])):
        return f"{num}-{codes[0]}/{codes[1]}"
    return f"{num}/" + "-".join(codes)
