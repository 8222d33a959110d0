"""Normalisation, folding and syllable tokens.

Conventions (see README.md):

* ``normalize`` returns NFC text with the *new* tone placement used by current official texts: in an open
  syllable ending in ``oa``, ``oe`` or ``uy`` the tone sits on the first vowel (hòa, khỏe, thủy, ủy).  Old-style
  spellings (hoà, khoẻ, thuỷ, uỷ) are rewritten.  ``quý``/``quà`` are untouched (``qu`` is a consonant) and closed
  syllables (hoàng, thuyền, khuỷu) are already placed the same way in both styles.
* On NFC input ``normalize``, ``casefold`` and ``fold`` are length-preserving (character offsets in the result
  are offsets in the input), so search snippets can map positions back.  The one exception is ``fold`` on text
  that still contains stray combining marks after NFC (non-Vietnamese letters such as ``x̃``): those marks are
  dropped.  Non-NFC input is NFC-composed first, which can shorten it; use ``token_spans`` for offsets into
  arbitrary input.
"""

from __future__ import annotations

import re
import unicodedata

# Vowel-quality marks must precede tone marks for NFC to compose "ấ" from a + ◌̂ + ◌́.  Both classes have the
# same canonical combining class (230) except horn (216) and dot below (220), so NFD keeps a bad order as is.
_QUALITY_MARKS = "\u0302\u0306\u031b"
_TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"
_COMBINING_RUN = re.compile(r"[\u0300-\u036f]{2,}")

# Old-style tone placement: tone on the 2nd vowel of an open oa/oe/uy syllable.  The tone moves to the 1st vowel.
_TONED = {
    "a": "àáảãạ",
    "e": "èéẻẽẹ",
    "y": "ỳýỷỹỵ",
    "o": "òóỏõọ",
    "u": "ùúủũụ",
}
_TONE_OF: dict[str, tuple[str, int]] = {}
for _base, _chars in _TONED.items():
    for _i, _ch in enumerate(_chars):
        _TONE_OF[_ch] = (_base, _i)
        _TONE_OF[_ch.upper()] = (_base.upper(), _i)

_LETTER_AFTER = r"(?![^\W\d_])"
_OLD_STYLE = re.compile(
    r"(?<![^\W\d_])([^\W\d_]*?)"
    r"(?:([oO])([àáảãạèéẻẽẹÀÁẢÃẠÈÉẺẼẸ])|([uU])([ỳýỷỹỵỲÝỶỸỴ]))" + _LETTER_AFTER
)
# Cheap pre-filter: does the text contain any toned a/e/y after o/u at all?
_OLD_STYLE_HINT = re.compile(r"[oOuU][àáảãạèéẻẽẹỳýỷỹỵÀÁẢÃẠÈÉẺẼẸỲÝỶỸỴ]")


def _move_tone(first: str, toned: str) -> str:
    base, tone = _TONE_OF[toned]
    lower = first.lower()
    new_first = _TONED[lower][tone]
    if first.isupper():
        new_first = new_first.upper()
    return new_first + base


def _fix_old_style(match: re.Match[str]) -> str:
    prefix = match.group(1)
    if match.group(2) is not None:
        return prefix + _move_tone(match.group(2), match.group(3))  # hoà -> hòa
    if prefix[-1:] in ("q", "Q"):
        return match.group(0)  # quý: the u belongs to the consonant
    return prefix + _move_tone(match.group(4), match.group(5))  # thuỷ -> thủy


def _reorder_marks(match: re.Match[str]) -> str:
    marks = match.group(0)
    quality = [m for m in marks if m in _QUALITY_MARKS]
    rest = [m for m in marks if m not in _QUALITY_MARKS]
    return "".join(quality + rest)


def normalize(text: str) -> str:
    """NFC text with one tone-placement convention (new style: hòa, thủy, khỏe)."""
    if not text:
        return ""
    if not unicodedata.is_normalized("NFC", text):
        decomposed = unicodedata.normalize("NFD", text)
        decomposed = _COMBINING_RUN.sub(_reorder_marks, decomposed)
        text = unicodedata.normalize("NFC", decomposed)
    if _OLD_STYLE_HINT.search(text) is None:
        return text
    return _OLD_STYLE.sub(_fix_old_style, text)


def _build_fold_tables() -> tuple[dict[int, str], dict[int, str]]:
    fold_table: dict[int, str] = {}
    case_table: dict[int, str] = {}
    ranges = [range(0x41, 0x5B), range(0xC0, 0x250), range(0x1E00, 0x1F00)]
    for rng in ranges:
        for cp in rng:
            ch = chr(cp)
            low = ch.lower()
            if len(low) != 1:
                low = low[0]
            if low != ch:
                case_table[cp] = low
            base = "".join(c for c in unicodedata.normalize("NFD", low) if not unicodedata.combining(c))
            if len(base) == 1 and base != ch:
                fold_table[cp] = base
            elif low != ch:
                fold_table[cp] = low
    fold_table[ord("đ")] = "d"
    fold_table[ord("Đ")] = "d"
    for cp in range(0x300, 0x370):
        fold_table[cp] = None  # type: ignore[assignment]  # drop stray combining marks
    return fold_table, case_table


_FOLD_TABLE, _CASE_TABLE = _build_fold_tables()
_ASCII_UPPER = re.compile(r"[A-Z]")


def casefold(text: str) -> str:
    """Lower case, diacritics kept (Đ -> đ).  Length-preserving on NFC input."""
    text = normalize(text)
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c.lower()[:1] or c for c in text)


def fold(text: str) -> str:
    """Search key: lower case, no diacritics, đ -> d.  Length-preserving on NFC input (see module doc)."""
    text = normalize(text)
    if text.isascii():
        return text.lower()
    out = text.translate(_FOLD_TABLE)
    low = out.lower()
    if len(low) == len(out):
        return low
    return "".join(c.lower()[:1] or c for c in out)


def same_key(a: str, b: str) -> bool:
    """True when two spellings differ only in NFC form / tone placement / case (hoà == Hòa)."""
    return casefold(a) == casefold(b)


# A token is a run of letters (with any combining marks) and digits; "_" is not a letter.
_TOKEN_RE = re.compile(r"(?:[^\W_]|[\u0300-\u036f])+")


def token_spans(text: str) -> list[tuple[str, int, int]]:
    """(normalised lower-case token, start, end) with offsets into ``text`` as given."""
    if not text:
        return []
    out: list[tuple[str, int, int]] = []
    for m in _TOKEN_RE.finditer(text):
        tok = m.group(0)
        if not tok.isascii():
            tok = normalize(tok)
        out.append((tok.lower(), m.start(), m.end()))
    return out


def tokens(text: str) -> list[str]:
    """Normalised lower-case syllables and numbers."""
    if not text:
        return []
    if unicodedata.is_normalized("NFC", text):
        return _TOKEN_RE.findall(casefold(text))
    return [t for t, _, _ in token_spans(text)]


def folded_tokens(text: str) -> list[str]:
    """Tokens without diacritics (search key for unaccented queries)."""
    return _TOKEN_RE.findall(fold(text))


def bigrams(toks: list[str]) -> list[str]:
    """Adjacent syllable pairs joined by a space ("lịch sử", "sử đảng"): the unit search indexes for words."""
    return [f"{a} {b}" for a, b in zip(toks, toks[1:], strict=False)]
