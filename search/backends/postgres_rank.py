"""The PostgreSQL first stage: candidates, in the term-at-a-time order (the idf-weighted sum of the query's
terms present, ×5/3 in the head), with the count and facets when they come from the same pass.

Three paths: a narrow match in one statement (:meth:`PostgresFirstStage._one_pass`), a broad one ranked from
its rarest terms' rows and a sample of its items with an estimated count (:mod:`search.backends.postgres_sample`),
and term at a time (:meth:`~PostgresFirstStage._term_at_a_time`: no should terms, the date order's snippet
pages, and ``SAMPLE_ROWS = 0``).  bench/search/RESULTS.md measures each.
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from search.analysis import fold_term
from search.backends.sql.connection import Db
from search.backends.sql.facets import OnePass
from search.backends.sql.rerank import FirstStage
from search.backends.sql.where import FACET_SQL, boolean_query
from search.filters import FACETS
from search.ranking import idf

# Row at a time (one pass, count and facets included) when at most this many rows may match (an upper bound
# from the document frequencies); above, term at a time (see _first_stage).  Measured at 40k passages (bench,
# both ways back to back): row at a time 2.5–26 ms against 20–115 ms term at a time up to 2,000 rows, then
# 81 against 44 ms at 2,000–4,000 (each matching row's vector is detoasted once).
ROW_MAX = 1500
# An index of at most this many rows is read in one pass whatever the match: a sample would read much of it
# anyway.  Real questions over 3,026 rows, one pass instead of the sample on the 61 that match 1,500–3,026
# rows: p50 64.0 → 57.7 ms, mean 69.6 → 60.4, same hits; at 40,000 bench rows (2.8 kB vectors) one pass for
# matches of up to 3,000 rows cost more than the sample (questions mean 93 → 104 ms; RESULTS.md, stop 16).
SMALL_INDEX = 6000
SAMPLE_ROWS = 1500  # a broad match: about this many of its rows read, those of a sample of its items
# every item falls in one of BUCKETS buckets (``passage.bucket``, see postgres.BUCKET_SQL); a sample is a number
# of whole buckets
# Partial GIN indexes over the rows of the first 4, 16 and 64 buckets (1/256, 1/64, 1/16 of them): a broad
# match's sample of ``k`` buckets reads its terms' posting lists from the smallest that holds them, where they
# are that much shorter than in the whole index, and keeps at worst a quarter of the rows it finds.
SAMPLE_BUCKETS = (4, 16, 64)
# A sample of at least this many buckets is kept by a row filter on the GIN match, not by ANDing the bucket
# btree's bitmap: that bitmap holds every row of the sampled buckets (at 200,000 rows, a 611-bucket sample read
# 119,000 btree entries, 9.3 of a 25 ms statement, to keep 1,491 of the match's 2,509 rows).
SAMPLE_FILTER_FROM = 128
PAIRS = 4  # ... and every row holding two of the query's PAIRS next-rarest terms (queries of 3+ words)
PAIR_ROWS = 1500  # ... if the sample puts them at most this many; else three of them, four …
# An AND of a question's words whose rows, were its words independent, would be fewer than this share of the
# rows it needs is probed alone before it is ranked (PostgresFirstStage._and_stage).
PROBE_LIKELY = 0.25
WEIGHTED = 40  # the first stage weighs the first 40 ``should`` terms (the rest only select)
# A term's weight in a head row (page 0: the title and the item's fields) against a page: 5 to 3 (integers: the
# sums stay integer).  It was 5 to 2; the real questions among 4,500 generated documents (bench/search/mixed.py:
# an index past SMALL_INDEX, as the hidden corpus is) then ranked generated titles above the real pages that
# answer: R@1 86.3 → 89.2 (SQLite 88.5), the same first hit as SQLite on 275 of 278 questions instead of 264;
# the real questions alone 91.4 → 91.7 (SQLite 92.1); the 100k bench's labelled queries 46.7 → 47.3.  3 to 2
# was tried too: 90.3 / 272, 91.7, 47.0 (RESULTS.md, stop 21).
HEAD_FACTOR = "(CASE WHEN {page} = 0 THEN 5 ELSE 3 END)"
# A row's vector read once for all of a query's tests: an array's elements are stored detoasted, so the first
# element is the vector in memory (each ``@@`` on ``p.tsv`` itself would fetch it from TOAST again).  Measured
# at 200,000 passages, 4,000 rows: 21 ms, where ``p.tsv || ''::tsvector`` (a merge of the two vectors) took 62.
DETOASTED = "(ARRAY[p.tsv])[1]"


# The item fields every row carries (filters, access, facets), and every facet counted in one GROUP BY by all
# the facet values at once, its groups summed in Python (an item is in one group, OnePass.group): real
# questions, one-pass statement 8.3 → 6.9 ms (the count comes from the same groups) where one grouping-sets
# aggregate over the distinct items took 1.9 ms of it (stop 16 had measured that against one UNION branch per facet,
# 8.7 → 4.9 ms; RESULTS.md stop 20).
ITEM_FIELDS = "item_id, doc_type, issuer, year, unit_id, collection_id, access"
FACET_GROUP = ", ".join(FACET_SQL[name] for name in FACETS)
FACET_PAD = ", NULL" * len(FACETS)  # the other branches' facet columns
ROW_FIELDS = ", ".join(f"p.{c}" for c in ITEM_FIELDS.split(", "))


def weight(df: int, n: int) -> int:
    """A term's first-stage weight: its idf in ten-thousandths, as an integer (integer sums in SQL cost a third
    less than numeric ones and order rows the same: bench/search/RESULTS.md, stop 15)."""
    return round(idf(df, n) * 10000)


@lru_cache(maxsize=100_000)
def implied(term: str) -> tuple[str, ...]:
    """Terms every row holding ``term`` also holds, nearest first (see :mod:`search.analysis`): an exact
    syllable or bigram implies its folded form; a bigram its first syllable, folded.  Symbol keys none.
    Cached: a question calls it about 70 times (roots, bounds, the score's tree)."""
    if term.startswith("k_"):
        return ()
    folded = fold_term(term)
    out = [folded] if folded != term else []
    first, sep, _rest = folded.partition("_")
    if sep and first:
        out.append(first)
    return tuple(out)


def upper_bound(should: list[str], groups: list[list[str]], dfs: dict[str, int]) -> int:
    """At least as many rows as match: the rarest required term's, else the rows of the ``should`` terms that
    imply no other one of them (a term's rows are among those of the terms it implies, so the others add
    none; about a quarter of the plain sum for a question)."""
    required = [dfs.get(t, 0) for g in groups for t in g]
    if required:
        return min(required)
    present = set(should)
    return sum(dfs.get(t, 0) for t in should if not any(p in present for p in implied(t)))


def lexeme(term: str) -> str:
    return "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"


def roots(terms: list[str]) -> list[str]:
    """The terms none of whose :func:`implied` terms is among ``terms``: their OR matches the same rows as the
    OR of all of them (a row holding ``bí_thư`` holds ``bi``), with a quarter of the lexemes for GIN to merge."""
    present = set(terms)
    return [t for t in terms if not any(p in present for p in implied(t))]


def tsquery_literal(should: list[str], groups: list[list[str]]) -> str:
    """The match as a tsquery: any of ``should`` (its :func:`roots`) and every term of each group.  The OR is
    left out when a required term is one of ``should`` or implies one: every row holding the groups then
    holds it (the AND of a question's words is such a match), and GIN would read every ``should`` term's
    posting list for nothing (1 M rows: 17 ms of a question's AND of two words)."""
    present = set(should)
    if any(t in present or any(p in present for p in implied(t)) for g in groups for t in g):
        should = []
    return boolean_query(roots(should), groups, term=lexeme, any_of=" | ", all_of=" & ")


class PostgresFirstStage:
    """Mixed into :class:`search.backends.postgres.PostgresBackend`; needs what it declares below."""

    db: Db
    t: str
    row_max: int
    small_index: int
    sample_rows: int
    rare_rows: int
    pairs: int
    pair_rows: int
    rerank: int
    text_table: str

    if TYPE_CHECKING:  # provided by the backend (not defined here: a mixin's method would shadow it)
        def passage_count(self) -> int: ...

        def _sampled(self, should: list[str], groups: list[list[str]], where: str, params: list[Any], limit: int,
                     dfs: dict[str, int], *, words: int = 0, facets: bool = False) -> FirstStage: ...

    def _first_stage(self, should: list[str], groups: list[list[str]], where: str, params: list[Any],
                     limit: int, dfs: dict[str, int] | None = None) -> list[tuple[Any, ...]]:
        return self._term_at_a_time(should, groups, where, params, limit, dfs).rows

    def _term_at_a_time(self, should: list[str], groups: list[list[str]], where: str, params: list[Any],
                        limit: int, dfs: dict[str, int] | None = None, *, count: bool = False) -> FirstStage:
        """ts_rank knows no idf: order by the idf-weighted sum of the terms present (head counts HEAD_FACTOR),
        the same quantity the second stage refines (ts_rank instead loses 5 points of Recall@1 on the
        evaluation set).

        The sum is computed term at a time: one GIN lookup per term (no vector opened: a plain lexeme needs no
        recheck) with the access and filter conditions, summed per row; the required groups are counted in the
        same aggregate (a row matches when it has a ``should`` term and every term of each group).  Row at a time (two ``@@`` per term on each
        matching row's detoasted vector) it cost 0.7 µs a test, 400 ms for an OR of 40 terms over 7,000 rows.
        Page 0 rows hold only head terms (weight A) and other pages only page terms, so "in the head" is
        ``page = 0``."""
        query = tsquery_literal(should, groups)
        n = max(self.passage_count(), 1)
        if should:
            branches: list[str] = []
            bparams: list[Any] = []
            for i, term in enumerate(should):
                w = weight((dfs or {}).get(term, 1), n) if i < WEIGHTED else 0
                branches.append(f"SELECT p.id, p.item_id, p.page, {w} AS w, 0 AS g FROM {self.t}passage p "
                                f"WHERE p.tsv @@ %s::tsquery AND {where}")
                bparams += [lexeme(term), *params]
            having = ["bool_or(h.g = 0)"]
            for k, group in enumerate(groups, 1):
                members = list(dict.fromkeys(group))
                for term in members:
                    branches.append(f"SELECT p.id, p.item_id, p.page, 0 AS w, {k} AS g FROM {self.t}passage p "
                                    f"WHERE p.tsv @@ %s::tsquery AND {where}")
                    bparams += [lexeme(term), *params]
                having.append(f"COUNT(*) FILTER (WHERE h.g = {k}) = {len(members)}")
            grouped = (f"SELECT h.id, MAX(h.item_id) AS item_id, MAX(h.page) AS page, "
                       f"SUM(h.w) * {HEAD_FACTOR.format(page='MAX(h.page)')} AS s "
                       f"FROM ({' UNION ALL '.join(branches)}) h GROUP BY h.id HAVING {' AND '.join(having)}")
            if not count:
                return FirstStage(self.db.fetchall(f"SELECT a.id, a.item_id, a.page FROM ({grouped}) a "
                                                   f"ORDER BY a.s DESC, a.id LIMIT %s", [*bparams, limit]))
            # The matching rows are all in the aggregate already: the item count comes from it too.
            rows = self.db.fetchall(
                f"WITH a AS MATERIALIZED ({grouped}) "
                f"SELECT * FROM (SELECT a.id, a.item_id, a.page FROM a ORDER BY a.s DESC, a.id LIMIT %s) top "
                f"UNION ALL SELECT NULL, COUNT(DISTINCT a.item_id), COUNT(*) FROM a", [*bparams, limit])
            total = next(int(r[1]) for r in rows if r[0] is None)
            return FirstStage([r for r in rows if r[0] is not None], total)
        # No ``should`` term: only required groups, every matching row holds them all; ts_rank orders them.
        return FirstStage(self.db.fetchall(
            f"SELECT c.id, c.item_id, c.page FROM (SELECT p.id, p.item_id, p.page, {DETOASTED} AS v "
            f"FROM {self.t}passage p WHERE p.tsv @@ %s::tsquery AND {where} OFFSET 0) c "
            f"ORDER BY ts_rank(c.v, %s::tsquery) DESC, c.id LIMIT %s",
            [query, *params, query, limit],
        ))

    def _first_stage_counted(self, should: list[str], groups: list[list[str]], where: str, params: list[Any],
                             limit: int, dfs: dict[str, int], *, facets: bool, maybe_broad: bool,
                             words: int = 0, at_least: int = 0) -> FirstStage:
        """A narrow match (at most ROW_MAX rows: the AND of distinctive words, rare terms) in one pass: GIN
        evaluates the whole boolean query, each matching row's vector is opened once and tested for each
        weighted term, and the top ``limit``, the item count and the exact facets come from the same
        materialised rows.  The order is the term-at-a-time one (same idf-weighted sum, same ties).  A match
        broad by its upper bound is counted up to ROW_MAX + 1 in the same statement and, if over, sampled
        (:meth:`_sampled`); broad by its lower bound too (a term in more rows), sampled at once.
        ``at_least``: a stage of fewer matching rows is not ranked (returned empty, see :meth:`_and_stage`)."""
        bound = upper_bound(should, groups, dfs)
        if not should:
            return self._term_at_a_time(should, groups, where, params, limit, dfs, count=True)
        if bound < at_least:
            return FirstStage([], bound)
        broad = bound > self.row_max and self.passage_count() > self.small_index
        if broad and (0 if groups else max(dfs.get(t, 0) for t in should)) > self.row_max:
            return self._broad(should, groups, where, params, limit, dfs, words=words, facets=facets)
        stage = self._one_pass(should, groups, where, params, limit, dfs, facets=facets, at_least=at_least,
                               cap=self.row_max if broad else 0)
        if stage is None:
            return self._broad(should, groups, where, params, limit, dfs, words=words, facets=facets)
        return stage

    def _broad(self, should: list[str], groups: list[list[str]], where: str, params: list[Any], limit: int,
               dfs: dict[str, int], *, words: int, facets: bool) -> FirstStage:
        if self.sample_rows:
            return self._sampled(should, groups, where, params, limit, dfs, words=words, facets=facets)
        return self._term_at_a_time(should, groups, where, params, limit, dfs, count=True)

    def _and_stage(self, should: list[str], groups: list[list[str]], where: str, params: list[Any], limit: int,
                   dfs: dict[str, int], *, facets: bool, maybe_broad: bool, words: int, enough: int
                   ) -> FirstStage | None:
        """Probed, counted and ranked in one statement (:meth:`_one_pass` with ``at_least``): the probe, the
        capped count and the one-pass statement each had GIN evaluate the same AND (three statements on most
        questions of the bench at 100,000 passages; RESULTS.md, stop 19).

        Unless the AND is likely to find too few rows: fewer than a quarter of ``enough`` if its words were
        independent (``PROBE_LIKELY``).  Then a bare probe (:meth:`_finds_at_least`, a short statement that
        ranks nothing) comes first, and the one-pass statement runs only if it finds enough.  Every AND of
        the real questions over 3,026 rows fails, and the one-pass statement's planning alone took 0.9 ms of
        the 1.5 ms it cost to find that; at 100,000 bench passages the estimate put all 8 failing ANDs under
        5 rows and all 73 that found enough above (RESULTS.md, stop 20)."""
        n = max(self.passage_count(), 1)
        likely = n * math.prod(dfs.get(t, 0) / n for g in groups for t in g)
        if likely < PROBE_LIKELY * enough and upper_bound(should, groups, dfs) >= enough:
            if not self._finds_at_least(should, groups, where, params, enough):
                return None
            enough = 0
        return self._first_stage_counted(should, groups, where, params, limit, dfs, facets=facets,
                                         maybe_broad=maybe_broad, words=words, at_least=enough)

    def _capped_count(self, should: list[str], groups: list[list[str]], where: str, params: list[Any],
                      cap: int | None = None) -> int:
        """Matching rows, counted up to ``cap`` (ROW_MAX + 1): GIN intersects the terms; at most that many rows
        read, none ranked."""
        cap = self.row_max + 1 if cap is None else cap
        return int(self.db.fetchall(
            f"SELECT COUNT(*) FROM (SELECT 1 FROM {self.t}passage p WHERE p.tsv @@ %s::tsquery AND {where} "
            f"LIMIT %s) c", [tsquery_literal(should, groups), *params, cap])[0][0])

    def _finds_at_least(self, should: list[str], groups: list[list[str]], where: str, params: list[Any],
                        n: int) -> bool:
        """Whether ``n`` rows match and pass ``where``, by :meth:`_capped_count` (real questions: most ANDs
        of a question's distinctive words find a row or two; see :meth:`_and_stage`)."""
        return self._capped_count(should, groups, where, params, n) >= n

    def _score_sql(self, weighted: list[str], dfs: dict[str, int]) -> tuple[str, list[Any]]:
        """The first-stage score of a materialised row ``m`` (vector ``m.v``): the idf-weighted sum of the
        weighted terms present, ×5/3 in the head (page 0, HEAD_FACTOR) — the term-at-a-time order.

        A term is tested only in rows holding the term it implies (:func:`implied`): an exact syllable only
        where its folded form is, a bigram only where its first syllable is.  Most rows hold few of a
        question's syllables, so most of its ~40 tests are skipped (the sum is the same)."""
        n = max(self.passage_count(), 1)
        present = set(weighted)
        children: dict[str, list[str]] = {}
        roots: list[str] = []
        for term in weighted:
            parent = next((p for p in implied(term) if p in present), None)
            if parent is None:
                roots.append(term)
            else:
                children.setdefault(parent, []).append(term)
        params: list[Any] = []

        def test(term: str) -> str:
            params.append(lexeme(term))
            kids = " + ".join(test(k) for k in children.get(term, []))
            w = weight(dfs.get(term, 1), n)
            return f"(CASE WHEN m.v @@ %s::tsquery THEN {w}{' + ' + kids if kids else ''} ELSE 0 END)"

        score = " + ".join(test(term) for term in roots) or "0"
        return f"({score}) * {HEAD_FACTOR.format(page='m.page')}", params

    def _terms_parts(self, top: str) -> tuple[str, list[str]]:
        """A CTE ``tr`` of the first RERANK rows of ``top`` (a CTE of ranked rows: id, item_id, page, score) and
        the UNION branches that read what the reranker reads of them (:meth:`_terms_of`): the head terms of
        their items (``'th'``) and the body terms of their pages (``'tb'``), the text in the first facet column
        (read through the item and primary-key indexes: ``IN (SELECT …)`` was planned as a hash join over every head row).
        In the first stage's statement they cost no round trip and no planning of their own (real questions:
        the separate statement took 2.2 ms; RESULTS.md stop 20)."""
        pad = ", NULL" * (len(FACETS) - 1)
        cte = f"tr AS MATERIALIZED (SELECT id, item_id, page FROM {top} ORDER BY score DESC, id LIMIT {int(self.rerank)})"
        return cte, [
            f"SELECT 'th', p.item_id, NULL, NULL, x.head_terms{pad} FROM {self.t}passage p "
            f"JOIN {self.text_table} x ON x.id = p.id "
            f"WHERE p.item_id = ANY(ARRAY(SELECT DISTINCT item_id FROM tr)) AND p.page = 0",
            f"SELECT 'tb', x.id, NULL, NULL, x.body_terms{pad} FROM {self.text_table} x "
            f"WHERE x.id = ANY(ARRAY(SELECT id FROM tr WHERE page <> 0))"]

    @staticmethod
    def _read_terms(rows: list[tuple[Any, ...]]) -> tuple[dict[int, str], dict[int, str]]:
        heads: dict[int, str] = {}
        bodies: dict[int, str] = {}
        for kind, key, _b, _c, text, *_ in rows:
            if kind == "th":
                heads[key] = text
            elif kind == "tb":
                bodies[key] = text
        return heads, bodies

    def _one_pass(self, should: list[str], groups: list[list[str]], where: str, params: list[Any], limit: int,
                  dfs: dict[str, int], *, facets: bool, at_least: int = 0, cap: int = 0) -> FirstStage | None:
        """Every matching row scored, counted and faceted in one statement.  With ``cap`` or ``at_least``, the
        matching rows are first listed (their ``ctid``s: GIN and the heap, no vector opened) and only ranked
        when there are at least ``at_least`` and at most ``cap`` of them: fewer gives an empty stage (its
        count the rows found), more gives None (the caller samples)."""
        score, score_params = self._score_sql(should[:WEIGHTED], dfs)
        match = f"p.tsv @@ %s::tsquery AND {where}"
        match_params: list[Any] = [tsquery_literal(should, groups), *params]
        listed = bool(cap or at_least)
        head = ""
        if listed:
            # The match listed once (ctids), counted, and fetched again by ctid only when it is to be ranked.
            head = (f"c AS MATERIALIZED (SELECT p.ctid AS t FROM {self.t}passage p WHERE {match}"
                    f"{' LIMIT %s' if cap else ''}), n AS MATERIALIZED (SELECT COUNT(*) AS n FROM c), ")
            match_params += [cap + 1] if cap else []
            match = (f"p.ctid = ANY(ARRAY(SELECT t FROM c)) AND (SELECT n FROM n) >= {int(at_least)}"
                     + (f" AND (SELECT n FROM n) <= {int(cap)}" if cap else ""))
        terms_cte, terms_parts = self._terms_parts("top")
        parts = [f"SELECT 'hit', top.id, top.item_id, top.page{FACET_PAD} FROM top", *terms_parts]
        if facets:
            # Exact, even when the match may be broad: it is at most ROW_MAX rows, all in ``m`` already (a
            # second statement faceting the candidates instead cost more: bench/search/RESULTS.md, stop 16).
            # The groups' items and rows are the count.
            parts.append(f"SELECT 'g', COUNT(DISTINCT item_id), COUNT(*), NULL, {FACET_GROUP} FROM m "
                         f"GROUP BY {FACET_GROUP}")
        else:
            parts.append(f"SELECT 'count', COUNT(DISTINCT item_id), COUNT(*), NULL{FACET_PAD} FROM m")
        if listed:
            parts.append(f"SELECT 'listed', n, NULL, NULL{FACET_PAD} FROM n")
        statement = (
            f"WITH {head}m AS MATERIALIZED (SELECT m.id, m.page, {ITEM_FIELDS}, {score} AS score FROM "
            f"(SELECT p.id, p.page, {ROW_FIELDS}, "
            f"{DETOASTED} AS v FROM {self.t}passage p WHERE {match} OFFSET 0) m), "
            f"top AS MATERIALIZED (SELECT m.id, m.item_id, m.page, m.score FROM m ORDER BY m.score DESC, m.id "
            f"LIMIT %s), {terms_cte} "
            + " UNION ALL ".join(parts))
        # the score's lexemes come first in the text, then the match's (listed: inside ``c``, before ``m``)
        rows = self.db.fetchall(statement, [*match_params, *score_params, limit] if listed
                                else [*score_params, *match_params, limit])
        one = OnePass()
        listed_n = -1
        for kind, a, b, c, *values in rows:
            if kind == "hit":
                one.hits.append((int(a), b, c))
            elif kind == "count":
                one.count, one.n_rows = int(a), int(b)
            elif kind == "listed":
                listed_n = int(a)
            elif kind == "g":
                one.group(a, b, values)
        if listed and cap and listed_n > cap:
            return None
        if listed and listed_n < at_least:
            return FirstStage([], listed_n)
        stage = one.result(facets=facets, maybe_broad=False, limit=limit)
        stage.terms = self._read_terms(rows)
        return stage
