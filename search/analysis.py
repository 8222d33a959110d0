"""The Vietnamese analyzer: text -> index terms, the same in Python for every backend.

Terms are whitespace-free strings that both FTS5 (``unicode61 remove_diacritics 0 tokenchars '_'``) and a
PostgreSQL ``tsvector`` literal keep as one lexeme:

* exact syllables, lower case with their diacritics (``lịch``, ``ủy``) — no minimum length;
* folded syllables (``lich``, ``uy``; ``đ`` -> ``d``), emitted only when they differ from the exact one, so a
  syllable typed without diacritics matches both ``bàn`` and ``ban`` through the one term ``ban``;
* syllable bigrams, exact and folded (``lịch_sử``, ``lich_su``), never across sentence punctuation: the unit
  of Vietnamese words ("ủy ban", "nhân dân");
* document-symbol keys (``k_98_kh_tu`` for ``98-KH/TU``, ``98 KH TU``, ``98-kh/tu``): one term per symbol.

Tokens are split where a number runs into a word (``80m2`` -> ``80 m2``, ``250km`` -> ``250 km``) so that the
number and the unit are found on their own, and ``TW`` is read as ``TƯ`` (Trung ương, written both ways).

Why not let the database tokenise? Neither SQLite nor PostgreSQL knows Vietnamese tone placement (hoà/hòa),
folds ``đ``, or keeps bigrams; doing it here makes both backends index exactly the same terms.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

import vntext
from vntext.refs import symbol_spans

# The token definition of vntext (letters with their marks, and digits).
_TOKEN_RE = re.compile(r"(?:[^\W_]|[\u0300-\u036f])+")
_WORD_RE = re.compile(r"\w+")
_MARKS = re.compile(r"[\u0300-\u036f]")
# Punctuation that ends a phrase: no bigram across it.
_BREAK = re.compile(r"[.;:!?()\[\]{}\"“”«»|/\n]")
_SYMBOLISH = re.compile(r"\d")
_NUMBER_WORD = re.compile(r"(?<=\d)(?=[^\W\d_])")  # a number followed by letters: 80m2, 250km, 1945a
_DIGIT_LETTER = re.compile(r"\d[^\W\d_]")  # where _NUMBER_WORD can split
_SAME = {"tw": "tư"}  # spellings read as one syllable

# Syllables that carry little meaning in a question ("Kế hoạch nào … năm nào?").  They are still indexed and
# still matched; the ranker gives them a small weight.
STOPWORDS = frozenset(
    ["và", "của", "là", "có", "được", "các", "những", "cho", "với", "trong", "về", "theo", "này", "đó", "thì", "mà", "để", "từ", "tại", "do", "đã", "sẽ", "đang", "nào", "gì", "ai", "đâu", "bao", "nhiêu", "khi", "nơi", "như", "một", "hay", "hoặc", "ra", "vào", "lên", "việc", "gồm", "nêu", "nói", "năm", "ngày", "tháng", "số", "ở", "bị", "vì", "nên"]
)


@lru_cache(maxsize=200_000)
def fold_term(term: str) -> str:
    """Folded form of one exact term (cached: Vietnamese has a few thousand syllables)."""
    return vntext.fold(term)


def _clean(tok: str) -> str:
    return _MARKS.sub("", tok) if not tok.isascii() else tok


def syllables(text: str) -> list[tuple[str, bool]]:
    """Exact lower-case syllables of ``text``, each with "a phrase break precedes it"."""
    if not text:
        return []
    out: list[tuple[str, bool]] = []
    for seg in _segments(text):
        out.extend((tok, i == 0) for i, tok in enumerate(seg))
    if out:
        out[0] = (out[0][0], False)
    return out


def _segments(text: str) -> list[list[str]]:
    """Syllables of ``text`` in runs between phrase breaks (the first of each run follows a break)."""
    low = vntext.casefold(text)
    clean = _MARKS.search(low) is not None
    # A token is split only when it starts with a digit and a digit runs into a letter in it (80m2), or it is
    # "tw": most texts hold neither (checked once over the whole text, in C).  Stray marks (``clean``) may
    # sit between the digit and the letter: then every run is checked.
    splits = clean or "tw" in low or _DIGIT_LETTER.search(low) is not None
    # Without stray marks or "_" a token is a run of word characters: ``\w+`` finds the same runs 1.5× faster.
    find = _TOKEN_RE.findall if clean or "_" in low else _WORD_RE.findall
    out = []
    for part in _BREAK.split(low):
        toks = find(part)
        if toks:
            if clean:
                toks = [_clean(t) for t in toks]
            if splits and (clean or "tw" in part or _DIGIT_LETTER.search(part)) and any(map(_needs_split, toks)):
                toks = [u for t in toks for u in _split(t)]
            out.append(toks)
    return out


def _needs_split(tok: str) -> bool:
    return tok in _SAME or (tok[:1].isdigit() and not tok.isdigit() and _NUMBER_WORD.search(tok) is not None)


def _split(tok: str) -> list[str]:
    if tok in _SAME:
        return [_SAME[tok]]
    if tok[:1].isdigit() and not tok.isdigit():
        return _NUMBER_WORD.split(tok)
    return [tok]


@lru_cache(maxsize=100_000)
def symbol_key(symbol: str) -> str | None:
    """The index term of a document symbol (``98-KH/TU`` -> ``k_98_kh_tu``); None if it is not one."""
    canonical = vntext.canonical_symbol(symbol) if symbol else None
    if not canonical:
        return None
    parts = _TOKEN_RE.findall(vntext.fold(canonical))
    return "k_" + "_".join(parts) if len(parts) >= 2 else None


def symbol_keys_in(text: str) -> list[str]:
    """Keys of the document symbols cited in running text."""
    if not text or not _SYMBOLISH.search(text):
        return []
    return symbol_keys_of(vntext.find_symbols(text))


def symbol_spans_in(text: str) -> list[tuple[str, int, int]]:
    """(symbol, start, end) of the document symbols cited in running text (``vntext.refs.symbol_spans``; their
    keys are ``symbol_keys_in(text)``): for a caller that also needs where they are."""
    if not text or not _SYMBOLISH.search(text):
        return []
    return symbol_spans(text)


def symbol_keys_of(symbols: Iterable[str]) -> list[str]:
    """Keys of these symbols, each once, in order."""
    keys: list[str] = []
    for symbol in symbols:
        key = symbol_key(symbol)
        if key and key not in keys:
            keys.append(key)
    return keys


# Per syllable: (its folded form, or None when it is the same; the syllable + "_"; the folded form + "_").
_ENTRIES: dict[str, tuple[str | None, str, str]] = {}


def _entry(tok: str) -> tuple[str | None, str, str]:
    folded = fold_term(tok)
    entry = (folded if folded != tok else None, tok + "_", folded + "_")
    if len(_ENTRIES) < 500_000:
        _ENTRIES[tok] = entry
    return entry


def text_terms(text: str, *, refs: bool = True) -> list[str]:
    """All index terms of a piece of text (see the module docstring), in order: each syllable, its folded
    form if different, then the bigram it closes and that bigram's folded form if different."""
    out: list[str] = []
    if not text:
        return out
    append = out.append
    get = _ENTRIES.get
    for seg in _segments(text):
        prev_u: str | None = None  # the previous syllable + "_" (None at the start of a run)
        prev_fu, prev_diff = "", False
        for tok in seg:
            folded, tok_u, fold_u = get(tok) or _entry(tok)
            append(tok)
            if folded is not None:
                append(folded)
                if prev_u is not None:
                    append(prev_u + tok)
                    append(prev_fu + folded)
            elif prev_u is not None:
                append(prev_u + tok)
                if prev_diff:
                    append(prev_fu + tok)
            prev_u, prev_fu, prev_diff = tok_u, fold_u, folded is not None
    if refs:
        out.extend(symbol_keys_in(text))
    return out


def terms_string(terms: list[str]) -> str:
    return " ".join(terms)


def has_diacritics(term: str) -> bool:
    return fold_term(term) != term
