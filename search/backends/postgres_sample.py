"""The PostgreSQL first stage of a broad match in a large index: its rare terms' rows, the rows holding several
of its next-rarest terms, and a sample of whole items, ranked, counted and faceted in one statement
(:meth:`PostgresSample._sampled`; the other paths are in :mod:`search.backends.postgres_rank`).
"""

from __future__ import annotations

import itertools
import math
from typing import TYPE_CHECKING, Any

import vntext
from search.backends.postgres_rank import (
    DETOASTED,
    FACET_GROUP,
    FACET_PAD,
    ITEM_FIELDS,
    ROW_FIELDS,
    SAMPLE_BUCKETS,
    WEIGHTED,
    lexeme,
    tsquery_literal,
    upper_bound,
)
from search.backends.sql.connection import Db
from search.backends.sql.facets import BUCKETS, OnePass
from search.backends.sql.rerank import FirstStage
from search.documents import FacetValue


class PostgresSample:
    """Mixed into :class:`search.backends.postgres.PostgresBackend`; needs what it declares below."""

    db: Db
    t: str
    sample_rows: int
    rare_rows: int
    pairs: int
    pair_rows: int
    sample_filter_from: int

    if TYPE_CHECKING:  # provided by PostgresFirstStage
        def _score_sql(self, weighted: list[str], dfs: dict[str, int]) -> tuple[str, list[Any]]: ...

        def _terms_parts(self, top: str) -> tuple[str, list[str]]: ...

        @staticmethod
        def _read_terms(rows: list[tuple[Any, ...]]) -> tuple[dict[int, str], dict[int, str]]: ...

    def _sampled(self, should: list[str], groups: list[list[str]], where: str, params: list[Any], limit: int,
                 dfs: dict[str, int], *, words: int = 0, facets: bool = False) -> FirstStage:
        """A broad match (more than ROW_MAX rows) without visiting every matching row.

        Term at a time, every matching row is read from the heap once per term (1 µs a row: 0.5–1 s for a
        one-syllable query at 200,000 passages).  Instead the candidates are (1) every matching row holding
        one of the query's rarest terms, as many of them as hold at most ROW_MAX rows together (the rows a
        question's answer is most likely in, and the only ones that can outscore the rest), (2) the
        matching rows of a sample of whole items (the first buckets, see below) sized to hold about
        ``SAMPLE_ROWS`` rows by the document frequencies, and (3) the rows holding two of the query's PAIRS
        next-rarest terms — or three, four, when the sample puts those holding two above PAIR_ROWS.  All are
        scored on every weighted term (the term-at-a-time score) and the top ``limit`` kept.  The item count is estimated from the sample (at
        least the items found) and marked approximate; facets are then counted over the candidates by the
        caller."""
        t = self.t
        weighted = should[:WEIGHTED]
        rare: list[str] = []
        held = 0
        for term in sorted(should, key=lambda w: dfs.get(w, 0)):
            if held + dfs.get(term, 0) > self.rare_rows:
                break
            rare.append(term)
            held += dfs.get(term, 0)
        # The next-rarest terms, by their folded form (a row holding "học" holds "hoc": one group), not the
        # required words (ANDed with the groups, a pair of them is the whole match).
        required = {t for g in groups for t in g}
        folds: dict[str, list[str]] = {}
        if self.pairs and words > 2:
            mid = [w for w in sorted(should, key=lambda w: dfs.get(w, 0))
                   if w not in rare and vntext.fold(w) not in required][: self.pairs]
            for w in mid:
                folds.setdefault(vntext.fold(w), []).append(w)
        bound = upper_bound(should, groups, dfs)
        # A sample of whole items: those in the first ``k`` buckets (every item's passages together, and the
        # buckets spread evenly over consecutive items), so that the matching items among them, scaled by
        # BUCKETS / k, estimate the count without cutting an item in two.
        k = min(BUCKETS, max(1, math.ceil(BUCKETS * self.sample_rows / max(bound, 1))))
        whole = k >= BUCKETS  # the sample is every matching row: no other branch adds one
        sets = [" | ".join(lexeme(w) for w in ws) for ws in folds.values()] if len(folds) > 1 and not whole else []
        need = "" if not groups else " & " + tsquery_literal([], groups)
        score, score_params = self._score_sql(weighted, dfs)
        # Each branch's rows with their vector read once (``v``), scored, and whether in the sample (``r``).
        fields = f"p.id, p.page, {ROW_FIELDS}, {DETOASTED} AS v, p.bucket < %s AS r FROM {t}passage p"

        def branch(cond: str, cond_params: list[Any], extra: str = "0", extra_params: tuple[Any, ...] = ()
                   ) -> tuple[str, list[Any]]:
            return (f"SELECT m.id, m.page, {ITEM_FIELDS}, {score} AS score, m.r, {extra} AS mids FROM "
                    f"(SELECT {fields} WHERE {cond} AND {where} OFFSET 0) m",
                    [*score_params, *extra_params, k, *cond_params, *params])

        tier = next((n for n in SAMPLE_BUCKETS if k <= n), 0)
        if tier:
            # Read from the partial GIN index over the first ``tier`` buckets (its condition written out, so
            # whatever the client's binding), the first ``k`` kept by a filter (``+ 0``: not by ANDing the
            # bucket btree's bitmap, which the planner prefers from misestimated GIN selectivities and which
            # reads the whole index's long lists: a question's bitmap 10.9 → 5.0 ms at 200,000 rows).
            sample_cond = f"p.tsv @@ %s::tsquery AND p.bucket < {tier} AND p.bucket + 0 < %s"
        elif k >= self.sample_filter_from:  # most of the buckets: filtered (see SAMPLE_FILTER_FROM)
            sample_cond = "p.tsv @@ %s::tsquery AND p.bucket + 0 < %s"
        else:
            sample_cond = "p.tsv @@ %s::tsquery AND p.bucket < %s"
        # How many of the next-rarest term sets each sampled row holds: the sample estimates how many rows
        # hold two, three … of them in the whole index.
        held_sql = " + ".join("(m.v @@ %s::tsquery)::int" for _ in sets) or "0"
        sample_sql, sample_params = branch(sample_cond, [tsquery_literal(should, groups), k], held_sql, tuple(sets))
        more: list[tuple[str, list[Any]]] = []
        if rare and not whole:
            more.append(branch("p.tsv @@ %s::tsquery", [f"({tsquery_literal(rare, [])}){need}"]))
        # The rows holding ``n`` of the sets, for the least ``n`` whose rows the sample puts within PAIR_ROWS
        # (a broad keyword query at 1 M passages: 33,000 rows held two of its four sets, 190 ms; holding three
        # is a sharper and smaller candidate set).  A branch whose condition is false is not scanned.
        levels = range(2, len(sets) + 1)
        for n in levels:
            combos = " | ".join("(" + " & ".join(f"({x})" for x in combo) + ")"
                                for combo in itertools.combinations(sets, n))
            fits = f"(SELECT e[{n - 1}] FROM est) * {BUCKETS} <= {int(self.pair_rows)} * {k}"
            over = f"(SELECT e[{n - 2}] FROM est) * {BUCKETS} > {int(self.pair_rows)} * {k}" if n > 2 else "TRUE"
            more.append(branch(f"{fits} AND {over} AND p.tsv @@ %s::tsquery", [f"({combos}){need}"]))
        counts = ", ".join(f"COUNT(*) FILTER (WHERE mids >= {n})" for n in levels) or "0"
        union = " UNION ALL ".join(["SELECT * FROM smp", *(sql for sql, _ in more)])
        unique = "DISTINCT ON (u.id) " if more else ""
        # Every row picked matches the query (the rare terms and sets are among its terms, with its groups),
        # so the picked rows of the sampled buckets are all their matching rows.
        # Facets, if asked for, in the same statement: over the items of the candidates (what the caller
        # would count them over), or over every matching row when the sample is the whole index.
        facet_sql = ""
        if facets:
            facet_sql = (f" UNION ALL SELECT 'g', COUNT(DISTINCT item_id), COUNT(*), NULL, {FACET_GROUP} "
                         f"FROM {'s' if whole else 'top'} GROUP BY {FACET_GROUP}")
        terms_cte, terms_parts = self._terms_parts("top")
        rows = self.db.fetchall(
            f"WITH smp AS MATERIALIZED ({sample_sql}), "
            f"est AS MATERIALIZED (SELECT ARRAY[{counts}] AS e FROM smp), "
            f"s AS MATERIALIZED (SELECT {unique}u.* FROM ({union}) u), "
            f"top AS MATERIALIZED (SELECT * FROM s ORDER BY s.score DESC, s.id LIMIT %s), {terms_cte} "
            f"SELECT 'hit', top.id, top.item_id, top.page{FACET_PAD} FROM top "
            f"UNION ALL {' UNION ALL '.join(terms_parts)} "
            f"UNION ALL SELECT 'count', COUNT(DISTINCT item_id), COUNT(DISTINCT item_id) FILTER (WHERE r), "
            f"NULL{FACET_PAD} FROM s" + facet_sql,
            [*sample_params, *(x for _, ps in more for x in ps), limit])
        hits = [(int(a), b, c) for kind, a, b, c, *_ in rows if kind == "hit"]
        found, in_sample = next((int(a), int(b)) for kind, a, b, *_ in rows if kind == "count")
        values: dict[str, list[FacetValue]] | None = None
        if facets:
            one = OnePass()
            for kind, a, b, _c, *group in rows:
                if kind == "g":
                    one.group(a, b, group)
            values = one.facets_of_groups()
        terms = self._read_terms(rows)
        if whole:
            return FirstStage(hits, in_sample, values, terms=terms)
        estimate = max(found, round(in_sample * BUCKETS / k))
        return FirstStage(hits, estimate, values, approximate=True, facets_approximate=True, terms=terms)
