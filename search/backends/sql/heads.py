"""Facet counts of the items, kept at index time, for browsing without text (a mixin of
:class:`~search.backends.sql.backend.SqlSearchBackend`).

``<prefix>heads`` holds, for every facet value (:data:`FACET_SQL`), the number of items with it by access level
(``by_unit`` 0), and the number of items of each level other than public by owning unit (``by_unit`` 1, facet
``access``, with the unit's id and path).  The ``access`` facet counts every item once, so the items of any
:class:`~orgs.access.AccessScope` are a sum of its rows (a public rule sees every public item, the other rules
a level in some units); the facets, and one filter on a facet (``type``, ``issuer``, ``year``, ``unit``,
``collection``, ``access``: type and issuer rows also carry the code and folded name their filters match), are
counted from the table for a scope whose rules all see their level anywhere (everyone, the public, a superuser).
Every facet by unit would be 4 times the rows a write updates (1,900 a batch of 500 bench documents) and cost a
tenth of a load (bench/search/RESULTS.md, stop 21): a member's facets are sampled as before.

Every write counts its items' head rows (page 0) out as they were before it and in as it wrote them, at its end
and in its transaction (an interrupted load leaves counts that match the rows it committed; a document written
twice is counted once).  An index made before the table (migration ``0009``) is counted once by
:meth:`Heads.ensure_heads`, from its head rows.
"""

from __future__ import annotations

from typing import Any

from orgs.access import PUBLIC_SCOPE, AccessScope
from search.backends.sql.connection import Db
from search.backends.sql.facets import sort_facets
from search.backends.sql.rows import COLUMNS
from search.backends.sql.where import FACET_SQL, chunks, marks, rule_units_sql, text_match
from search.documents import FacetValue
from search.filters import FACETS

HEADS_TABLES = (
    "CREATE TABLE IF NOT EXISTS {t}heads (k TEXT PRIMARY KEY, facet TEXT NOT NULL, value TEXT, code TEXT, fkey TEXT, "
    "access TEXT NOT NULL, by_unit INTEGER NOT NULL, unit_id BIGINT, unit_path TEXT, n BIGINT NOT NULL)",
    # what a read selects by (the by-unit rows are most of the table)
    "CREATE INDEX IF NOT EXISTS {t}heads_read ON {t}heads (by_unit, access, facet)",
)
# The code and folded name a facet's filter matches (search.backends.sql.where._text), else none.
_MATCHED = {"type": ("doc_type_code", "doc_type_key"), "issuer": ("issuer_code", "issuer_key")}
_COLUMNS = "k, facet, value, code, fkey, access, by_unit, unit_id, unit_path, n"
_TYPES = ("text", "text", "text", "text", "text", "text", "int", "bigint", "text", "bigint")
# One filter the table counts: the facet, and how its value is matched.
_COUNTED = {"type": "text", "issuer": "text", "year": "int", "unit": "int", "collection": "int", "access": "text"}
_SEP = "'/'"  # between the parts of a row's key: values are joined with their lengths, so no separator is ambiguous


def _key_part(expr: str) -> str:
    return f"CAST(LENGTH(COALESCE({expr}, '')) AS TEXT) || {_SEP} || COALESCE({expr}, '')"


def _part(value: Any) -> str:
    """:func:`_key_part` in Python: the same string for the same value."""
    text = "" if value is None else str(value)
    return f"{len(text)}/{text}"


_ROW = [COLUMNS.index(c) for c in ("page", "access", "unit_id", "unit_path", "doc_type", "doc_type_code",
                                    "doc_type_key", "issuer", "issuer_code", "issuer_key", "year", "collection_id")]
_NAME = {name: _part(name) + "|" for name in FACETS}
_PAGE = COLUMNS.index("page")


def anywhere(scope: AccessScope) -> bool:
    """Whether every rule of ``scope`` sees its access level anywhere (no rule by unit)."""
    return all(rule.anywhere for rule in scope.rules())


