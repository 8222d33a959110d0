"""Normalisation and folding. First version; the vntext owner extends it (tone placement, speed)."""

from __future__ import annotations

import re
import unicodedata

_TOKEN_RE = re.compile(r"\w+", re.UNICODE)
_FOLD_TABLE = str.maketrans({"đ": "d", "Đ": "D"})


def normalize(text: str) -> str:
    """NFC form of ``text``."""
    return unicodedata.normalize("NFC", text)


def casefold(text: str) -> str:
    return normalize(text).lower()


def fold(text: str) -> str:
    """Lower-case without diacritics; đ becomes d (Unicode does not decompose đ)."""
    decomposed = unicodedata.normalize("NFD", text.translate(_FOLD_TABLE).lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def tokens(text: str) -> list[str]:
    return _TOKEN_RE.findall(casefold(text))
