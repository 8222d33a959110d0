"""Second-stage ranking: BM25F over (item head, one page) with Vietnamese-aware features, in Python.

The backend's own ranking (FTS5 bm25 / PostgreSQL ts_rank) only picks the candidates; this function orders
them, so both backends give the same order for the same candidates.  Every feature is explainable:

* per query syllable, the better of an exact-diacritic match and a folded match (folded counts ×FOLDED when
  the syllable was typed with diacritics: ``bàn`` ranks documents with ``bàn`` above those with ``bán``);
* per query bigram, the same with weight BIGRAM: "ủy ban" as a word beats "ủy" and "ban" far apart;
* head fields (title, symbol, type, issuer, keywords) count HEAD times a page;
* a document-symbol key in the head (``so:``/``98 KH TU``) adds SYMBOL_HEAD, cited in a page SYMBOL_BODY;
* coverage: the share of the query's content syllables found scales the sum (question-style queries);
* expected answer: a question asking *when* (năm nào, khi nào, ngày nào, bao giờ …) ranks a passage higher
  (×ANSWER) when it holds a year the query does not; one asking *how many* (bao nhiêu, mấy) when it holds a
  number the query does not — the passage that states the answer, not the one that repeats the question.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

import numpy as np

from search.query import ParsedQuery

K1 = 0.6
B_BODY = 0.8
B_HEAD = 0.3
HEAD = 1.0
HEAD_SYMBOL = 2.5  # a query that is a document symbol: the head (where a document's own symbol is) counts more
BIGRAM = 1.6
FOLDED = 0.45
STOP = 0.15
SYMBOL_HEAD = 60.0
SYMBOL_BODY = 12.0
COVERAGE = 0.8
YEAR = 2.0  # a year typed in the query (nam 2014) is usually the distinguishing fact
ANSWER = 1.3  # the passage holds the kind of fact the question asks for (a year, a number)

# Folded question patterns -> the kind of answer they ask for.
_WHEN = ("nam nao", "khi nao", "ngay nao", "thang nao", "bao gio", "luc nao", "thoi gian nao", "nam bao nhieu",
         "nam may")
_HOW_MANY = ("bao nhieu", "may ", "so luong")


@dataclass
class FieldStats:
    counts: Counter
    length: int
    numbers: frozenset[str] = frozenset()  # the number tokens of the field (for the expected answer)


def idf(df: int, n: int) -> float:
    if df <= 0:
        return 0.0
    return math.log(1.0 + (n - df + 0.5) / (df + 0.5))


class Scorer:
    """Scores (head, page) pairs for one query; idf from the index's document frequencies.

    The query is compiled once into flat tuples (weights, terms, idf) so that scoring a pair is a loop over
    them with two dict lookups per term; the arithmetic is the same, in the same order, as the plain BM25F
    formula in :meth:`_part` (scores are bit-for-bit those of the straightforward version)."""

    def __init__(self, q: ParsedQuery, doc_freqs: dict[str, int], n_docs: int, avg_head: float,
                 avg_body: float) -> None:
        self.q = q
        self.idf = {t: idf(df, max(n_docs, 1)) for t, df in doc_freqs.items()}
        self.avg_head = max(avg_head, 1.0)
        self.avg_body = max(avg_body, 1.0)
        seen = set()
        self.sylls = []
        for s in q.syllables:
            if (s.exact, s.accented) not in seen:
                seen.add((s.exact, s.accented))
                self.sylls.append(s)
        self.bigrams = []
        seen_b = set()
        for a, b in q.bigrams:
            key = (a.exact, b.exact)
            if key not in seen_b:
                seen_b.add(key)
                self.bigrams.append((a, b))
        self.content_weight = sum(STOP if s.stop else 1.0 for s in self.sylls) or 1.0
        get = self.idf.get
        # (weight, folded term, its idf, exact term or None, its idf): syllables, then bigrams
        self._sylls = [(STOP if s.stop else (YEAR if _is_year(s.exact) else 1.0), s.folded, get(s.folded, 0.0),
                        s.exact if s.accented else None, get(s.exact, 0.0)) for s in self.sylls]
        self._bigrams = []
        for a, b in self.bigrams:
            folded, exact = a.folded + "_" + b.folded, a.exact + "_" + b.exact
            self._bigrams.append((STOP if (a.stop and b.stop) else 1.0, folded, get(folded, 0.0),
                                  exact if (a.accented and b.accented) else None, get(exact, 0.0)))
        self._keys = self.q.symbol_keys + self.q.required_symbols
        self._compile_arrays()
        # A short query holding a document symbol asks for that document: its own head outranks citations.
        self.head = HEAD_SYMBOL if self._keys and len(self.sylls) <= 5 else HEAD
        self.answer = expected_answer(q)
        self._typed_numbers = frozenset(s.exact for s in q.syllables if s.exact.isdigit())

    def _compile_arrays(self) -> None:
        """The flat tuples as arrays for :meth:`score_many`: the distinct terms, and per syllable/bigram column
        its folded and exact term's index, its weight (bigrams: BIGRAM × weight, as the loop multiplies)."""
        index: dict[str, int] = {}

        def col(term: str) -> int:
            return index.setdefault(term, len(index))

        rows = [(w, f, e) for w, f, _fi, e, _ei in self._sylls] + [
            (BIGRAM * w, f, e) for w, f, _fi, e, _ei in self._bigrams]
        self._folded_col = np.array([col(f) for _w, f, _e in rows], dtype=np.intp)
        self._exact_col = np.array([col(e) if e is not None else 0 for _w, _f, e in rows], dtype=np.intp)
        self._has_exact = np.array([e is not None for _w, _f, e in rows], dtype=bool)
        self._weights = np.array([w for w, _f, _e in rows], dtype=np.float64)
        self._cover_weights = np.array([w for w, *_ in self._sylls], dtype=np.float64)
        self._key_col = np.array([col(k) for k in self._keys], dtype=np.intp)
        self._terms = list(index)
        self._idfs = np.array([self.idf.get(t, 0.0) for t in self._terms], dtype=np.float64)

    def _tf(self, term: str, head: FieldStats, body: FieldStats) -> float:
        h = head.counts.get(term, 0)
        b = body.counts.get(term, 0)
        if not h and not b:
            return 0.0
        nh = 1 - B_HEAD + B_HEAD * head.length / self.avg_head
        nb = 1 - B_BODY + B_BODY * body.length / self.avg_body
        return self.head * h / nh + b / nb

    def _part(self, term: str, head: FieldStats, body: FieldStats) -> float:
        tf = self._tf(term, head, body)
        if not tf:
            return 0.0
        return tf * (K1 + 1) / (tf + K1) * self.idf.get(term, 0.0)

    def score(self, head: FieldStats, body: FieldStats) -> float:
        hc, bc = head.counts, body.counts
        head_weight = self.head
        nh = 1 - B_HEAD + B_HEAD * head.length / self.avg_head
        nb = 1 - B_BODY + B_BODY * body.length / self.avg_body

        def part(term: str, term_idf: float) -> float:
            h = hc.get(term, 0)
            b = bc.get(term, 0)
            if not h and not b:
                return 0.0
            tf = head_weight * h / nh + b / nb
            if not tf:
                return 0.0
            return tf * (K1 + 1) / (tf + K1) * term_idf

        total = 0.0
        covered = 0.0
        for weight, folded_term, folded_idf, exact_term, exact_idf in self._sylls:
            folded = part(folded_term, folded_idf) if (folded_term in hc or folded_term in bc) else 0.0
            if exact_term is not None:
                exact = part(exact_term, exact_idf) if (exact_term in hc or exact_term in bc) else 0.0
                p = max(exact, FOLDED * folded)
            else:
                p = folded
            if folded:
                covered += weight
            total += weight * p
        for weight, folded_term, folded_idf, exact_term, exact_idf in self._bigrams:
            folded = part(folded_term, folded_idf) if (folded_term in hc or folded_term in bc) else 0.0
            if exact_term is not None:
                exact = part(exact_term, exact_idf) if (exact_term in hc or exact_term in bc) else 0.0
                p = max(exact, FOLDED * folded)
            else:
                p = folded
            total += BIGRAM * weight * p
        for key in self._keys:
            if hc.get(key):
                total += SYMBOL_HEAD
            elif bc.get(key):
                total += SYMBOL_BODY
        if self._sylls:
            coverage = covered / self.content_weight
            total *= (1 - COVERAGE) + COVERAGE * coverage * coverage
        if self.answer and total and self._answers(head.numbers | body.numbers):
            total *= ANSWER
        return total

    def set_lengths(self, avg_head: float, avg_body: float) -> None:
        """The average head and page lengths (when they are known only after the terms were counted)."""
        self.avg_head = max(avg_head, 1.0)
        self.avg_body = max(avg_body, 1.0)

    @property
    def terms(self) -> list[str]:
        """The distinct terms whose counts the score reads (syllables' folded and exact forms, bigrams, symbol
        keys), in the column order :meth:`score_counts` expects."""
        return self._terms

    def score_many(self, heads: list[FieldStats], bodies: list[FieldStats]) -> list[float]:
        """:meth:`score` of every (head, body) pair at once: the query's terms' counts in two matrices (pairs ×
        terms) and the BM25F arithmetic as a few array operations over them instead of a Python loop per pair
        and term.  The same operations in the same order on IEEE doubles (sums accumulated term after term,
        as the loop does), so each score is bit-for-bit what :meth:`score` gives (search/tests/test_ranking.py)."""
        n = len(heads)
        if n == 0:
            return []
        terms = self._terms
        hcs = [h.counts for h in heads]
        bcs = [b.counts for b in bodies]
        # counts, one column per term (term-major lists, then transposed: one list comprehension per term)
        hm = np.array([[c.get(t, 0) for c in hcs] for t in terms], dtype=np.float64).reshape(len(terms), n).T
        bm = np.array([[c.get(t, 0) for c in bcs] for t in terms], dtype=np.float64).reshape(len(terms), n).T
        return self.score_counts(hm, bm, np.array([h.length for h in heads], dtype=np.float64),
                                 np.array([b.length for b in bodies], dtype=np.float64),
                                 [h.numbers | b.numbers for h, b in zip(heads, bodies, strict=True)])

    def score_counts(self, hm: np.ndarray, bm: np.ndarray, head_len: np.ndarray, body_len: np.ndarray,
                     numbers: list[frozenset[str]] | None = None) -> list[float]:
        """The scores of pairs given as arrays: head and body counts (pairs × :attr:`terms`, float64), head and
        body lengths, and (a question expecting a number or a year) each pair's number tokens."""
        n = hm.shape[0]
        if n == 0:
            return []
        nh = 1 - B_HEAD + B_HEAD * head_len / self.avg_head
        nb = 1 - B_BODY + B_BODY * body_len / self.avg_body
        tf = self.head * hm / nh[:, None] + bm / nb[:, None]
        part = tf * (K1 + 1) / (tf + K1) * self._idfs
        folded = part[:, self._folded_col]
        exact = part[:, self._exact_col]  # a column of zeros where there is no exact term
        p = np.where(self._has_exact, np.maximum(exact, FOLDED * folded), folded)
        # one column per syllable, then per bigram, then per symbol key: added left to right (cumsum is a
        # sequential accumulation, as ``total +=`` is)
        n_syll = len(self._sylls)
        cols = p * self._weights
        if self._keys:
            kh, kb = hm[:, self._key_col], bm[:, self._key_col]
            cols = np.concatenate([cols, np.where(kh > 0, SYMBOL_HEAD, np.where(kb > 0, SYMBOL_BODY, 0.0))], axis=1)
        total = np.cumsum(cols, axis=1)[:, -1] if cols.shape[1] else np.zeros(n)
        if n_syll:
            covered = np.cumsum(np.where(folded[:, :n_syll] != 0.0, self._cover_weights, 0.0), axis=1)[:, -1]
            coverage = covered / self.content_weight
            total = total * ((1 - COVERAGE) + COVERAGE * coverage * coverage)
        scores: list[float] = total.tolist()
        if self.answer and numbers is not None:
            for i, found in enumerate(numbers):
                if scores[i] and self._answers(found):
                    scores[i] *= ANSWER
        return scores

    def _answers(self, numbers: frozenset[str]) -> bool:
        new = numbers - self._typed_numbers
        if self.answer == "year":
            return any(_is_year(n) for n in new)
        return bool(new)


