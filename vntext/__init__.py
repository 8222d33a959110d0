"""vntext: framework-free Vietnamese text core (normalisation, legacy encodings, references, dates, places).

This package never imports Django. Public API (stable; other sulieu apps import these names):

    normalize(text) -> str            NFC only: the spelling as written (hoà stays hoà)
    unify_tones(text) -> str          new tone placement (hoà -> hòa): comparison keys only, never stored text
    fold(text) -> str                 lower-case, diacritics removed, đ -> d (search key)
    casefold(text) -> str             lower-case, diacritics kept (Đ -> đ)
    tokens(text) / token_spans(text)  normalised lower-case syllables and numbers (with offsets)
    find_refs(text) -> list[DocRef]   document references (98-KH/TU, 123/QĐ-UBND, 30/2020/NĐ-CP, 217-HĐBT;
                                      "Quyết định số 412" with symbol None)
    find_symbols(text) -> list[str]   just the symbols find_refs gives, cheaply (the search index)
    canonical_symbol(s), doc_type_name(code)
    find_dates(text) -> list[DateSpan]
    find_places(text), find_bodies(text)
    decode_bytes(data) -> Decoded, convert_legacy(text, encoding)

Heavier modules (dates, places, legacy) are imported on first use.
"""

from __future__ import annotations

from typing import Any

from vntext.codes import doc_type_name
from vntext.normalize import (
    bigrams,
    casefold,
    fold,
    folded_tokens,
    normalize,
    same_key,
    token_spans,
    tokens,
    unify_tones,
)
from vntext.refs import DocRef, canonical_symbol, find_refs, find_symbols

__all__ = [
    "normalize",
    "unify_tones",
    "fold",
    "casefold",
    "same_key",
    "tokens",
    "token_spans",
    "folded_tokens",
    "bigrams",
    "find_refs",
    "find_symbols",
    "DocRef",
    "canonical_symbol",
    "doc_type_name",
    "find_dates",
    "DateSpan",
    "find_places",
    "find_bodies",
    "Place",
    "Body",
    "decode_bytes",
    "convert_legacy",
    "Decoded",
]

_LAZY = {
    "find_dates": "vntext.dates",
    "DateSpan": "vntext.dates",
    "find_places": "vntext.places",
    "find_bodies": "vntext.places",
    "Place": "vntext.places",
    "Body": "vntext.places",
    "decode_bytes": "vntext.legacy",
    "convert_legacy": "vntext.legacy",
    "Decoded": "vntext.legacy",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'vntext' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