def _head_keys(row: tuple[Any, ...]) -> list[tuple[Any, ...]]:
    """A head row's rows of the table (the key and every column but ``n``), as :meth:`Heads._heads_rows_sql`
    makes them (FACET_SQL's values: the year's decade by integer division, ids as text); ~10 µs a row."""
    _page, access, unit_id, unit_path, doc_type, type_code, type_key, issuer, issuer_code, issuer_key, year, \
        collection_id = (row[i] for i in _ROW)
    years = (None, None) if year is None else (str(year), str(year // 10 * 10))
    values = (("type", doc_type, type_code, type_key), ("issuer", issuer, issuer_code, issuer_key),
              ("year", years[0], None, None), ("decade", years[1], None, None),
              ("unit", None if unit_id is None else str(unit_id), None, None),
              ("collection", None if collection_id is None else str(collection_id), None, None),
              ("access", access, None, None))
    tail = f"|{_part(access)}|1/0|0/|0/"  # access, by_unit 0, no unit
    out = [(f"{_NAME[name]}{_part(value)}|{_part(code)}|{_part(fkey)}{tail}", name, value, code, fkey, access, 0,
            None, None) for name, value, code, fkey in values]
    if access != "public":
        out.append((f"{_NAME['access']}{_part(access)}|0/|0/|{_part(access)}|1/1|{_part(unit_id)}|{_part(unit_path)}",
                    "access", access, None, None, access, 1, unit_id, unit_path))
    return out


class Heads:
    """Mixed into the SQL backend; needs what it declares below."""

    db: Db
    t: str

    def _heads_rows_sql(self, cond: str, sign: int = 1) -> str:
        """The table's rows for the head rows matching ``cond`` (on alias ``p``), their counts times ``sign``."""
        columns = ", ".join(f"{FACET_SQL[name]} AS f_{name}" for name in FACETS)
        matched = ", ".join(f"{c}" for pair in _MATCHED.values() for c in pair)
        parts = []
        for name in FACETS:
            code, fkey = _MATCHED.get(name, ("NULL", "NULL"))
            parts.append(f"SELECT '{name}' AS facet, f_{name} AS value, {code} AS code, {fkey} AS fkey, access, "
                         f"unit_id, unit_path FROM h")
        unit_id, unit_path = "CASE WHEN b.u = 1 THEN unit_id END", "CASE WHEN b.u = 1 THEN unit_path END"
        grouped = (f"SELECT facet, value, code, fkey, access, b.u AS by_unit, {unit_id} AS unit_id, "
                   f"{unit_path} AS unit_path, {sign} * COUNT(*) AS n FROM ({' UNION ALL '.join(parts)}) r "
                   f"CROSS JOIN (SELECT 0 AS u UNION ALL SELECT 1) b WHERE b.u = 0 OR (r.access <> 'public' AND facet = 'access') "
                   f"GROUP BY facet, value, code, fkey, access, b.u, {unit_id}, {unit_path}")
        key = " || '|' || ".join(_key_part(c) for c in ("facet", "value", "code", "fkey", "access",
                                                          "CAST(by_unit AS TEXT)", "CAST(unit_id AS TEXT)", "unit_path"))
        return (f"WITH h AS MATERIALIZED (SELECT {columns}, {matched}, access, unit_id, unit_path "
                f"FROM {self.t}passage p WHERE p.page = 0 AND {cond}) "
                f"SELECT {key} AS k, facet, value, code, fkey, access, by_unit, unit_id, unit_path, n "
                f"FROM ({grouped}) g WHERE 1 = 1")

    def _heads_of(self, item_ids: list[int]) -> list[tuple[Any, ...]]:
        """These items' rows of the table as their head rows are now, counted out: read before a write replaces
        or removes them, applied after it by :meth:`_count_heads`."""
        rows: list[tuple[Any, ...]] = []
        for chunk in chunks(item_ids, 500):
            # ids written into the statement (integers): 500 placeholders cost the probe more than it saves
            cond = f"p.item_id IN ({', '.join(str(int(i)) for i in chunk)})"
            if self.db.fetchall(f"SELECT 1 FROM {self.t}passage p WHERE p.page = 0 AND {cond} LIMIT 1"):
                rows += self.db.fetchall(self._heads_rows_sql(cond, -1))  # (new items: the probe only)
        return rows

    def _count_heads(self, rows: list[tuple[Any, ...]], gone: list[tuple[Any, ...]]) -> None:
        """The head rows among ``rows`` (as written, :data:`~search.backends.sql.rows.COLUMNS`) counted in and
        ``gone`` (:meth:`_heads_of`) counted out, in one upsert of the summed counts by key, at the end of the
        write: on PostgreSQL after the stat table's row that the write updated, and in key order, so that two
        writers never wait for each other.  A count fallen to 0 stays until :meth:`ensure_heads` (reads skip
        it).  Counted here, not by a statement over the written rows: that cost 13 % of a load (stop 21)."""
        counts: dict[str, int] = {}
        columns: dict[str, tuple[Any, ...]] = {}
        for row in gone:
            columns.setdefault(row[0], tuple(row[:-1]))
            counts[row[0]] = counts.get(row[0], 0) + int(row[-1])
        for row in rows:
            if row[_PAGE] == 0:
                for key in _head_keys(row):
                    columns.setdefault(key[0], key)
                    counts[key[0]] = counts.get(key[0], 0) + 1
        t = self.t
        changed = [(*columns[k], n) for k, n in sorted(counts.items()) if n]
        if changed and self.db.vendor == "postgresql":  # one array a column (a placeholder a value: twice as slow)
            arrays = [list(column) for column in zip(*changed, strict=True)]
            self.db.execute(
                f"INSERT INTO {t}heads ({_COLUMNS}) SELECT * FROM unnest({', '.join(f'%s::{c}[]' for c in _TYPES)}) "
                f"ON CONFLICT (k) DO UPDATE SET n = {t}heads.n + EXCLUDED.n", arrays)
            return
        for part in chunks(changed, 200):
            self.db.execute(f"INSERT INTO {t}heads ({_COLUMNS}) VALUES {', '.join(f'({marks(r)})' for r in part)} "
                            f"ON CONFLICT (k) DO UPDATE SET n = {t}heads.n + EXCLUDED.n", [v for r in part for v in r])

    def clear_heads(self) -> None:
        """After the index's rows are removed: no items counted (and counted from the start)."""
        self.db.execute(f"DELETE FROM {self.t}heads")
        self.db.execute(f"INSERT INTO {self.t}stat (key, value) VALUES ('heads', 1) ON CONFLICT (key) DO NOTHING")

    def ensure_heads(self) -> None:
        """Count every item into the table if it was never counted (an index made before it); else remove the
        counts fallen to 0."""
        t = self.t
        if self.db.fetchall(f"SELECT 1 FROM {t}stat WHERE key = 'heads'"):
            if self.db.fetchall(f"SELECT 1 FROM {t}heads WHERE n <= 0 LIMIT 1"):  # (a first load deletes nothing)
                self.db.execute(f"DELETE FROM {t}heads WHERE n <= 0")
            return
        with self.db.atomic():
            self.db.execute(f"DELETE FROM {t}heads")
            self.db.execute(f"INSERT INTO {t}heads ({_COLUMNS}) {self._heads_rows_sql('1 = 1')}")
            self.db.execute(f"INSERT INTO {t}stat (key, value) VALUES ('heads', 1) ON CONFLICT (key) DO NOTHING")

    def _heads_scope(self, scope: AccessScope) -> tuple[str, list[Any]]:
        """The rows of ``heads`` (alias ``h``) that count the items ``scope`` sees, each item once per facet
        (only facet ``access`` for a scope with a rule by unit: see :func:`anywhere`)."""
        if scope.everything:
            return "h.by_unit = 0", []
        parts: list[str] = []
        params: list[Any] = []
        for rule in scope.rules():
            if rule.anywhere:
                parts.append("(h.by_unit = 0 AND h.access = %s)")
                params.append(rule.level)
                continue
            units, unit_params = rule_units_sql(rule, "h")
            parts.append(f"(h.by_unit = 1 AND h.access = %s AND {units})")
            params.extend([rule.level, *unit_params])
        return "(" + " OR ".join(parts) + ")", params

    def heads_count(self, scope: AccessScope = PUBLIC_SCOPE, filters: dict[str, Any] | None = None) -> int | None:
        """The items ``scope`` sees with at most one filter on a facet, from the table; None for other filters,
        and for a filter when ``scope`` has a rule by unit."""
        cond, params = self._heads_scope(scope)
        facet, fcond = "access", "1 = 1"
        fparams: list[Any] = []
        if filters:
            if len(filters) > 1 or not anywhere(scope):
                return None
            (name, value), = filters.items()
            kind = _COUNTED.get(name)
            if kind is None:
                return None
            facet = name
            if name in _MATCHED:  # the code ("QĐ") or the folded name, as the filter matches them
                fcond, fparams = text_match("h.code", "h.fkey", value)
            elif kind == "int":
                fcond, fparams = "h.value = %s", [str(int(value))]
            else:
                fcond, fparams = "h.value = %s", [str(value)]
        rows = self.db.fetchall(f"SELECT SUM(h.n) FROM {self.t}heads h WHERE h.facet = %s AND {cond} AND {fcond}",
                                [facet, *params, *fparams])
        return int(rows[0][0] or 0)

    def heads_facets(self, scope: AccessScope) -> tuple[int, dict[str, list[FacetValue]]] | None:
        """The items ``scope`` sees and their facet values (exact), from the table; None when ``scope`` has a
        rule by unit."""
        if not anywhere(scope):
            return None
        cond, params = self._heads_scope(scope)
        out: dict[str, list[FacetValue]] = {name: [] for name in FACETS}
        count = 0
        for facet, value, n in self.db.fetchall(
                f"SELECT h.facet, h.value, SUM(h.n) FROM {self.t}heads h WHERE {cond} GROUP BY h.facet, h.value",
                params):
            if facet == "access":
                count += int(n)
            if value not in (None, "") and int(n) > 0:
                out[facet].append(FacetValue(value=str(value), label=str(value), count=int(n)))
        return count, sort_facets(out)

