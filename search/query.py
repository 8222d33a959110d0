"""The query language, parsed into what the backends need.

    lịch sử đảng bộ            words (any of them; all of them rank first)
    "ủy ban nhân dân"          an exact phrase (required; with diacritics as typed, or folded if typed without)
    -tỉnh  -"nhân dân"         exclude a word or phrase
    so:98-KH/TU                document symbol (also found when typed bare: 98 KH TU)
    loai:"Kế hoạch" / loai:KH  document type (name or code)
    coquan:TU                  issuer (name or code)
    nam:2018                   year;  tu:2018-01-01 den:2018-12-31   date range
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

import vntext
from search.analysis import STOPWORDS, fold_term, has_diacritics, syllables, symbol_key

FIELDS = {
    "so": "symbol",
    "kyhieu": "symbol",
    "loai": "type",
    "coquan": "issuer",
    "nam": "year",
    "tu": "date_from",
    "den": "date_to",
}

_PART = re.compile(r'(-?)(?:([^\s:"\-][^\s:"]*):)?(?:"([^"]*)"?|(\S+))')
_YEAR = re.compile(r"^(\d{4})$")
_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
_VN_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


@dataclass(frozen=True)
class Syllable:
    exact: str  # as typed, lower case (may have no diacritics)
    folded: str
    accented: bool  # typed with diacritics: exact matches rank above folded ones
    stop: bool


@dataclass
class ParsedQuery:
    raw: str = ""
    syllables: list[Syllable] = field(default_factory=list)
    bigrams: list[tuple[Syllable, Syllable]] = field(default_factory=list)
    phrases: list[list[Syllable]] = field(default_factory=list)  # required, exact as typed
    excludes: list[list[Syllable]] = field(default_factory=list)
    symbol_keys: list[str] = field(default_factory=list)  # symbols seen in the free text (boost)
    required_symbols: list[str] = field(default_factory=list)  # so: (filter)
    filters: dict[str, object] = field(default_factory=dict)

    @property
    def has_text(self) -> bool:
        return bool(self.syllables or self.phrases or self.symbol_keys or self.required_symbols)

    def term(self, s: Syllable) -> str:
        return s.exact if s.accented else s.folded

    def should_terms(self) -> list[str]:
        """Every term whose presence makes a passage a candidate (OR)."""
        out: list[str] = []
        for s in self.syllables:
            out.append(s.folded)
            if s.accented:
                out.append(s.exact)
        for a, b in self.bigrams:
            out.append(a.folded + "_" + b.folded)
            if a.accented and b.accented:
                out.append(a.exact + "_" + b.exact)
        out.extend(self.symbol_keys)
        return list(dict.fromkeys(out))

    def group_terms(self, group: list[Syllable]) -> list[str]:
        """Terms that must all be present for a phrase (its bigrams, or its one syllable)."""
        if len(group) == 1:
            return [self.term(group[0])]
        out = []
        for a, b in zip(group, group[1:], strict=False):
            if a.accented and b.accented:
                out.append(a.exact + "_" + b.exact)
            else:
                out.append(a.folded + "_" + b.folded)
        return list(dict.fromkeys(out))

    def must_groups(self) -> list[list[str]]:
        groups = [self.group_terms(p) for p in self.phrases if p]
        groups.extend([k] for k in self.required_symbols)
        return groups

    def exclude_groups(self) -> list[list[str]]:
        return [self.group_terms(p) for p in self.excludes if p]


def _syllables(text: str) -> list[list[Syllable]]:
    """Syllables of free text, split into runs at punctuation (no bigram across a comma or question mark)."""
    runs: list[list[Syllable]] = []
    for tok, brk in syllables(text):
        folded = fold_term(tok)
        accented = has_diacritics(tok)
        # Typed with diacritics, a syllable is a stop word only as written ("cổ" is not "có"); typed without,
        # only when its folded form stands for no common content syllable ("nao" = nào, but "thi" = thị).
        s = Syllable(exact=tok, folded=folded, accented=accented,
                     stop=tok in STOPWORDS if accented else folded in _FOLDED_STOP)
        if brk or not runs:
            runs.append([])
        runs[-1].append(s)
    return runs


# Folded stop words that are also the folded form of common content syllables (bí thư, đầu tiên, thị xã,
# nhà tù, chiến thắng, thủ đô, Đà Lạt, hoàng đế, thành cổ, Hà Nội, bảo vệ, quan trọng, cửa …) are not stop words
# when typed without diacritics.
_AMBIGUOUS = {"ban", "dan", "dang", "to", "tinh", "uy", "so", "nam", "tai"}
_FOLDED_STOP = frozenset(fold_term(w) for w in STOPWORDS) - _AMBIGUOUS


def _parse_date(value: str, end: bool) -> dt.date | None:
    m = _VN_DATE.match(value)
    if m:
        value = f"{m.group(3)}-{m.group(2)}-{m.group(1)}"
    m = _DATE.match(value)
    if not m:
        return None
    year, month, day = int(m.group(1)), m.group(2), m.group(3)
    try:
        if month is None:
            return dt.date(year, 12, 31) if end else dt.date(year, 1, 1)
        if day is None:
            first = dt.date(year, int(month), 1)
            if not end:
                return first
            nxt = dt.date(year + (first.month == 12), first.month % 12 + 1, 1)
            return nxt - dt.timedelta(days=1)
        return dt.date(year, int(month), int(day))
    except ValueError:
        return None


def _symbol_candidates(text: str, toks: list[str]) -> list[str]:
    """Symbol keys the free text may contain: the whole text, cited references, and number-led windows."""
    keys: list[str] = []

    def add(key: str | None) -> None:
        if key and key not in keys:
            keys.append(key)

    if any(ch.isdigit() for ch in text):
        add(symbol_key(text))
        for ref in vntext.find_refs(text):
            if ref.symbol:  # "Quyết định số 412" is a reference without a symbol
                add(symbol_key(ref.symbol))
        for i, tok in enumerate(toks):
            if tok.isdigit():
                for n in (2, 3, 4):
                    if i + n <= len(toks):
                        add(symbol_key(" ".join(toks[i : i + n])))
    return keys


def parse_query(raw: str) -> ParsedQuery:
    """Parse the query language (see the module docstring). Never raises."""
    q = ParsedQuery(raw=raw or "")
    free: list[str] = []
    for m in _PART.finditer(q.raw):
        neg, name, quoted, bare = m.group(1), m.group(2), m.group(3), m.group(4)
        value = quoted if quoted is not None else (bare or "")
        key = FIELDS.get(fold_term(name.lower())) if name else None
        if name and key is None:
            value = f"{name}:{value}"  # not a field: plain text ("10:30")
        if key == "symbol":
            k = symbol_key(value)
            if k:
                q.required_symbols.append(k)
            continue
        if key == "type" or key == "issuer":
            if value.strip():
                q.filters[key] = value.strip()
            continue
        if key == "year":
            if _YEAR.match(value.strip()):
                q.filters["year"] = int(value.strip())
            continue
        if key in ("date_from", "date_to"):
            d = _parse_date(value.strip(), end=key == "date_to")
            if d:
                q.filters[key] = d
            continue
        if neg and value:
            runs = _syllables(value)
            group = [s for run in runs for s in run]
            if group:
                q.excludes.append(group)
            continue
        if quoted is not None:
            group = [s for run in _syllables(value) for s in run]
            if group:
                q.phrases.append(group)
                q.syllables.extend(group)
                q.bigrams.extend(zip(group, group[1:], strict=False))
            continue
        free.append(value)
    text = " ".join(free)
    runs = _syllables(text)
    for run in runs:
        q.syllables.extend(run)
        q.bigrams.extend(zip(run, run[1:], strict=False))
    q.symbol_keys = _symbol_candidates(text, [s.exact for run in runs for s in run])
    return q
