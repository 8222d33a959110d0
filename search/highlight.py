"""Snippets: the best window of a page, escaped, with <mark> around the matching syllables.

Offsets come from ``vntext.token_spans`` on the original text, so the snippet keeps the diacritics as written;
everything outside <mark> is HTML-escaped, so hostile text never produces markup.
"""

from __future__ import annotations

import html
import itertools
import re
import unicodedata

import vntext
from search.analysis import fold_term
from search.query import ParsedQuery

WINDOW = 36  # syllables
# The tokens of ``vntext.token_spans`` (letters and digits, no underscore, with combining marks) as one character
# class, on a text whose underscores are spaces: twice as fast as the alternation ``(?:[^\W_]|[\u0300-\u036f])+``.
_SPLIT_RE = re.compile(r"([\w\u0300-\u036f]+)")


class Tokens:
    """A text's tokens (lower case), their folded forms and their offsets (token ``i`` is
    ``text[starts[i]:ends[i]]``): ``vntext.token_spans`` and ``fold_term`` of each token."""

    __slots__ = ("ends", "folded", "starts", "words")

    def __init__(self, text: str) -> None:
        if not self._split(text):
            spans = vntext.token_spans(text)
            self.words = [t for t, _, _ in spans]
            self.folded = [fold_term(t) for t in self.words]
            self.starts = [a for _, a, _ in spans]
            self.ends = [b for _, _, b in spans]

    def _split(self, text: str) -> bool:
        """On NFC text (casefold and fold are length-preserving there) the text is split once, its offsets summed
        in C, and the tokens folded in one call (False: not such a text, the caller goes token by token): a
        bench page's snippet 310 → 173 µs (RESULTS.md stop 20),
        where the regex's alternation, the match objects' groups and offsets, and a fold per token were
        most of it."""
        if not unicodedata.is_normalized("NFC", text):
            return False
        low = vntext.casefold(text)
        if len(low) != len(text):
            return False
        parts = _SPLIT_RE.split(low.replace("_", " "))
        words = parts[1::2]
        folded = vntext.fold(" ".join(words)).split(" ")
        if len(folded) != len(words):  # a fold that made or took a space: token by token instead
            return False
        offsets = [0, *itertools.accumulate(map(len, parts))]
        self.words, self.folded = words, folded
        self.starts, self.ends = offsets[1 : 2 * len(words) : 2], offsets[2::2]
        return True


def snippet(text: str, q: ParsedQuery | None, *, window: int = WINDOW) -> str:
    if not text:
        return ""
    toks = Tokens(text)
    if not toks.words:
        return html.escape(text[:240])
    exact: set[str] = set()
    folded: set[str] = set()
    if q is not None:
        for s in q.syllables:
            (exact if s.accented else folded).add(s.exact if s.accented else s.folded)
    exact_folded = {fold_term(e) for e in exact}
    wanted = folded | exact_folded  # every exact term's token folds into exact_folded
    hits = []
    for i in [i for i, f in enumerate(toks.folded) if f in wanted]:
        tok, tok_folded = toks.words[i], toks.folded[i]
        if tok in exact:
            hits.append((i, 2, tok))
        elif tok_folded in folded:
            hits.append((i, 2, tok_folded))
        else:
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
    n = len(toks.words)
    last = min(n, first + window) - 1
    marked = [h[0] for h in hits if first <= h[0] <= last]  # in order
    start_char = toks.starts[first] if first > 0 else 0
    end_char = toks.ends[last] if last < n - 1 else len(text)
    out = ["…"] if start_char > 0 else []
    pos = start_char
    for i in marked:
        s, e = toks.starts[i], toks.ends[i]
        out.append(html.escape(text[pos:s]))
        out.append("<mark>" + html.escape(text[s:e]) + "</mark>")
        pos = e
    out.append(html.escape(text[pos:end_char]))
    if end_char < len(text):
        out.append("…")
    return " ".join("".join(out).split())
