"""Dates as they appear in Vietnamese history texts (reference §4).

Each date is returned as a span of the text with ``earliest``/``latest`` (ISO), a ``precision`` and a
``calendar``.  Lunar dates are converted with the Vietnamese calendar (vnlunar, time zone UTC+7).  Editorial
readings (documented in README.md): spring = Jan–Apr, summer = May–Jul, autumn = Aug–Oct, winter = Nov–Dec;
"đầu năm" = Jan–Apr, "giữa năm" = May–Aug, "cuối năm" = Sep–Dec; "thượng/trung/hạ tuần" = days 1–10 / 11–20 /
21–end; "đầu/giữa/cuối tháng" likewise.  A Can Chi year without a Gregorian year is resolved to the candidate
nearest to the closest year written in the text; with no year in the text, all candidates in 1900–2100 are
listed in ``candidates`` and earliest/latest stay empty.

One module over 500 lines on purpose: one parser whose expressions (solar, lunar, ranges, seasons, relative
words) share a scanner and the year context; its callers import only ``find_dates``/``parse_date``.
"""

from __future__ import annotations

import bisect
import calendar as _cal
import datetime as dt
import re
import unicodedata
from dataclasses import asdict, dataclass, field
from functools import lru_cache

from vntext.normalize import normalize, normalize_with_offsets, unify_tones


@dataclass
class DateSpan:
    text: str
    start: int
    end: int
    earliest: str | None
    latest: str | None
    precision: str
    calendar: str = "gregorian"
    candidates: list[int] = field(default_factory=list)
    lunar: str | None = None  # the lunar date as written, "10/3" or "10/3/1930" (day/month[/year])

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


CAN = ["Giáp", "Ất", "Bính", "Đinh", "Mậu", "Kỷ", "Canh", "Tân", "Nhâm", "Quý"]
CHI = ["Tý", "Sửu", "Dần", "Mão", "Thìn", "Tỵ", "Ngọ", "Mùi", "Thân", "Dậu", "Tuất", "Hợi"]
_CHI_ALIASES = {"Tí": "Tý", "Mẹo": "Mão", "Tị": "Tỵ"}


def can_chi(year: int) -> str:
    return f"{CAN[(year + 6) % 10]} {CHI[(year + 8) % 12]}"


def can_chi_years(name: str, lo: int = 1900, hi: int = 2100) -> list[int]:
    """Gregorian (lunar) years in [lo, hi] named ``name`` ("Canh Ngọ" -> [1930, 1990, 2050])."""
    parts = normalize(name).split()
    if len(parts) != 2:
        return []
    can = parts[0].capitalize()
    chi = _CHI_ALIASES.get(parts[1].capitalize(), parts[1].capitalize())
    if can not in CAN or chi not in CHI:
        return []
    return [y for y in range(lo, hi + 1) if CAN[(y + 6) % 10] == can and CHI[(y + 8) % 12] == chi]


@lru_cache(maxsize=4096)
def lunar_to_solar(day: int, month: int, year: int, leap: int = 0) -> dt.date | None:
    """Solar date of a Vietnamese lunar date (UTC+7)."""
    try:
        import vnlunar

        res = vnlunar.convert_lunar_to_solar(day, month, year, leap, 7)
    except Exception:
        return None
    if not res or res[0] == 0:
        return None
    try:
        return dt.date(res[2], res[1], res[0])
    except ValueError:
        return None


def _lunar_month_range(month: int, year: int) -> tuple[dt.date, dt.date] | None:
    first = lunar_to_solar(1, month, year)
    nxt = lunar_to_solar(1, 1, year + 1) if month == 12 else lunar_to_solar(1, month + 1, year)
    if first is None or nxt is None:
        return None
    return first, nxt - dt.timedelta(days=1)


def _lunar_year_range(year: int) -> tuple[dt.date, dt.date] | None:
    first = lunar_to_solar(1, 1, year)
    nxt = lunar_to_solar(1, 1, year + 1)
    if first is None or nxt is None:
        return None
    return first, nxt - dt.timedelta(days=1)


