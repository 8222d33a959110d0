"""Normalisation, folding and syllable tokens.

Conventions (see README.md):

* ``normalize`` returns NFC text and nothing else: the spelling is kept as written, including its tone placement
  (``hoà`` stays ``hoà``, ``hòa`` stays ``hòa``).  An archive keeps a document as it was written; the tone
  convention is a property of the source.  Decomposed input and marks in the wrong order are composed.
* ``unify_tones`` maps the *old* tone placement to the *new* one used by current official texts (in an open
  syllable ending in ``oa``, ``oe`` or ``uy`` the tone sits on the first vowel: hòa, khỏe, thủy, ủy).  It is
  for search keys and comparisons only (``casefold``, ``same_key``, ``tokens``), never for stored text.
  ``quý``/``quà`` are untouched (``qu`` is a consonant) and closed syllables (hoàng, thuyền, khuỷu) are placed
  the same way in both styles.
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
# Cheap pre-filter: a toned a/e after o, or a toned y after u, at the end of a word.
_OLD_STYLE_HINT = re.compile(r"[oO][àáảãạèéẻẽẹÀÁẢÃẠÈÉẺẼẸ](?![^\W\d_])|[uU][ỳýỷỹỵỲÝỶỸỴ](?![^\W\d_])")


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


def _compose(text: str) -> str:
    """NFC, with vowel-quality marks moved before tone marks so that every Vietnamese letter composes."""
    if unicodedata.is_normalized("NFC", text):
        return text
    decomposed = unicodedata.normalize("NFD", text)
    decomposed = _COMBINING_RUN.sub(_reorder_marks, decomposed)
    return unicodedata.normalize("NFC", decomposed)


def normalize(text: str) -> str:
    """NFC text, spelling kept as written (no tone-placement change); Vietnamese marks in any order composed."""
    if not text:
        return ""
    return _compose(text)


def unify_tones(text: str) -> str:
    """NFC text with the new tone placement (hoà -> hòa, thuỷ -> thủy): a comparison key, never stored text.

    Length-preserving on NFC input.
    """
    if not text:
        return ""
    text = _compose(text)
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
    """Lower case, diacritics kept (Đ -> đ), new tone placement (a comparison key).  Length-preserving on NFC input."""
    text = unify_tones(text)
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c.lower()[:1] or c for c in text)


# Combining marks of Latin letters, as UTF-8 bytes: removed from NFD bytes with bytes.replace (C speed).
_LATIN_MARKS_UTF8 = [
    chr(cp).encode("utf-8")
    for cp in (*range(0x300, 0x30D), 0x30F, 0x311, 0x31B, *range(0x323, 0x329), 0x32D, 0x32E, 0x330, 0x331)
]


# Common non-ASCII punctuation of Vietnamese documents, parked on unused C0 controls during the ASCII fast path.
_PARKED = "“”‘’–—…•°«»·×€\u00a0\u2009\u200b"
_PARK_CODES = [chr(c) for c in (1, 2, 3, 4, 5, 6, 7, 8, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23)][: len(_PARKED)]


def _fold_fast(text: str) -> str | None:
    """Fold via NFD; None when that would not keep the length (rare scripts, stray marks)."""
    low = text.lower()
    if len(low) != len(text):
        return None
    low = low.replace("đ", "d")
    nfd = unicodedata.normalize("NFD", low)
    # 1) Latin text (+ common punctuation): drop every non-ASCII code point, i.e. the combining marks.
    parked: list[tuple[str, str]] = []
    if not any(code in nfd for code in _PARK_CODES):
        for ch, code in zip(_PARKED, _PARK_CODES, strict=True):
            if ch in nfd:
                nfd_parked = nfd.replace(ch, code)
                nfd = nfd_parked
                parked.append((code, ch))
        ascii_out = nfd.encode("ascii", "ignore").decode("ascii")
        if len(ascii_out) == len(text):
            for code, ch in parked:
                ascii_out = ascii_out.replace(code, ch)
            return ascii_out
        for code, ch in parked:
            nfd = nfd.replace(code, ch)
    # 2) Other scripts present: remove only Latin combining marks.
    data = nfd.encode("utf-8", "surrogatepass")
    for mark in _LATIN_MARKS_UTF8:
        if mark in data:
            data = data.replace(mark, b"")
    out = data.decode("utf-8", "surrogatepass")
    return out if len(out) == len(text) else None


def fold(text: str) -> str:
    """Search key: lower case, no diacritics, đ -> d.  Length-preserving on NFC input (see module doc)."""
    if not text:
        return ""
    text = _compose(text)  # tone placement is irrelevant once tones are gone
    if text.isascii():
        return text.lower()
    fast = _fold_fast(text)
    if fast is not None:
        return fast
    out = text.translate(_FOLD_TABLE)
    low = out.lower()
    if len(low) == len(out):
        return low
    return "".join(c.lower()[:1] or c for c in out)


def same_key(a: str, b: str) -> bool:
    """True when two spellings differ only in NFC form / tone placement / case (hoà == Hòa, uỷ == Ủy)."""
    return casefold(a) == casefold(b)


# A token is a run of letters (with any combining marks) and digits; "_" is not a letter.
_TOKEN_RE = re.compile(r"(?:[^\W_]|[\u0300-\u036f])+")


def token_spans(text: str) -> list[tuple[str, int, int]]:
    """(lower-case token in the new tone placement, start, end) with offsets into ``text`` as given."""
    if not text:
        return []
    out: list[tuple[str, int, int]] = []
    for m in _TOKEN_RE.finditer(text):
        tok = m.group(0)
        if not tok.isascii():
            tok = unify_tones(tok)
        out.append((tok.lower(), m.start(), m.end()))
    return out


def tokens(text: str) -> list[str]:
    """Lower-case syllables and numbers in the new tone placement (search keys)."""
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


_CLUSTER_RE = re.compile(r".[\u0300-\u036f]*", re.S)


def normalize_with_offsets(text: str, *, tones: bool = False) -> tuple[str, list[int]]:
    """``normalize`` of ``text`` and, for each output char, its offset in ``text`` (plus one sentinel).

    Parsers work on the normalised text and report spans in the caller's original text.  ``tones=True`` also
    applies ``unify_tones`` (same length), for parsers that match words.
    """
    out: list[str] = []
    offsets: list[int] = []
    for m in _CLUSTER_RE.finditer(text):
        piece = normalize(m.group(0))
        out.append(piece)
        offsets.extend([m.start()] * len(piece))
    offsets.append(len(text))
    joined = "".join(out)
    return (unify_tones(joined) if tones else joined), offsets
