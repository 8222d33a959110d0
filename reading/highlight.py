"""Search terms marked on a page's whole text (the item page's text panel).

The same query parser and folding as the search (``search.query``, ``search.analysis``): a term typed
without diacritics marks every spelling ("lich su" marks "lịch sử"), a term typed with them marks that
spelling only. Everything outside ``<mark>`` is HTML-escaped; line breaks are kept.
"""

from __future__ import annotations

import html

from django.utils.safestring import SafeString, mark_safe

import vntext
from search.analysis import fold_term
from search.query import parse_query


def query_terms(query: str) -> tuple[set[str], set[str]]:
    """(exact terms, folded terms) to mark for ``query``; stopwords only when nothing else is asked."""
    parsed = parse_query(query or "")
    syllables = [s for s in parsed.syllables if not s.stop] or list(parsed.syllables)
    exact = {s.exact for s in syllables if s.accented}
    folded = {s.folded for s in syllables if not s.accented}
    return exact, folded


def highlight(text: str, query: str) -> tuple[SafeString, int]:
    """``text`` escaped with ``<mark>`` around the query's terms, and the number of marks."""
    exact, folded = query_terms(query)
    if not text or not (exact or folded):
        return mark_safe(html.escape(text or "")), 0  # noqa: S308 (escaped)
    out: list[str] = []
    pos = count = 0
    for tok, start, end in vntext.token_spans(text):
        low = vntext.casefold(tok)
        if low in exact or fold_term(low) in folded:
            out.append(html.escape(text[pos:start]))
            out.append('<mark class="hl">' + html.escape(text[start:end]) + "</mark>")
            pos = end
            count += 1
    out.append(html.escape(text[pos:]))
    return mark_safe("".join(out)), count  # noqa: S308 (every piece escaped)