MONTH_WORDS = {
    "giêng": 1,
    "hai": 2,
    "ba": 3,
    "tư": 4,
    "bốn": 4,
    "năm": 5,
    "sáu": 6,
    "bảy": 7,
    "tám": 8,
    "chín": 9,
    "mười": 10,
    "mười một": 11,
    "mười hai": 12,
    "chạp": 12,
    "một": 11,
}
_LUNAR_MONTH_WORDS = {"giêng", "chạp", "một"}
_MONTH_WORD_RE = r"(?:Mười\s+Một|Mười\s+Hai|Giêng|Chạp|Một|Hai|Ba|Tư|Bốn|Năm|Sáu|Bảy|Tám|Chín|Mười)"
_CAN_RE = "|".join(CAN)
_CHI_RE = "|".join(CHI + list(_CHI_ALIASES))
_CANCHI = rf"(?:{_CAN_RE})\s+(?:{_CHI_RE})"
_Y = r"(1[0-9]\d\d|20\d\d|21\d\d)"
_NB = r"(?<![\d/.])"  # no digit or separator before a number
_NA = r"(?![\d]|[/.\-–]\d|/[A-ZĐ]|-[A-ZĐ])"  # nothing that continues the number or makes it a symbol
_SEP = r"\s*[/.\-–]\s*"
_DAYP = r"(?:(?:ngày|đêm|sáng|trưa|chiều|tối|hôm|mồng|mùng|rạng sáng)\s+)?"
_LUNAR_TAG = r"(?:\s*\(?\s*(?:âm\s+lịch|ÂL)(?:\s*\))?)"
_FLAGS = re.I

