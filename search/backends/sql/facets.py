"""Counting a match's items and their facet values, shared by the SQL backends (a mixin of
:class:`~search.backends.sql.backend.SqlSearchBackend`), and the collector of a one-pass first stage."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from orgs.access import AccessScope
from search.backends.sql.connection import Db
from search.backends.sql.rerank import FirstStage
from search.backends.sql.where import FACET_SQL
from search.documents import FacetValue
from search.filters import FACETS, check

# An item's bucket, 0 to BUCKETS - 1: its id times an odd number, modulo BUCKETS, so that any BUCKETS consecutive
# items fill every bucket once.  Browsing samples items by it; PostgreSQL stores it (postgres.BUCKET_SQL).
BUCKETS = 1024
ITEM_HASH = 40503
HEADS = "p.page = 0"  # every item's head row (page 0), one per item: the match of a query without text


def bucket_sql(item_id: str) -> str:
    """An item's bucket in SQL both backends run (no ``%``: the Django cursor reads it as a placeholder)."""
    return f"{item_id} * {ITEM_HASH} - ({item_id} * {ITEM_HASH} / {BUCKETS}) * {BUCKETS}"


def sort_facets(out: dict[str, list[FacetValue]]) -> dict[str, list[FacetValue]]:
    """Years and decades newest first, the other facets by count, then value."""
    for name, values in out.items():
        if name in ("year", "decade"):
            values.sort(key=lambda v: v.value, reverse=True)
        else:
            values.sort(key=lambda v: (-v.count, v.value))
    return out


class OnePass:
    """Collects the rows of a backend's one-pass first stage (candidates, count, facets) into a FirstStage."""

    def __init__(self) -> None:
        self.hits: list[tuple[Any, ...]] = []
        self.count = self.n_rows = 0
        self.facets: dict[str, list[FacetValue]] = {name: [] for name in FACETS}
        self._totals: dict[tuple[str, Any], int] = {}

    def facet(self, name: str, value: Any, count: Any) -> None:
        if value not in (None, ""):
            self.facets[name].append(FacetValue(value=str(value), label=str(value), count=int(count)))

    def group(self, items: Any, rows: Any, values: Sequence[Any]) -> None:
        """One group of a GROUP BY by every facet value at once (:data:`FACETS` order): its items and rows.
        Every row of an item carries the item's fields, so an item is in one group and the groups' items sum
        to the count.  The facets are read with :meth:`facets_of_groups`."""
        self.count += int(items)
        self.n_rows += int(rows)
        for name, value in zip(FACETS, values, strict=True):
            self._totals[name, value] = self._totals.get((name, value), 0) + int(items)

    def facets_of_groups(self) -> dict[str, list[FacetValue]]:
        for (name, value), n in self._totals.items():
            self.facet(name, value, n)
        self._totals = {}
        return sort_facets(self.facets)

    def result(self, *, facets: bool, maybe_broad: bool, limit: int) -> FirstStage:
        """Facets are exact unless the match may be broad and filled ``limit`` (the caller then counts them
        over the candidates)."""
        exact = facets and not (maybe_broad and self.n_rows >= limit)
        return FirstStage(self.hits, self.count, self.facets_of_groups() if exact else None)


