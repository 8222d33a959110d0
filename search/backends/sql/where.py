"""WHERE clauses: the declared filters (:mod:`search.filters`) and the access scope (:mod:`orgs.access`) as SQL.

The access SQL is compiled from :meth:`orgs.access.AccessScope.rules`, the same rules ``can_view`` and
``visible_q`` are compiled from; nothing is filtered afterwards in Python.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

from orgs.access import AccessRule, AccessScope
from search.backends.sql.rows import fold_key
from search.filters import check

T = TypeVar("T")

FACET_SQL = {
    "type": "doc_type",
    "issuer": "issuer",
    "year": "CAST(year AS TEXT)",
    "decade": "CAST((year / 10) * 10 AS TEXT)",
    "unit": "CAST(unit_id AS TEXT)",
    "collection": "CAST(collection_id AS TEXT)",
    "access": "access",
}


def chunks(seq: Sequence[T], n: int) -> Iterator[Sequence[T]]:
    for i in range(0, len(seq), n):
        yield seq[i : i + n]


def marks(seq: Sequence[Any]) -> str:
    return ", ".join(["%s"] * len(seq))


def in_list(column: str, values: Sequence[Any], vendor: str) -> tuple[str, list[Any]]:
    """``column`` among ``values`` (not empty): one array parameter on PostgreSQL, whose client binds each
    placeholder into the statement's text (100 ids: 9.2 → 7.0 ms a statement at load 5, bench/search/RESULTS.md,
    stop 16); a placeholder each elsewhere."""
    if vendor == "postgresql":
        return f"{column} = ANY(%s)", [list(values)]
    return f"{column} IN ({marks(values)})", list(values)


def like_prefix(prefix: str) -> str:
    # Unit and collection paths are digits and dots: nothing to escape for LIKE.
    if not re.fullmatch(r"[0-9.]*", prefix):
        raise ValueError("unexpected path")
    return prefix + "%"


def _iso_value(value: Any) -> str:
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def boolean_query(should: list[str], groups: list[list[str]], *, term: Callable[[str], str], any_of: str,
                  all_of: str) -> str:
    """Any of ``should`` and all terms of every group, in a backend's syntax (``term`` quotes one term)."""
    parts = []
    if should:
        parts.append("(" + any_of.join(term(t) for t in should) + ")")
    for group in groups:
        parts.append("(" + all_of.join(term(t) for t in group) + ")")
    return all_of.join(parts)


def access_sql(scope: AccessScope, a: str = "p") -> tuple[str, list[Any]]:
    """The SQL form of ``scope`` over passage rows aliased ``a`` (access, unit_id, unit_path)."""
    if scope.everything:
        return "1 = 1", []
    parts: list[str] = []
    params: list[Any] = []
    for rule in scope.rules():
        if rule.anywhere:
            parts.append(f"{a}.access = %s")
            params.append(rule.level)
            continue
        units, unit_params = rule_units_sql(rule, a)
        parts.append(f"({a}.access = %s AND {units})")
        params.extend([rule.level, *unit_params])
    return "(" + " OR ".join(parts) + ")", params


def rule_units_sql(rule: AccessRule, a: str) -> tuple[str, list[Any]]:
    """The units a rule by unit (not ``anywhere``) sees, over rows
    aliased ``a`` (unit_id, unit_path): under its paths, its unit ids, or no unit at all."""
    units = [f"{a}.unit_path IS NULL"]
    params: list[Any] = []
    for path in rule.paths:
        units.append(f"{a}.unit_path LIKE %s")
        params.append(like_prefix(path))
    ids = sorted(rule.unit_ids)
    if ids:
        units.append(f"{a}.unit_id IN ({marks(ids)})")
        params.extend(ids)
    return "(" + " OR ".join(units) + ")", params


def text_match(code: str, key: str, value: Any) -> tuple[str, list[Any]]:
    """A type or issuer filter over the columns ``code`` and ``key``: the code ("QĐ", "UBND") or the folded name."""
    return f"({code} = %s OR {key} = %s)", [str(value).upper(), fold_key(str(value))]


def _text(a: str, name: str, value: Any) -> tuple[str, list[Any]]:
    return text_match(f"{a}.{name}_code", f"{a}.{name}_key", value)


def _filter_sql(name: str, value: Any, a: str) -> tuple[str, list[Any]]:
    if name == "type":
        return _text(a, "doc_type", value)
    if name == "issuer":
        return _text(a, "issuer", value)
    if name == "year":
        return f"{a}.year = %s", [int(value)]
    if name == "decade":
        return f"{a}.year >= %s AND {a}.year < %s", [int(value), int(value) + 10]
    if name == "date_from":
        return f"{a}.date_to >= %s", [_iso_value(value)]
    if name == "date_to":
        return f"{a}.date_from <= %s", [_iso_value(value)]
    if name in ("unit", "collection"):
        return f"{a}.{name}_id = %s", [int(value)]
    if name in ("unit_path", "collection_path"):
        return f"{a}.{name} LIKE %s", [like_prefix(str(value))]
    if name in ("access", "kind"):
        return f"{a}.{name} = %s", [str(value)]
    if name == "ids":
        ids = [int(v) for v in value]
        return (f"{a}.item_id IN ({marks(ids)})" if ids else "1 = 0"), ids
    raise AssertionError(f"filter {name} is declared in search.filters but not compiled here")


def date_range_sql(filters: dict[str, Any], a: str = "p") -> tuple[str, list[Any]]:
    """`` AND`` the range of ``a.date_from`` a year or decade filter implies (an item's year is its first
    date's), else nothing: a condition the date order's index reads as a range."""
    years = check(filters)
    if "year" in years:
        first, last = int(years["year"]), int(years["year"]) + 1
    elif "decade" in years:
        first, last = int(years["decade"]), int(years["decade"]) + 10
    else:
        return "", []
    if not 1 <= first <= 9998:
        return "", []
    return f" AND {a}.date_from >= %s AND {a}.date_from < %s", [f"{first:04d}-01-01", f"{min(last, 9999):04d}-01-01"]


def filters_sql(filters: dict[str, Any], a: str = "p") -> tuple[list[str], list[Any]]:
    """Conditions for the declared filters (:func:`search.filters.check` refuses any other name)."""
    conds: list[str] = []
    params: list[Any] = []
    for name, value in check(filters).items():
        sql, values = _filter_sql(name, value, a)
        conds.append(sql)
        params += values
    return conds, params
