"""Administrative place names (old and new, from the ``vietnamadminunits`` package data) and Party/State bodies.

A place is recognised when a type word precedes a known name ("tỉnh Khánh Hòa", "huyện Khánh Vĩnh", "xã Ninh
Hòa", "Phường 3") or when a province name stands alone ("Khánh Hòa", "Lâm Đồng").  Names that are also common
words or personal names ("Hồ Chí Minh" the person) need the type word.  The SQLite data is read lazily once.
"""

from __future__ import annotations

import importlib.util
import re
import sqlite3
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path

from vntext.normalize import casefold, normalize, unify_tones
from vntext.refs import BODY_HEAD_RE, scan_body


@dataclass
class Place:
    text: str
    start: int
    end: int
    name: str  # as in the data, e.g. "Khánh Hòa"
    level: str  # province / district / ward
    unit_type: str | None  # "tỉnh", "huyện", "xã", …
    era: str  # current (since 01/7/2025), legacy (before), both
    provinces: list[str] = field(default_factory=list)  # parent province(s) of a district or ward

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


@dataclass
class Body:
    text: str
    start: int
    end: int
    name: str
    system: str  # party / state / other

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def _db_path() -> Path | None:
    # Found without importing the package: its import loads pandas (1–2 s at the start of every ingest).
    try:
        spec = importlib.util.find_spec("vietnamadminunits")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.origin:
        return None
    p = Path(spec.origin).parent / "data" / "dataset.db"
    return p if p.exists() else None


_TYPE_LEVEL = {
    "tỉnh": "province",
    "thành phố": "province",
    "tp": "province",
    "huyện": "district",
    "quận": "district",
    "thị xã": "district",
    "xã": "ward",
    "phường": "ward",
    "thị trấn": "ward",
    "đặc khu": "ward",
}


@dataclass
class _Gazetteer:
    # casefolded name -> {(level, era): set of parent provinces}
    names: dict[str, dict[tuple[str, str], set[str]]]
    display: dict[str, str]
    provinces: set[str]


@lru_cache(maxsize=1)
def gazetteer() -> _Gazetteer:
    names: dict[str, dict[tuple[str, str], set[str]]] = {}
    display: dict[str, str] = {}
    provinces: set[str] = set()
    # The rows repeat their province (and district) names: each distinct name is normalised once (the load
    # is paid by every process that finds places: 0.28 → 0.1 s).
    unified: dict[str, tuple[str, str]] = {}

    def unify(name: str) -> str:
        return normalised(name)[0]

    def normalised(name: str) -> tuple[str, str]:
        got = unified.get(name)
        if got is None:
            tone = unify_tones(name)  # reference names in the new tone placement
            got = unified[name] = (tone, casefold(tone))
        return got

    def add(name: str | None, level: str, era: str, parent: str) -> None:
        if not name:
            return
        name, key = normalised(name)
        display.setdefault(key, name)
        names.setdefault(key, {}).setdefault((level, era), set()).add(parent)

    path = _db_path()
    if path is None:
        return _Gazetteer(names, display, provinces)
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        for prov, ward in con.execute("select distinct provinceShort, wardShort from admin_units"):
            add(prov, "province", "current", unify(prov))
            add(ward, "ward", "current", unify(prov))
            provinces.add(unify(prov))
        for prov, dist, ward in con.execute(
            "select distinct provinceShort, districtShort, wardShort from admin_units_legacy"
        ):
            add(prov, "province", "legacy", unify(prov))
            add(dist, "district", "legacy", unify(prov))
            add(ward, "ward", "legacy", unify(prov))
            provinces.add(unify(prov))
    finally:
        con.close()
    # Common spellings not in the data.
    for alias, real in (("TP. Hồ Chí Minh", "Hồ Chí Minh"), ("Sài Gòn", "Hồ Chí Minh"), ("Thừa Thiên - Huế", "Thừa Thiên Huế")):
        key = casefold(real)
        if key in names:
            names[casefold(alias)] = names[key]
            display[casefold(alias)] = real
    return _Gazetteer(names, display, provinces)


_UPPER = "A-ZĐÀ-ỸÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝĂĨŨƠƯ"
_NAME_WORD = rf"(?:[{_UPPER}][^\W\d_]*|\d{{1,2}})"
_TYPED_RE = re.compile(
    r"(?<![^\W\d_])(?P<type>(?i:tỉnh|thành\s+phố|tp\.?|huyện|quận|thị\s+xã|xã|phường|thị\s+trấn|đặc\s+khu))"
    rf"(?=\s+(?P<name>{_NAME_WORD}(?:[ \t]+(?:-[ \t]+)?{_NAME_WORD}){{0,4}}))"
)
# Province names that are also common words or people's names need a type word.
_BARE_EXCLUDED = {"hồ chí minh", "hòa bình", "bình định", "kiên giang", "hậu giang", "an giang"}


@lru_cache(maxsize=1)
def _bare_province_re() -> re.Pattern[str] | None:
    """Province names standing alone (not inside a word). The check of the character before a name is left to
    :func:`_bare_provinces`: a pattern that starts with a look-behind is tried at every position of the text,
    one that starts with the names' first letters is not (4× faster, the same matches)."""
    g = gazetteer()
    names = sorted({p for p in g.provinces if casefold(p) not in _BARE_EXCLUDED}, key=len, reverse=True)
    if not names:
        return None
    alt = "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in names)
    return re.compile(rf"(?:{alt})(?![^\W\d_])")