class Facets:
    """Mixed into the SQL backend; needs what it declares below."""

    db: Db
    t: str
    facet_exact: int
    bucket_expr = bucket_sql("p.item_id")  # an item's bucket (a vendor may store it)
    passage_count: Callable[[], int]
    heads_count: Callable[[AccessScope, dict[str, Any]], int | None]
    heads_facets: Callable[[AccessScope], tuple[int, dict[str, list[FacetValue]]] | None]

    def _browse_counts(self, scope: AccessScope, filters: dict[str, Any], where: str, params: list[Any],
                       facets: bool) -> tuple[int, dict[str, list[FacetValue]], bool]:
        """Browsing without text: the count and facets (marked approximate when sampled).  From the counts kept
        at index time (:mod:`search.backends.sql.heads`, exact) where they tell them: both without filters for
        a scope with no rule by unit, the count with one filter on a facet for such a scope, and without
        filters for any scope; otherwise the head rows in scope are counted."""
        filters = check(filters)
        kept_facets = self.heads_facets(scope) if facets and not filters else None
        if kept_facets is not None:
            return kept_facets[0], kept_facets[1], False
        kept = self.heads_count(scope, filters)
        if not facets:
            if kept is None:
                kept = self._count_and_facets(HEADS, [], where, params, False, heads=True)[0]
            return kept, {}, False
        if self.passage_count() > self.facet_exact:
            return self._browse_count_and_facets(where, params, kept)
        exact, values = self._count_and_facets(HEADS, [], where, params, True, heads=True)
        return exact, values, False

    def _browse_count_and_facets(self, where: str, params: list[Any], count: int | None = None
                                 ) -> tuple[int, dict[str, list[FacetValue]], bool]:
        """Browsing without text: the items in scope counted exactly (one head row each); when there are more
        than FACET_EXACT, the facets counted over a sample of about that many of them (a hash of the item id,
        so that the sample follows no order of import), scaled to the count and marked approximate.
        500,000 items, SQLite: 2.0–2.2 s exact, see bench/search/RESULTS.md (stop 17)."""
        if count is None:
            count = self._count_and_facets(HEADS, [], where, params, False, heads=True)[0]
        if count <= self.facet_exact:
            exact, values = self._count_and_facets(HEADS, [], where, params, True, heads=True)
            return exact, values, False
        cut = -(-BUCKETS * self.facet_exact // count)
        sample, values = self._count_and_facets(f"{HEADS} AND {self.bucket_expr} < {cut}", [], where, params,
                                                True, heads=True)
        if not sample:
            return count, {name: [] for name in values}, True
        scaled = {name: [FacetValue(value=v.value, label=v.label, count=max(1, round(v.count * count / sample)))
                         for v in found] for name, found in values.items()}
        return count, scaled, True

    def _count_and_facets(self, match: str, mparams: list[Any], where: str, params: list[Any],
                          facets: bool, *, few: bool = False, heads: bool = False
                          ) -> tuple[int, dict[str, list[FacetValue]]]:
        """The matching items and their facet values.  ``heads``: the match is of head rows only, one per item
        (nothing to make distinct: browsing 500,000 items with facets, SQLite 1.6 → 1.1 s).  ``few``: the match is a few hundred items at most (the
        candidates' head rows): one GROUP BY by every facet value at once, its groups summed in Python (stop
        17: 100k bench 2.11 → 1.64 ms a query); otherwise a GROUP BY per facet, whose values are few while the
        items (browsing) may be 500,000."""
        cols = "p.item_id, p.doc_type, p.issuer, p.year, p.unit_id, p.collection_id, p.access"
        distinct = "" if heads else "DISTINCT "
        base = f"SELECT {distinct}{cols} FROM {self.t}passage p WHERE {match} AND {where}"
        if not facets:
            counted = "COUNT(*)" if heads else "COUNT(DISTINCT p.item_id)"
            rows = self.db.fetchall(f"SELECT {counted} FROM {self.t}passage p WHERE {match} AND {where}",
                                    [*mparams, *params])
            return int(rows[0][0]), {}
        out: dict[str, list[FacetValue]] = {name: [] for name in FACETS}
        count = 0
        if few:  # an item is one row of ``base``, so in one group: the groups' sizes summed
            exprs = ", ".join(FACET_SQL[name] for name in FACETS)
            one = OnePass()
            for *values, n in self.db.fetchall(f"SELECT {exprs}, COUNT(*) FROM ({base}) m GROUP BY {exprs}",
                                               [*mparams, *params]):
                one.group(n, n, values)
            return one.count, one.facets_of_groups()
        parts = ["SELECT 'count', '', COUNT(*) FROM m"]
        for name in FACETS:
            expr = FACET_SQL[name]
            parts.append(f"SELECT '{name}', {expr}, COUNT(*) FROM m GROUP BY {expr}")
        sql = f"WITH m AS ({base}) " + " UNION ALL ".join(parts)
        for name, value, n in self.db.fetchall(sql, [*mparams, *params]):
            if name == "count":
                count = int(n)
            elif value not in (None, ""):
                out[name].append(FacetValue(value=str(value), label=str(value), count=int(n)))
        return count, sort_facets(out)
