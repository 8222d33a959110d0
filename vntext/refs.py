"""References to official documents (số và ký hiệu văn bản) in running text.

Party symbols are ``<n>-<TYPE>/<ISSUER>`` (``98-KH/TU``); state symbols are ``<n>/<TYPE>-<ISSUER>[-<UNIT>]``
(``123/QĐ-UBND``), ``<n>/<year>/<TYPE>-<ISSUER>`` (``30/2020/NĐ-CP``), ``<n>/<year>/QH15`` or, for a state công
văn, ``<n>/<ISSUER>-<UNIT>`` with no type code.  The parser accepts odd spacing (``172 -HD/BTGTU``), dashes of
any kind, a line break inside the symbol, all-caps headers, and several references in one sentence.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
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
from vntext.normalize import normalize, normalize_with_offsets


@dataclass
class DocRef:
    symbol: str
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
_GROUP = r"[A-ZĐ][A-ZĐa-zđ0-9&]{0,15}"

_REF_RE = re.compile(
    rf"(?P<num>\d{{1,5}})"
    rf"(?:"
    # Party: 98-KH/TU, 172 -HD/BTGTU, 98 - KH / TU
    rf"{_SP}{_DASH}{_SP}(?P<ptype>[A-ZĐ][A-ZĐa-zđ]{{0,4}}){_SP}{_SLASH}{_SP}(?P<pissuer>[A-ZĐ][A-ZĐa-zđ0-9]{{0,12}})"
    rf"|"
    # State: 123/QĐ-UBND, 30/2020/NĐ-CP, 33/2024/QH15, 5104/BTTTT-PTTH&TTĐT, 63/SL
    rf"[ \t]?{_SLASH}(?:[ \t]|\r?\n)?(?:(?P<year>1[89]\d\d|20\d\d){_SLASH}(?:\r?\n)?)?(?P<g1>{_GROUP})"
    rf"(?P<rest>(?:[ \t]?{_DASH}(?:[ \t]|\r?\n)?{_GROUP}){{0,4}})"
    rf")"
    rf"(?![A-Za-zĐđ0-9À-ỹ])"
)
_PREFILTER = re.compile(rf"\d{_SP}(?:{_DASH}{_SP}[A-ZĐ][A-ZĐa-zđ]{{0,4}}{_SP}{_SLASH}|[ \t]?{_SLASH}(?:[ \t]|\r?\n)?[A-ZĐ12])")
_NUM_BEFORE = re.compile(r"[\w./\u2010-\u2014-]$")
_SO_BEFORE = re.compile(r"(?:^|[^\w])(?:[sS]ố|SỐ|[sS]o|No\.?)\s*:?\s*$")
_RANGE_SPLIT = re.compile(rf"[ \t]?{_DASH}(?:[ \t]|\r?\n)?")
_LOWER = re.compile(r"[a-zđ]")

_MONTH_DATE = (
    r"(?P<d>\d{1,2})\s*(?P<sep>[/.\-–])\s*(?P<m>\d{1,2})\s*(?P=sep)\s*(?P<y>\d{4})"
    r"|(?P<d2>\d{1,2})\s+(?:tháng|THÁNG)\s+(?P<m2>\d{1,2})\s*,?\s*(?:năm|NĂM)\s+(?P<y2>\d{4})"
)
_DATE_AFTER = re.compile(
    r"\s*[,(]?\s*(?:(?:ban hành\s+|đã\s+ban hành\s+)?(?:[nN]gày|NGÀY)\s*(?:" + _MONTH_DATE + r")"
    r"|(?P<bare>(?<=\s)\d{1,2}/\d{1,2}/\d{4})(?![\d/]))"
)
_BARE_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_DATE_ANY = re.compile(_MONTH_DATE)
_HEADER_DATE = re.compile(
    r"[A-ZĐÀ-Ỹ][^\n,;:]{1,40},\s*(?:[nN]gày|NGÀY)\s+(?P<d>\d{1,2})\s+(?:tháng|THÁNG)\s+(?P<m>\d{1,2})\s+"
    r"(?:năm|NĂM)\s+(?P<y>\d{4})"
)
_OF_BODY = re.compile(r"\s*,?\s*(?:của|do)\s+")
_BAN_HANH_TAIL = re.compile(r"\s+(?:[^\n.;\d]{0,40}?\s)?(?:số\s*:?\s*)?(?=\d)")
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
    ["thường", "vụ", "bí", "thư", "chấp", "hành", "tuyên", "giáo", "dân", "vận", "tổ", "chức", "kiểm", "tra", "nhân", "tỉnh", "thành", "phố", "huyện", "quận", "xã", "phường", "thị", "trấn", "ủy", "uỷ", "đảng", "chính", "trị", "phủ", "khối", "các", "cơ", "quan", "doanh", "nghiệp", "trung", "ương", "quốc", "hội", "nội", "văn", "hóa", "hoá", "thể", "thao", "du", "lịch", "dục", "đào", "tạo", "tài", "pháp", "y", "tế", "an", "phòng", "công", "thông", "tin", "truyền", "lao", "động", "kinh", "đối", "ngoại", "sự", "nghiệp", "mặt", "trận", "việt", "nam", "cán", "bộ", "ban", "kế", "hoạch", "đầu", "tư", "nông", "phát", "triển", "thôn", "nguyên", "môi", "trường", "xây", "dựng", "giao", "vận", "tải", "khoa", "học", "nghệ", "ngân", "hàng", "nhà", "nước", "tướng", "chỉ", "đạo", "đoàn", "bộ", "chủ", "tịch", "hội", "đồng", "viện", "tòa", "án", "kiểm", "sát", "tối", "cao"]
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
            if nxt is None or nxt.group(0).lower() not in _AND_OK:
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
    return code[0].isupper() and len(_LOWER.findall(code)) <= 1 and not code[-1:].islower() or code in (
        "ThU",
        "QĐi",
        "CTr",
        "TTr",
        "TTg",
        "TTh",
        "TrS",
        "QyĐ",
    )


def _split_groups(g1: str, rest: str) -> list[str]:
    groups = [g1]
    if rest:
        groups += [g for g in _RANGE_SPLIT.split(rest) if g]
    return groups


def _build(
    m: re.Match[str], text: str, has_so: bool
) -> tuple[str, str | None, str | None, str, int | None, str | None, int] | None:
    """(symbol, type, issuer, system, year, unit, end) for a candidate match, or None if it is not a ref."""
    num = m.group("num")
    if m.group("ptype") is not None:
        tcode = canonical_code(m.group("ptype"))
        icode = canonical_code(m.group("pissuer"))
        if not _mostly_upper(m.group("pissuer")) or not _mostly_upper(m.group("ptype")):
            return None
        if tcode not in PARTY_TYPES and not (has_so and len(tcode) <= 4):
            return None
        if len(icode) < 2 and icode not in ("TW",):
            return None
        return f"{num}-{tcode}/{icode}", tcode, icode, "party", None, None, m.end()
    year = int(m.group("year")) if m.group("year") else None
    raw_groups = _split_groups(m.group("g1"), m.group("rest") or "")
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


_TYPE_NAME_BEFORE = re.compile(
    r"(?P<name>Nghị quyết|Quyết định|Quy định|Chỉ thị|Kết luận|Quy chế|Thông tri|Hướng dẫn|Thông báo|Thông cáo|"
    r"Báo cáo|Kế hoạch|Chương trình|Đề án|Phương án|Dự án|Tờ trình|Công văn|Biên bản|Giấy mời|Nghị định|"
    r"Thông tư liên tịch|Thông tư|Luật|Pháp lệnh|Lệnh|Sắc lệnh|Công điện|Hiến pháp|Bộ luật|Nghị quyết liên tịch)"
    r"\s*(?:[^\W\d]+\s+){0,6}?(?:số\s*:?\s*)?$",
    re.I,
)


def find_refs(text: str) -> list[DocRef]:
    """All document references in ``text`` with offsets into ``text`` as given."""
    if not text or not isinstance(text, str):
        return []
    offsets: list[int] | None = None
    if not unicodedata.is_normalized("NFC", text):
        text_n, offsets = normalize_with_offsets(text)
    else:
        text_n = text
    refs: list[DocRef] = []
    pos = 0
    n = len(text_n)
    while pos < n:
        pre = _PREFILTER.search(text_n, pos)
        if pre is None:
            break
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
        built = _build(m, text_n, has_so)
        if built is None:
            pos = pre.start() + 1
            continue
        symbol, tcode, icode, system, year, unit, end = built
        ref = DocRef(
            symbol=symbol,
            number=m.group("num"),
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
        if ref.type_name is None:
            tn = _TYPE_NAME_BEFORE.search(text_n[max(0, s - 80) : s])
            if tn:
                ref.type_name = normalize(tn.group("name")[0].upper() + tn.group("name")[1:].lower())
            elif tcode is None and unit is not None and year is None:
                ref.type_name = "Công văn"
        _attach_context(text_n, ref, has_so)
        refs.append(ref)
        pos = end
    if offsets is not None:
        for r in refs:
            r.start, r.end = offsets[r.start], offsets[r.end]
            r.text = text[r.start : r.end]
    return refs


def _attach_context(text: str, ref: DocRef, has_so: bool) -> None:
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
    # "<Body> ban hành Kế hoạch số 98-KH/TU", optionally led by "Ngày 18/8/2022,".
    lo = max(0, ref.start - 80)
    bh = text.rfind("ban hành", lo, ref.start)
    tail = _BAN_HANH_TAIL.match(text, bh + 8) if bh > 0 else None
    if tail is not None and tail.end() == ref.start:
        body_end = bh
        while body_end > 0 and text[body_end - 1] in " \t":
            body_end -= 1
        if text[body_end - 3 : body_end] in ("đã ", "vừa"):
            body_end = text.rfind(" ", 0, body_end - 1) if text[body_end - 3 : body_end] == "vừa" else body_end - 3
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
    if ref.date is None and has_so:
        # Header block: "Số 98-KH/TU" and "Khánh Hòa, ngày 18 tháng 8 năm 2022" within a few lines.
        line_start = text.rfind("\n", 0, ref.start) + 1
        lead = text[line_start : ref.start].strip(" *\t:")
        if lead.lower() in ("số", "so") or lead == "SỐ":
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
            return None
        return f"{num}/{codes[0]}"
    first_sep = seps[0]
    # "98-KH/TU" as typed, or any spelling whose issuer is a Party body ("98/KH-TU", "98 KH TU").
    if len(codes) == 2 and codes[0] in PARTY_TYPES and (first_sep.startswith("-") or is_party_issuer(codes[1])):
        return f"{num}-{codes[0]}/{codes[1]}"
    return f"{num}/" + "-".join(codes)