_LETTER = re.compile(r"[^\W\d_]")


def _bare_provinces(bare: re.Pattern[str], work: str) -> Iterator[re.Match[str]]:
    """``finditer`` of ``(?<![^\\W\\d_])`` + ``bare``: a match preceded by a letter is skipped and the search goes
    on from the next character (no position before it could match)."""
    pos = 0
    while (m := bare.search(work, pos)) is not None:
        start = m.start()
        if start > 0 and _LETTER.match(work, start - 1):
            pos = start + 1
            continue
        yield m
        pos = m.end() if m.end() > start else start + 1


def _lookup(words: list[str], level: str | None) -> tuple[int, str, dict[tuple[str, str], set[str]]] | None:
    """Longest prefix of ``words`` that is a known name (of ``level`` when given)."""
    g = gazetteer()
    for n in range(len(words), 0, -1):
        key = casefold(" ".join(words[:n]))
        entry = g.names.get(key)
        if entry is None and key.isdigit():
            entry = g.names.get(key.zfill(2))
        if entry is None:
            continue
        if level is not None:
            entry = {k: v for k, v in entry.items() if k[0] == level}
            if not entry:
                continue
        return n, g.display.get(key, " ".join(words[:n])), entry
    return None


def _era(entry: dict[tuple[str, str], set[str]]) -> str:
    eras = {era for _lvl, era in entry}
    return "both" if len(eras) > 1 else next(iter(eras))


def find_places(text: str) -> list[Place]:
    """Administrative units named in ``text`` (offsets into the NFC text; NFC input keeps them exact)."""
    if not text or not isinstance(text, str):
        return []
    nfc = normalize(text)  # the text as written (Place.text)
    work = unify_tones(nfc)  # same length: the matching copy
    out: list[Place] = []
    taken: list[tuple[int, int]] = []
    for m in _TYPED_RE.finditer(work):
        utype = re.sub(r"\s+", " ", m.group("type").lower()).rstrip(".")
        level = _TYPE_LEVEL.get(utype)
        words_m = list(re.finditer(rf"{_NAME_WORD}", m.group("name")))
        words = [w.group(0) for w in words_m]
        if words[0].isdigit():
            # Numbered units are stored with their type word: "Phường 3", "Quận 5".
            words = [f"{utype.capitalize()} {int(words[0])}"]
            words_m = words_m[:1]
        if utype in ("thành phố", "tp"):
            found = _lookup(words, "province") or _lookup(words, "district")
        else:
            found = _lookup(words, level)
        if found is None:
            continue
        n, name, entry = found
        end = m.start("name") + words_m[n - 1].end()
        lvl = next(iter(entry))[0]
        provinces = sorted({p for v in entry.values() for p in v})
        out.append(Place(nfc[m.start() : end], m.start(), end, name, lvl, utype, _era(entry), provinces))
        taken.append((m.start(), end))
    bare = _bare_province_re()
    if bare is not None:
        for m in _bare_provinces(bare, work):
            if any(a <= m.start() < b for a, b in taken):
                continue
            found = _lookup(m.group(0).split(), "province")
            if found is None:
                continue
            _n, name, entry = found
            out.append(Place(nfc[m.start() : m.end()], m.start(), m.end(), name, "province", None, _era(entry), [name]))
    out.sort(key=lambda p: p.start)
    return out


_PARTY_HEADS = re.compile(
    r"^(?:Ban Chấp hành|Ban Thường vụ|Ban Bí thư|Bộ Chính trị|Ban Tuyên giáo|Ban Tổ chức|Ban Dân vận|Ban Nội chính|"
    r"Ban Kinh tế|Ban Đối ngoại|Ban cán sự|Ban Cán sự|BCH|BTV|Tỉnh [uủ]|Thành [uủ]|Huyện [uủ]|Quận [uủ]|Thị [uủ]|"
    r"Đảng [uủ]|Đảng đoàn|Quân [uủ]|Chi bộ|Tổng Bí thư|Trung ương|Ủy ban Kiểm tra|Uỷ ban Kiểm tra|Văn phòng Trung ương)"
)
_STATE_HEADS = re.compile(
    r"^(?:UBND|HĐND|Ủy ban nhân dân|Uỷ ban nhân dân|Hội đồng nhân dân|Chính phủ|Thủ tướng|Quốc hội|Bộ |Sở |Tòa án|"
    r"Viện kiểm sát|Chủ tịch|Văn phòng Chính phủ|Cục|Tổng cục)"
)


def find_bodies(text: str) -> list[Body]:
    """Party and State bodies named in ``text`` ("Ban Thường vụ Tỉnh ủy Khánh Hòa", "UBND tỉnh Lâm Đồng")."""
    if not text or not isinstance(text, str):
        return []
    work = normalize(text)
    out: list[Body] = []
    pos = 0
    for m in BODY_HEAD_RE.finditer(work):
        if m.start() < pos:
            continue
        span = scan_body(work, m.start())
        if span is None:
            continue
        s, e = span
        name = work[s:e].rstrip(" ,")
        e = s + len(name)
        if len(name.split()) < 2:
            continue
        system = "party" if _PARTY_HEADS.match(name) else "state" if _STATE_HEADS.match(name) else "other"
        out.append(Body(name, s, e, name, system))
        pos = e
    return out