# Patterns start with a digit or a literal word so that the regex engine can skip ahead quickly; optional words
# before a number ("ngày", "từ", "năm", "mùa") are added afterwards by _BACK (see find_dates).
_D1 = r"\d(?<![\d/.]\d)\d?"  # a 1-2 digit number not preceded by a digit or separator
_Y1 = r"(?:1[0-9]|20|21)\d\d(?<![\d/.]\d{4})"  # a year starting here
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    # ranges of days: "13 đến 15-8-1945", "13 đến ngày 15 tháng 8 năm 1945" (+ "từ ngày" before)
    (
        "dayrange",
        re.compile(
            rf"({_D1})\s*(?:đến|tới)\s*(?:ngày\s+)?(\d{{1,2}})"
            rf"(?:{_SEP}(\d{{1,2}}){_SEP}|\s+tháng\s+(\d{{1,2}})\s*,?\s*năm\s+){_Y}{_NA}",
            _FLAGS,
        ),
    ),
    ("dayrange_bare", re.compile(rf"({_D1})\s*[-–]\s*(\d{{1,2}})/(\d{{1,2}})/{_Y}{_NA}")),
    # written: "3 tháng 2 năm 1930", "30 tháng Tư năm 1975", "10 tháng 3 âm lịch năm 2024" (+ "ngày" before)
    (
        "written",
        re.compile(
            rf"({_D1})\s+(?:tháng|Tháng|THÁNG)\s+(\d{{1,2}}|{_MONTH_WORD_RE})"
            rf"({_LUNAR_TAG})?(?:\s*,?\s*năm\s+(?:{_Y}|({_CANCHI}))|\s+({_CANCHI}))?{_NA}({_LUNAR_TAG})?",
            _FLAGS,
        ),
    ),
    (
        "written",
        re.compile(
            rf"(rằm|mười|m[ồù]ng\s+\d{{1,2}})\s+tháng\s+(\d{{1,2}}|{_MONTH_WORD_RE})"
            rf"({_LUNAR_TAG})?(?:\s*,?\s*năm\s+(?:{_Y}|({_CANCHI}))|\s+({_CANCHI}))?{_NA}({_LUNAR_TAG})?",
            _FLAGS,
        ),
    ),
    # "mồng 5 Tết Canh Ngọ", "Tết Mậu Thân"
    (
        "tet",
        re.compile(
            rf"(?:Tết|TẾT|tết)\s+(?:Nguyên\s+Đán\s+)?({_CANCHI})(?:\s*,?\s*(?:năm\s+)?{_Y})?",
            re.I,
        ),
    ),
    # numeric: "3/2/1930", "03-02-1930", "18.01.2018", "20/3/1975 âm lịch" (+ "ngày"/"đêm" before)
    ("numeric", re.compile(rf"({_D1})(?P<s>[/.\-–])(\d{{1,2}})(?P=s){_Y}{_NA}({_LUNAR_TAG})?", _FLAGS)),
    # "10/3 âm lịch"
    ("lunar_dm", re.compile(rf"({_D1})/(\d{{1,2}}){_LUNAR_TAG}", _FLAGS)),
    # parts of a month: "thượng tuần tháng 4-1975", "cuối tháng 8 năm 1945"
    (
        "monthpart",
        re.compile(
            rf"tháng\s+(\d{{1,2}}|{_MONTH_WORD_RE})(?:\s*,?\s*năm\s+|{_SEP}){_Y}{_NA}",
            _FLAGS,
        ),
    ),
    # month/year: "tháng 8 năm 1945", "tháng 8-1945", "Tháng Tám năm 1945"
    (
        "month",
        re.compile(
            rf"(?:tháng)\s+(\d{{1,2}}|{_MONTH_WORD_RE})(?:\s*,?\s*năm\s+|{_SEP}|\s+){_Y}{_NA}({_LUNAR_TAG})?",
            _FLAGS,
        ),
    ),
    # "8/1945"
    ("month_num", re.compile(rf"({_D1})/{_Y}{_NA}({_LUNAR_TAG})?", _FLAGS)),
    ("august", re.compile(r"(?:Cách|CÁCH)\s+(?:mạng|MẠNG)\s+Tháng\s+Tám|Tổng\s+khởi\s+nghĩa\s+Tháng\s+Tám", re.I)),
    # seasons: "Xuân năm 1975", "Xuân Mậu Thân 1968", "Thu 1945" (+ "mùa" before)
    (
        "season",
        re.compile(
            rf"(xuân|hạ|hè|thu|đông)\s+(?:(?:năm\s+)?{_Y}|({_CANCHI})(?:\s*,?\s*(?:năm\s+)?{_Y})?){_NA}",
            re.I,
        ),
    ),
    # parts of a year: "đầu năm 1946", "cuối năm 1945", "nửa đầu năm 1954"
    (
        "yearpart",
        re.compile(
            rf"năm\s+{_Y}{_NA}",
            re.I,
        ),
    ),
    # year ranges: "1954 đến năm 1975", "1930–1945" (+ "từ năm" before)
    (
        "yearrange",
        re.compile(rf"({_Y1})\s*(?:-|–|—|đến|tới)\s*(?:năm\s+)?{_Y}{_NA}(?!\s*[/.]\s*\d)", re.I),
    ),
    # decades: "những năm 30", "những năm 1930", "thập niên 90", "thập kỷ 1960"
    (
        "decade",
        re.compile(
            r"(?:những\s+năm|thập\s+niên|thập\s+kỷ|thập\s+kỉ)\s+(?:(1[0-9]|20)?(\d)0)(?:\s+(?:của\s+)?thế\s+kỷ\s+"
            r"(XIX|XX|XXI|19|20|21))?(?!\d)",
            re.I,
        ),
    ),
    # centuries: "thế kỷ XIX", "đầu thế kỷ XX"
    (
        "century",
        re.compile(r"thế\s+(?:kỷ|kỉ)\s+(XVI{0,3}|XIV|XIX|XX|XXI|XV|X{1,2}I{0,3}|\d{1,2})(?![\w])", re.I),
    ),
    # Can Chi years: "năm Canh Ngọ"
    ("canchi", re.compile(rf"năm\s+({_CANCHI})(?:\s*\(\s*{_Y}\s*\))?", re.I)),
    # plain years: "năm 1930", "(1930)", "đến 1975" (the word before is checked by _YEAR_BEFORE)
    ("year", re.compile(rf"({_Y1}){_NA}")),
]
_DAYP_WORDS = (
    r"(?:ngày|Ngày|NGÀY|đêm|Đêm|sáng|Sáng|trưa|Trưa|chiều|Chiều|tối|Tối|hôm|Hôm|rạng sáng|Rạng sáng|mồng|Mồng|mùng|Mùng)\s+"
)
_DAYP_BACK = re.compile(_DAYP_WORDS + "$")
_MONTHPART_BACK = re.compile(r"(thượng\s+tuần|trung\s+tuần|hạ\s+tuần|đầu|giữa|cuối)\s+$", re.I)
_YEARPART_BACK = re.compile(
    r"(nửa\s+đầu|nửa\s+cuối|nửa\s+sau|những\s+tháng\s+đầu|những\s+tháng\s+cuối|đầu|giữa|cuối)\s+$", re.I
)
_TET_BACK = re.compile(r"(?:mồng|mùng)\s+(\d{1,2})\s+$", re.I)
_CENTURY_BACK = re.compile(r"(đầu|giữa|cuối)\s+$", re.I)
_BACK: dict[str, re.Pattern[str]] = {
    "dayrange": re.compile(r"(?:(?:từ|Từ|TỪ)\s+)?" + _DAYP_WORDS + "$"),
    "written": _DAYP_BACK,
    "numeric": _DAYP_BACK,
    "lunar_dm": _DAYP_BACK,
    "yearrange": re.compile(r"(?:(?:từ|Từ|TỪ)\s+)?(?:năm|Năm|NĂM)\s+$|(?:từ|Từ|TỪ)\s+$"),
    "season": re.compile(r"(?:mùa|Mùa|MÙA)\s+$"),
}
_YEAR_BEFORE = re.compile(r"(?:(?:năm|từ|đến|tới|trước|sau|khoảng|vào)\s+(?:năm\s+)?|\()$", re.I)
_NAM_BEFORE = re.compile(r"(?:năm|Năm|NĂM)\s+$")