def expected_answer(q: ParsedQuery) -> str | None:
    """"year" for a question asking when, "number" for one asking how many, else None."""
    folded = " " + " ".join(s.folded for s in q.syllables) + " "
    if any(f" {p} " in folded for p in _WHEN):
        return "year"
    if any(f" {p}" in folded for p in _HOW_MANY):
        return "number"
    return None


def _is_year(token: str) -> bool:
    return len(token) == 4 and token.isdigit() and 1800 <= int(token) <= 2100


def field_stats(terms: str, wanted: frozenset[str] | None = None, *, numbers: bool = True) -> FieldStats:
    """Term counts of a field (only the ``wanted`` terms: the query's), its length in terms and (if asked:
    only a question expecting a number uses them) its number tokens."""
    parts = terms.split() if terms else []
    found = frozenset(filter(str.isdigit, parts)) if numbers else frozenset()
    if wanted is None:
        return FieldStats(Counter(parts), len(parts), found)
    return FieldStats(Counter(filter(wanted.__contains__, parts)), len(parts), found)


EMPTY = FieldStats(Counter(), 0)


def term_counts(fields: list[str], terms: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Counts of ``terms`` (fields × terms, float64) and lengths in terms of whitespace-separated term strings:
    what :func:`field_stats` gives each field, for many fields at once (``terms`` distinct).  Each field is
    split once and its tokens filtered by a set lookup in C (``filter``, ``map``: no Python loop per token, no
    Counter per field), the found terms' cells counted with one ``bincount`` (stop 17: real questions, ~140
    fields a query)."""
    n, width = len(fields), len(terms)
    column = {t: i for i, t in enumerate(terms)}
    wanted, cell = column.__contains__, column.__getitem__
    lengths: list[int] = []
    found: list[int] = []  # field × width + term column, for every occurrence of a wanted term
    for i, text in enumerate(fields):
        parts = text.split()
        lengths.append(len(parts))
        found.extend(map((i * width).__add__, map(cell, filter(wanted, parts))))
    counts = np.bincount(np.array(found, dtype=np.intp), minlength=n * width)[: n * width]
    return counts.reshape(n, width).astype(np.float64), np.array(lengths, dtype=np.float64)
