"""Search terms marked on a page's whole text (the item page's text panel) and on its image (OCR word boxes).

The same query parser and folding as the search (``search.query``, ``search.analysis``): a term typed
without diacritics marks every spelling ("lich su" marks "lịch sử"), a term typed with them marks that
spelling only. Everything outside ``<mark>`` is HTML-escaped; line breaks are kept.
"""

from __future__ import annotations

import html
from typing import Any

from django.utils.safestring import SafeString, mark_safe

import vntext
from archive.ocr.words import PageWords
from search.analysis import fold_term
from search.query import parse_query


def _matches(low: str, syllables: list[Any]) -> bool:
    return any(low == s.exact if s.accented else fold_term(low) == s.folded for s in syllables)


def _marked(lows: list[str], query: str) -> list[bool]:
    """Which of the lower-case tokens ``lows`` the query marks.

    Stopwords ("thì", "của") are marked only next to a marked neighbour that follows or precedes them in
    the query too ("chỉ thị"), or when the query has nothing else.
    """
    parsed = parse_query(query or "")
    content = [s for s in parsed.syllables if not s.stop]
    stops = [s for s in parsed.syllables if s.stop] if content else []
    if not content:
        content = list(parsed.syllables)
    if not lows or not content:
        return [False] * len(lows)
    pairs = {(a.folded, b.folded) for a, b in parsed.bigrams}
    hit = [_matches(low, content) for low in lows]
    for i, low in enumerate(lows):
        if hit[i] or not stops or not _matches(low, stops):
            continue
        folded = fold_term(low)
        before = i > 0 and hit[i - 1] and (fold_term(lows[i - 1]), folded) in pairs
        after = i + 1 < len(lows) and hit[i + 1] and (folded, fold_term(lows[i + 1])) in pairs
        hit[i] = bool(before or after)
    return hit


def highlight(text: str, query: str) -> tuple[SafeString, int]:
    """``text`` escaped with ``<mark>`` around the query's terms, and the number of marks."""
    spans = vntext.token_spans(text or "") if query else []
    hit = _marked([vntext.casefold(tok) for tok, _s, _e in spans], query)
    if not any(hit):
        return mark_safe(html.escape(text or "")), 0  # noqa: S308 (escaped)
    out: list[str] = []
    pos = count = 0
    for (_tok, start, end), marked in zip(spans, hit, strict=True):
        if marked:
            out.append(html.escape(text[pos:start]))
            out.append('<mark class="hl">' + html.escape(text[start:end]) + "</mark>")
            pos = end
            count += 1
    out.append(html.escape(text[pos:]))
    return mark_safe("".join(out)), count  # noqa: S308 (every piece escaped)


def word_boxes(words: PageWords | None, query: str, limit: int = 500) -> list[list[float]]:
    """Boxes of the OCR words the query marks, as [x, y, width, height] in units of the page width (the
    coordinates of the page viewer), in reading order; at most ``limit``."""
    if not words or not query:
        return []
    owner: list[int] = []
    lows: list[str] = []
    for i, word in enumerate(words["words"]):
        for tok, _s, _e in vntext.token_spans(word[4]):
            owner.append(i)
            lows.append(vntext.casefold(tok))
    hit = _marked(lows, query)
    marked = sorted({owner[k] for k, h in enumerate(hit) if h})[:limit]
    scale = float(words["w"])
    out = []
    for i in marked:
        x0, y0, x1, y1 = words["words"][i][:4]
        out.append([round(x0 / scale, 5), round(y0 / scale, 5), round((x1 - x0) / scale, 5),
                    round((y1 - y0) / scale, 5)])
    return out