_ROMAN = {"XV": 15, "XVI": 16, "XVII": 17, "XVIII": 18, "XIX": 19, "XX": 20, "XXI": 21, "XIV": 14, "X": 10, "XI": 11, "XII": 12, "XIII": 13}
_YEAR_IN_TEXT = re.compile(r"(?<!\d)(1[5-9]\d\d|20\d\d)(?!\d)")
_PRE = re.compile(
    r"\d|tháng|năm|xuân|hạ|hè|thu|đông|tết|thế\s+k|thập|cách\s+mạng|rằm",
    re.I,
)


def _month_of(word: str) -> tuple[int, bool] | None:
    w = re.sub(r"\s+", " ", normalize(word).lower())
    if w.isdigit():
        m = int(w)
        return (m, False) if 1 <= m <= 12 else None
    if w in MONTH_WORDS:
        return MONTH_WORDS[w], w in _LUNAR_MONTH_WORDS
    return None


def _valid_year(y: int) -> bool:
    return 1000 <= y <= 2199


def _day(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def _month_end(y: int, m: int) -> dt.date:
    return dt.date(y, m, _cal.monthrange(y, m)[1])


class _Ctx:
    def __init__(self, text: str) -> None:
        self.text = text
        self._years: list[tuple[int, int]] | None = None

    @property
    def years(self) -> list[tuple[int, int]]:
        if self._years is None:  # only texts with lunar dates or Can Chi years need it
            self._years = [(m.start(), int(m.group(1))) for m in _YEAR_IN_TEXT.finditer(self.text)]
        return self._years

    def near_year(self, pos: int) -> int | None:
        years = self.years
        if not years:
            return None
        i = bisect.bisect_left(years, (pos, 0))
        near = [years[j] for j in (i - 1, i) if 0 <= j < len(years)]
        return min(near, key=lambda py: abs(py[0] - pos))[1]

    def resolve_canchi(self, name: str, pos: int) -> tuple[int | None, list[int]]:
        cands = can_chi_years(name)
        if not cands:
            return None, []
        near = self.near_year(pos)
        if near is None:
            return None, cands
        best = min(cands, key=lambda y: abs(y - near))
        return best, [best]


def _span(text: str, s: int, e: int, a: dt.date | None, b: dt.date | None, prec: str, cal: str = "gregorian",
          cands: list[int] | None = None, lunar: str | None = None) -> DateSpan:
    return DateSpan(
        text=text[s:e],
        start=s,
        end=e,
        earliest=a.isoformat() if a else None,
        latest=b.isoformat() if b else None,
        precision=prec,
        calendar=cal,
        candidates=cands or [],
        lunar=lunar,
    )


def _lunar_day_span(text: str, s: int, e: int, d: int, m: int, y: int | None, ctx: _Ctx,
                    cands: list[int] | None = None) -> DateSpan:
    if y is None:
        y = ctx.near_year(s)
    lunar = f"{d}/{m}" + (f"/{y}" if y else "")
    if y is None:
        return _span(text, s, e, None, None, "day", "lunar", cands, lunar)
    sol = lunar_to_solar(d, m, y)
    return _span(text, s, e, sol, sol, "day", "lunar", cands or [y], lunar)


def _build(kind: str, m: re.Match[str], text: str, ctx: _Ctx) -> DateSpan | None:
    s, e = m.start(), m.end()
    g = m.groups()
    if kind in ("dayrange", "dayrange_bare"):
        if kind == "dayrange":
            d1, d2, mo_a, mo_b, y = g
            mo = int(mo_a or mo_b)
        else:
            d1, d2, mo_s, y = g
            mo = int(mo_s)
        a, b = _day(int(y), mo, int(d1)), _day(int(y), mo, int(d2))
        if a is None or b is None or a > b:
            return None
        return _span(text, s, e, a, b, "days")
    if kind == "written":
        dword, mword, lunar_tag0, y, cc1, cc2, lunar_tag = g
        lunar_tag = lunar_tag or lunar_tag0
        before = text[max(0, s - 6) : s].lower()
        mm = _month_of(mword)
        if mm is None:
            return None
        month, lunar_word = mm
        dw = dword.lower()
        if dw.startswith(("mồng", "mùng")):
            dw = re.sub(r"\D", "", dw)
        day = 15 if dw == "rằm" else 10 if dw == "mười" else int(re.sub(r"\D", "", dw))
        is_lunar = bool(lunar_tag) or lunar_word or dw == "rằm" or ("mồng" in dw or "mồng" in before) and bool(cc1 or cc2)
        cc = cc1 or cc2
        if cc:
            year, cands = ctx.resolve_canchi(cc, s)
            return _lunar_day_span(text, s, e, day, month, year, ctx, cands) if year else _span(
                text, s, e, None, None, "day", "lunar", cands, f"{day}/{month}"
            )
        if is_lunar:
            return _lunar_day_span(text, s, e, day, month, int(y) if y else None, ctx)
        if not y:
            return None
        d = _day(int(y), month, day)
        return _span(text, s, e, d, d, "day") if d else None
    if kind == "tet":
        cc, y = g
        back = _TET_BACK.search(text, max(0, s - 12), s)
        dd = back.group(1) if back else None
        if back:
            s = back.start()
        day = int(dd) if dd else 1
        if y:
            year: int | None = int(y)
            cands = [int(y)]
        else:
            year, cands = ctx.resolve_canchi(cc, s)
        if year is None:
            return _span(text, s, e, None, None, "day" if dd else "year-part", "lunar", cands, f"{day}/1")
        if dd:
            return _lunar_day_span(text, s, e, day, 1, year, ctx, cands)
        a = lunar_to_solar(1, 1, year)
        b = lunar_to_solar(7, 1, year)  # the Tết holiday: first week of the lunar year
        return _span(text, s, e, a, b, "days", "lunar", cands, f"1/1/{year}")
    if kind == "numeric":
        d, _sep, mo, y, lunar_tag = g
        if lunar_tag:
            return _lunar_day_span(text, s, e, int(d), int(mo), int(y), ctx)
        day = _day(int(y), int(mo), int(d))
        return _span(text, s, e, day, day, "day") if day else None
    if kind == "lunar_dm":
        d, mo = int(g[0]), int(g[1])
        if not (1 <= d <= 30 and 1 <= mo <= 12):
            return None
        return _lunar_day_span(text, s, e, d, mo, None, ctx)
    if kind == "monthpart":
        back = _MONTHPART_BACK.search(text, max(0, s - 14), s)
        if back is None:
            return None
        s = back.start()
        part = back.group(1)
        mword, y = g
        mm = _month_of(mword)
        if mm is None:
            return None
        month, _ = mm
        yy = int(y)
        p = re.sub(r"\s+", " ", part.lower())
        last = _cal.monthrange(yy, month)[1]
        lo, hi = {
            "thượng tuần": (1, 10),
            "đầu": (1, 10),
            "trung tuần": (11, 20),
            "giữa": (11, 20),
            "hạ tuần": (21, last),
            "cuối": (21, last),
        }[p]
        return _span(text, s, e, dt.date(yy, month, lo), dt.date(yy, month, hi), "month-part")
    if kind in ("month", "month_num"):
        mword, y, lunar_tag = g
        mnum = None
        if kind == "month_num":
            mnum, mword = mword, None
        mm = _month_of(mword or mnum)
        if mm is None:
            return None
        month, lunar_word = mm
        yy = int(y)
        if not mword and yy < 1800:
            return None
        if lunar_tag or lunar_word:
            r = _lunar_month_range(month, yy)
            return _span(text, s, e, r[0], r[1], "month", "lunar", [yy], f"{month}/{yy}") if r else None
        return _span(text, s, e, dt.date(yy, month, 1), _month_end(yy, month), "month")
    if kind == "august":
        return _span(text, s, e, dt.date(1945, 8, 1), dt.date(1945, 8, 31), "month")
    if kind == "season":
        season, y1, cc, y2 = g
        se = season.lower()
        if cc and not y2:
            year, cands = ctx.resolve_canchi(cc, s)
            if year is None:
                return _span(text, s, e, None, None, "season", "gregorian", cands)
        else:
            year = int(y1 or y2)
        # "Xuân" without "mùa" needs a Can Chi or "năm" to be a date, not the word "xuân" (spring/youth).
        written = text[s:e]
        if not written.lower().startswith("mùa") and not cc and "năm" not in written.lower() and not written[0].isupper():
            return None
        lo, hi = {"xuân": (1, 4), "hạ": (5, 7), "hè": (5, 7), "thu": (8, 10), "đông": (11, 12)}[se]
        return _span(text, s, e, dt.date(year, lo, 1), _month_end(year, hi), "season")
    if kind == "yearpart":
        back = _YEARPART_BACK.search(text, max(0, s - 20), s)
        if back is None:
            return None
        s = back.start()
        part = back.group(1)
        (y,) = g
        yy = int(y)
        p = re.sub(r"\s+", " ", part.lower())
        lo, hi = {
            "đầu": (1, 4),
            "giữa": (5, 8),
            "cuối": (9, 12),
            "nửa đầu": (1, 6),
            "nửa cuối": (7, 12),
            "nửa sau": (7, 12),
            "những tháng đầu": (1, 4),
            "những tháng cuối": (9, 12),
        }[p]
        return _span(text, s, e, dt.date(yy, lo, 1), _month_end(yy, hi), "year-part")
    if kind == "yearrange":
        y1, y2 = int(g[0]), int(g[1])
        if not (_valid_year(y1) and _valid_year(y2)) or y2 < y1 or y2 - y1 > 1000:
            return None
        return _span(text, s, e, dt.date(y1, 1, 1), dt.date(y2, 12, 31), "range")
    if kind == "decade":
        cent, dec, century = g
        if cent:
            base = int(cent) * 100
        elif century:
            c = _ROMAN.get(century.upper()) or int(century)
            base = (c - 1) * 100
        else:
            near = ctx.near_year(s)
            base = (near // 100) * 100 if near else 1900
        y0 = base + int(dec) * 10
        return _span(text, s, e, dt.date(y0, 1, 1), dt.date(y0 + 9, 12, 31), "decade")
    if kind == "century":
        (num,) = g
        back = _CENTURY_BACK.search(text, max(0, s - 6), s)
        part = back.group(1) if back else None
        if back:
            s = back.start()
        c = _ROMAN.get(num.upper()) if not num.isdigit() else int(num)
        if not c or not 10 <= c <= 21:
            return None
        y0 = (c - 1) * 100 + 1
        lo, hi = y0, y0 + 99
        if part:
            p = part.lower()
            lo, hi = {"đầu": (y0, y0 + 29), "giữa": (y0 + 35, y0 + 64), "cuối": (y0 + 70, y0 + 99)}[p]
        return _span(text, s, e, dt.date(lo, 1, 1), dt.date(hi, 12, 31), "century")
    if kind == "canchi":
        cc, y = g
        if y:
            year, cands = int(y), [int(y)]
        else:
            year, cands = ctx.resolve_canchi(cc, s)
        if year is None:
            return _span(text, s, e, None, None, "year", "lunar", cands)
        r = _lunar_year_range(year)
        if r is None:
            return None
        return _span(text, s, e, r[0], r[1], "year", "lunar", cands)
    if kind == "year":
        yy = int(g[0])
        if not _valid_year(yy):
            return None
        if _YEAR_BEFORE.search(text, max(0, s - 20), s) is None:
            return None
        # The span starts at "năm" when written ("trước năm 1975" -> "năm 1975").
        nam = _NAM_BEFORE.search(text, max(0, s - 8), s)
        if nam:
            s = nam.start()
        return _span(text, s, e, dt.date(yy, 1, 1), dt.date(yy, 12, 31), "year")
    return None


_RANGE_JOIN = re.compile(r"\s*(?:đến|tới|-|–|—)\s*$", re.I)
_FROM_BEFORE = re.compile(r"(?:từ|Từ|TỪ)\s+")


def _merge_ranges(text: str, spans: list[DateSpan]) -> list[DateSpan]:
    """"từ tháng 3 năm 1954 đến tháng 5 năm 1975" -> one range span."""
    out: list[DateSpan] = []
    i = 0
    while i < len(spans):
        cur = spans[i]
        if i + 1 < len(spans):
            nxt = spans[i + 1]
            between = text[cur.end : nxt.start]
            from_m = _FROM_BEFORE.search(text, max(0, cur.start - 5), cur.start)
            if (
                len(between) <= 6
                and _RANGE_JOIN.search(between)
                and (from_m is not None or "đến" in between or "tới" in between)
                and cur.earliest
                and nxt.latest
                and cur.earliest <= nxt.latest
            ):
                s = from_m.start() if from_m is not None and from_m.end() == cur.start else cur.start
                out.append(
                    DateSpan(
                        text=text[s : nxt.end],
                        start=s,
                        end=nxt.end,
                        earliest=cur.earliest,
                        latest=nxt.latest,
                        precision="range",
                        calendar=cur.calendar if cur.calendar == nxt.calendar else "mixed",
                    )
                )
                i += 2
                continue
        out.append(cur)
        i += 1
    return out


def find_dates(text: str) -> list[DateSpan]:
    """All dates in ``text`` (offsets into ``text`` as given), in text order, without overlaps."""
    if not text or not isinstance(text, str):
        return []
    offsets: list[int] | None = None
    if not unicodedata.is_normalized("NFC", text):
        work, offsets = normalize_with_offsets(text, tones=True)
    else:
        work = unify_tones(text)  # tone placement only: same length
    if _PRE.search(work) is None:
        return []
    ctx = _Ctx(work)
    cands: list[tuple[int, int, int, DateSpan]] = []
    for prio, (kind, pat) in enumerate(_PATTERNS):
        for m in pat.finditer(work):
            if m.end() == m.start():
                continue
            try:
                span = _build(kind, m, work, ctx)
            except (ValueError, KeyError, OverflowError):
                span = None
            if span is not None and kind in _BACK:
                bm = _BACK[kind].search(work, max(0, span.start - 24), span.start)
                if bm is not None:
                    span.start = bm.start()
                    span.text = work[span.start : span.end]
            if span is not None:
                cands.append((span.start, -(span.end - span.start), prio, span))
    cands.sort(key=lambda c: (c[0], c[1], c[2]))
    chosen: list[DateSpan] = []
    last_end = -1
    for start, _neg, _prio, span in cands:
        if start >= last_end:
            chosen.append(span)
            last_end = span.end
    chosen = _merge_ranges(work, chosen)
    for sp in chosen:
        if offsets is not None:
            sp.start, sp.end = offsets[sp.start], offsets[sp.end]
        sp.text = text[sp.start : sp.end]  # the date as written
    return chosen
