"""vntext: framework-free Vietnamese text core (normalisation, legacy encodings, references, dates, places).

This package never imports Django. Public API (stable; other sulieu apps import these names):

    normalize(text) -> str     NFC + one tone-placement convention
    fold(text) -> str          lower-case, diacritics removed, đ -> d (search key)
    casefold(text) -> str      lower-case, diacritics kept (đ kept)
    tokens(text) -> list[str]  lower-cased normalised syllables / numbers
"""

from __future__ import annotations

from vntext.normalize import casefold, fold, normalize, tokens

__all__ = ["normalize", "fold", "casefold", "tokens"]
