"""Candidate planning and the second-stage order, shared by the SQL backends.

Speed (bench/search, 100k passages): the first stage requires every *distinctive* content word of the query
(AND) and falls back to the OR of the selective terms only when that finds fewer than ``AND_MIN`` passages;
it hands at most ``CANDIDATES`` rows to Python, and the top ``RERANK`` of them are ordered by
:mod:`search.ranking`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from search.backends.sql.connection import Db
from search.backends.sql.where import in_list
from search.documents import FacetValue
from search.query import ParsedQuery
from search.ranking import Scorer, expected_answer, term_counts

Ranked = list[tuple[int, float, int | None]]  # (item id, score, passage row id of the best page or None)


@dataclass
class FirstStage:
    """What the first stage found: candidate rows (id, item_id, page), best first; and, when the backend
    counted them in the same pass over the match, the exact number of matching items and (if asked for and
    the match is not broad) the exact facet values. ``approximate``: the count is an estimate (a broad match
    counted on a sample, see the SQLite backend's best-passage lists); ``facets_approximate``: the facets are
    the candidates' (a broad match faceted in the same pass)."""

    rows: list[tuple[Any, ...]]
    count: int | None = None
    facets: dict[str, list[FacetValue]] | None = field(default=None)
    approximate: bool = False
    facets_approximate: bool = False  # facets counted over the candidates' items only (a broad match)
    # The analysed terms the reranker reads (heads by item id, bodies by row id: :meth:`CandidateRanking._terms_of`)
    # of the first RERANK rows, when the backend fetched them in the same statement.
    terms: tuple[dict[int, str], dict[int, str]] | None = None


class CandidateRanking:
    """Mixed into :class:`~search.backends.sql.backend.SqlSearchBackend`; needs what it declares below."""

    db: Db
    t: str
    text_table: str
    candidates: int
    rerank: int
    and_min: int
    common_floor: int
    common_share: float
    facet_exact: int
    stop_first: bool

    def passage_count(self) -> int:
        raise NotImplementedError

    def doc_freqs(self, terms: list[str]) -> dict[str, int]:
        raise NotImplementedError

    def _first_stage(self, should: list[str], groups: list[list[str]], where: str, params: list[Any],
                     limit: int, dfs: dict[str, int] | None = None) -> list[tuple[Any, ...]]:
        raise NotImplementedError

    def _first_stage_counted(self, should: list[str], groups: list[list[str]], where: str, params: list[Any],
                             limit: int, dfs: dict[str, int], *, facets: bool, maybe_broad: bool,
                             words: int = 0) -> FirstStage:
        """The first stage; a backend that can also count the match in the same pass overrides this (facets
        exact unless ``maybe_broad`` and the match fills ``limit``).  ``words``: distinct syllables (folded)
        typed, for a backend that ranks short broad queries another way."""
        return FirstStage(self._first_stage(should, groups, where, params, limit, dfs))

    def _finds_at_least(self, should: list[str], groups: list[list[str]], where: str, params: list[Any],
                        n: int) -> bool:
        """Whether the match may hold ``n`` rows that pass ``where``; a backend with a cheap exact test (no
        ranking) overrides this so that an AND bound to fail is not ranked, counted and faceted for nothing."""
        return True

    def _and_stage(self, should: list[str], groups: list[list[str]], where: str, params: list[Any], limit: int,
                   dfs: dict[str, int], *, facets: bool, maybe_broad: bool, words: int, enough: int
                   ) -> FirstStage | None:
        """The first stage of the AND of the query's distinctive words (``groups``), or None when it cannot find
        ``enough`` rows (a stage of fewer rows also sends the caller to the OR).  A backend that can probe and
        rank in one statement overrides this."""
        if not self._finds_at_least(should, groups, where, params, enough):
            return None
        return self._first_stage_counted(should, groups, where, params, limit, dfs, facets=facets,
                                         maybe_broad=maybe_broad, words=words)

    def _maybe_broad(self, should: list[str], groups: list[list[str]], dfs: dict[str, int]) -> bool:
        """Whether a match may be too broad for exact facets: the upper bound of the matching passages (the
        rarest required term, or the sum over the OR) is above FACET_EXACT."""
        required = [dfs.get(t, 0) for g in groups for t in g]
        estimate = min(required) if required else sum(dfs.get(t, 0) for t in should)
        return estimate > self.facet_exact

    def _common_limit(self) -> float:
        return max(self.common_floor, self.common_share * self.passage_count())

    def _stop_terms(self, q: ParsedQuery) -> frozenset[str]:
        """The terms of the query's stop syllables (and of bigrams of two of them), unless the syllable is also
        typed as a content word: they select no candidates when a content term does (``STOP_FIRST``, on by
        default for both backends).  "là", "của", "ai", "nào" are in most passages of a small corpus, so the
        first stage ranked nearly every row (real questions, 3,000 passage rows: 10.3 → 8.0 ms, R@1 and MRR unchanged; at
        200,000 rows they are already left out as common).  The reranker still scores them."""
        if not self.stop_first:
            return frozenset()
        out = {t for s in q.syllables if s.stop for t in (s.folded, s.exact)}
        out |= {a.folded + "_" + b.folded for a, b in q.bigrams if a.stop and b.stop}
        out |= {a.exact + "_" + b.exact for a, b in q.bigrams if a.stop and b.stop}
        content = {t for s in q.syllables if not s.stop for t in (s.folded, s.exact)}
        return frozenset(out - content)

    def _selective(self, terms: list[str], dfs: dict[str, int], stop: frozenset[str] = frozenset()) -> list[str]:
        """The terms that select candidates: present in the index, and not so common that they add nothing
        but cost (a syllable in most passages); the ranker still scores every term."""
        present = [t for t in terms if dfs.get(t)]
        if stop and any(t not in stop for t in present):
            present = [t for t in present if t not in stop]
        limit = self._common_limit()
        selective = [t for t in present if dfs[t] <= limit]
        if len(selective) < 3:
            rarest = sorted(present, key=lambda t: dfs[t])[:3]
            selective = [t for t in present if t in selective or t in rarest]
        return selective

    def _candidates(self, q: ParsedQuery, should: list[str], groups: list[list[str]], where: str,
                    params: list[Any], need: int, dfs: dict[str, int], *, facets: bool = False
                    ) -> tuple[list[list[str]], FirstStage]:
        """First-stage candidates, and the groups that define the matching set (for the count and facets).

        Passages holding every *distinctive* content word of the query (folded; not among the common ones, see
        :meth:`_selective`) come first: most queries then touch a few hundred rows instead of every row with
        any of the words (requiring the common words too costs more — their posting lists are long — and
        finds a subset).  Only when fewer than AND_MIN passages hold them is the match the OR of the selective
        terms.  Either way the second stage orders the candidates."""
        limit = max(self.candidates, need * 4)
        typed = len({s.folded for s in q.syllables})
        if self.and_min:
            have = {t for g in groups for t in g}
            common = self._common_limit()
            words = [w for w in dict.fromkeys(s.folded for s in q.syllables if not s.stop)
                     if w not in have and 0 < dfs.get(w, 0) <= common]
            if len(words) >= 2 or (words and groups):
                and_groups = groups + [[w] for w in words]
                enough = min(self.and_min, limit)
                stage = self._and_stage(should, and_groups, where, params, limit, dfs, facets=facets,
                                        maybe_broad=self._maybe_broad(should, and_groups, dfs), words=typed,
                                        enough=enough)
                if stage is not None and len(stage.rows) >= enough:
                    return and_groups, stage
        return groups, self._first_stage_counted(should, groups, where, params, limit, dfs, facets=facets,
                                                 maybe_broad=self._maybe_broad(should, groups, dfs),
                                                 words=typed)

    def _terms_of(self, item_ids: list[int], page_ids: list[int]) -> tuple[dict[int, str], dict[int, str]]:
        """The analysed head terms of these items and the body terms of these passage rows, in one statement
        per 400 of each (one round trip instead of two: PostgreSQL)."""
        heads: dict[int, str] = {}
        bodies: dict[int, str] = {}
        for start in range(0, max(len(item_ids), len(page_ids)), 400):
            items, pages = item_ids[start : start + 400], page_ids[start : start + 400]
            parts: list[str] = []
            params: list[Any] = []
            if items:
                cond, more = in_list("p.item_id", items, self.db.vendor)
                parts.append(f"SELECT 0, p.item_id, x.head_terms FROM {self.t}passage p JOIN {self.text_table} x "
                             f"ON x.id = p.id WHERE p.page = 0 AND {cond}")
                params += more
            if pages:
                cond, more = in_list("x.id", pages, self.db.vendor)
                parts.append(f"SELECT 1, x.id, x.body_terms FROM {self.text_table} x WHERE {cond}")
                params += more
            for kind, key, terms in self.db.fetchall(" UNION ALL ".join(parts), params):
                (bodies if kind else heads)[key] = terms
        return heads, bodies

    def _rerank(self, q: ParsedQuery, rows: list[tuple[Any, ...]], dfs: dict[str, int] | None = None,
                fetched: tuple[dict[int, str], dict[int, str]] | None = None) -> Ranked:
        """Order candidate rows' items: the top RERANK rows by :mod:`search.ranking`, the rest after them in
        first-stage order.  ``fetched``: those rows' terms, read by the first stage (:attr:`FirstStage.terms`)."""
        top, rest = rows[: self.rerank], rows[self.rerank :]
        item_ids = sorted({r[1] for r in top})
        terms = list(dict.fromkeys(q.should_terms() + [t for g in q.must_groups() for t in g]))
        pages = [(r[0], r[1]) for r in top if r[2] != 0]
        heads, bodies = fetched if fetched is not None else self._terms_of(item_ids, [row_id for row_id, _item in pages])
        n_docs = self.passage_count()
        if dfs is None:
            dfs = self.doc_freqs(terms)
        scorer = Scorer(q, dfs, n_docs, 1.0, 1.0)
        # The counts of the scorer's terms in every head and page at once (a term the query does not hold is
        # never counted: every term of the scorer is one of ``terms``).
        head_text = [heads.get(i, "") for i in item_ids]
        page_text = [bodies.get(row_id, "") for row_id, _item in pages]
        counts, lengths = term_counts(head_text + page_text, scorer.terms)
        n_items = len(item_ids)
        hc, hl, bc, bl = counts[:n_items], lengths[:n_items], counts[n_items:], lengths[n_items:]
        # averages over the heads read (an item without a head row has none) and over every page
        read = np.array([i in heads for i in item_ids], dtype=bool)
        scorer.set_lengths(float(hl[read].sum()) / max(int(read.sum()), 1), float(bl.sum()) / max(len(pages), 1))
        # Every item's head alone, then every (head, page) pair: scored in one call.
        of_item = np.searchsorted(np.array(item_ids, dtype=np.int64), np.array([p[1] for p in pages], dtype=np.int64))
        width = len(scorer.terms)
        numbers = None
        if expected_answer(q) is not None:  # only then are a field's number tokens read
            found = [frozenset(filter(str.isdigit, t.split())) for t in head_text + page_text]
            numbers = found[:n_items] + [found[k] | found[n_items + j] for j, k in enumerate(of_item.tolist())]
        scores = scorer.score_counts(np.concatenate([hc, hc[of_item]]),
                                     np.concatenate([np.zeros((n_items, width)), bc]),
                                     np.concatenate([hl, hl[of_item]]),
                                     np.concatenate([np.zeros(n_items), bl]), numbers)
        best: dict[int, tuple[float, int | None]] = {i: (s, None) for i, s in zip(item_ids, scores, strict=False)}
        for (row_id, item_id), s in zip(pages, scores[n_items:], strict=True):
            if s > best[item_id][0] or (best[item_id][1] is None and s >= best[item_id][0] and s > 0):
                best[item_id] = (s, row_id)
        ranked = sorted(best.items(), key=lambda kv: (-round(kv[1][0], 9), kv[0]))
        out: Ranked = [(item_id, score, row_id) for item_id, (score, row_id) in ranked]
        seen = set(best)
        floor = min((s for _i, s, _r in out), default=0.0)
        for row_id, item_id, page_n in rest:
            if item_id not in seen:
                seen.add(item_id)
                floor *= 0.999
                out.append((item_id, floor, row_id if page_n else None))
        return out
