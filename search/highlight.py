"""Snippets: the best window of a page, escaped, with <mark> around the matching syllables.

Offsets come from ``vntext.token_spans`` on the original text, so the snippet keeps the diacritics as written;
everything outside <mark> is HTML-escaped, so hostile text never produces markup.
"""

from __future__ import annotations

import html
import re
import unicodedata

import vntext
from search.analysis import fold_term
from search.query import ParsedQuery

WINDOW = 36  # syllables
_TOKEN_RE = re.compile(r"(?:[^\W_]|[\u0300-\u036f])+")


def _spans(text: str) -> list[tuple[str, int, int]]:
    """``vntext.token_spans``, faster on NFC text (casefold is length-preserving there)."""
    if unicodedata.is_normalized("NFC", text):
        low = vntext.casefold(text)
        if len(low) == len(text):
            return [(m.group(0), m.start(), m.end()) for m in _TOKEN_RE.finditer(low)]
    return vntext.token_spans(text)


def snippet(text: str, q: ParsedQuery | None, *, window: int = WINDOW) -> str:
    if not text:
        return ""
    spans = _spans(text)
    if not spans:
        return html.escape(text[:240])
    exact: set[str] = set()
    folded: set[str] = set()
    if q is not None:
        for s in q.syllables:
            (exact if s.accented else folded).add(s.exact if s.accented else s.folded)
    exact_folded = {fold_term(e) for e in exact}
    hits = []
    for i, (tok, _start, _end) in enumerate(spans):
        if tok in exact:
            hits.append((i, 2, tok))
            continue
        tok_folded = fold_term(tok)
        if tok_folded in folded:
            hits.append((i, 2, tok_folded))
        elif tok_folded in exact_folded:
            hits.append((i, 1, tok_folded))
    best_start, best_score = 0, -1.0
    if hits:
        j = 0
        for i in range(len(hits)):
            while hits[i][0] - hits[j][0] >= window:
                j += 1
            group = hits[j : i + 1]
            score = len({h[2] for h in group}) * 10 + sum(h[1] for h in group)
            if score > best_score:
                best_score, best_start = score, max(0, hits[j][0] - 4)
    first = best_start
    last = min(len(spans), first + window) - 1
    marked = {h[0] for h in hits if first <= h[0] <= last}
    start_char = spans[first][1] if first > 0 else 0
    end_char = spans[last][2] if last < len(spans) - 1 else len(text)
    out = ["…"] if start_char > 0 else []
    pos = start_char
    for i in range(first, last + 1):
        _tok, s, e = spans[i]
        if i in marked:
            out.append(html.escape(text[pos:s]))
            out.append("<mark>" + html.escape(text[s:e]) + "</mark>")
            pos = e
    out.append(html.escape(text[pos:end_char]))
    if end_char < len(text):
        out.append("…")
    return " ".join("".join(out).split())
