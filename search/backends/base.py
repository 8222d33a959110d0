"""The backend interface and the SQL shared by the SQLite and PostgreSQL backends.

One row per passage in ``<prefix>passage``: page 0 is the item's head (title, symbol, type, issuer, summary,
keywords, places) and pages 1… its text.  Every row carries the item's access level, owning unit (id and
materialised path), collection, type, issuer and dates, so that access and filters are plain SQL conditions
inside the same query that matches the text — nothing is filtered afterwards in Python.

A backend only has to say how terms are stored and matched (FTS5 table or tsvector column), how candidates are
ordered in the first stage, and how many passages hold a term; candidates are ranked by
:mod:`search.ranking`, aggregated to items and highlighted here, identically for every backend.

Speed (bench/search, 100k passages): the first stage requires every *distinctive* content word of the query
(AND) and falls back to the OR of the selective terms only when that finds fewer than ``AND_MIN`` passages;
it hands at most ``CANDIDATES`` rows to Python.  ``count`` is always exact; facet counts are exact unless
the match is broad (an estimated ``FACET_EXACT`` passages or more), when they are counted over the ranked
candidates and the result carries ``facets_approximate = True`` (``"facets_approximate": true`` in the
JSON; the key is absent when the counts are exact).  Document frequencies come from a snapshot table.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import sqlite3
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, Protocol

import vntext
from orgs.access import PUBLIC_SCOPE, AccessScope
from search.analysis import symbol_key, symbol_keys_in, text_terms
from search.documents import FacetValue, Hit, Results, SearchDocument
from search.highlight import snippet
from search.query import ParsedQuery, parse_query
from search.ranking import EMPTY, Scorer, field_stats

FACETS = ("type", "issuer", "year", "decade", "unit", "collection", "access")
_FACET_SQL = {
    "type": "doc_type",
    "issuer": "issuer",
    "year": "CAST(year AS TEXT)",
    "decade": "CAST((year / 10) * 10 AS TEXT)",
    "unit": "CAST(unit_id AS TEXT)",
    "collection": "CAST(collection_id AS TEXT)",
    "access": "access",
}
COLUMNS = (
    "item_id", "page", "title", "text", "head_terms", "body_terms", "access", "unit_id", "unit_path",
    "collection_id", "collection_path", "doc_type", "doc_type_code", "doc_type_key", "issuer", "issuer_code",
    "issuer_key", "year", "date_from", "date_to", "kind", "symbol",
)
TEXT_COLUMNS = ("title", "text", "head_terms", "body_terms")
META_COLUMNS = tuple(c for c in COLUMNS if c not in TEXT_COLUMNS)
CANDIDATES = 200
RERANK = 100
AND_MIN = 20
FACET_EXACT = 5000
_PREFIX_OK = re.compile(r"^[a-z][a-z0-9_]*$")



def boolean_query(should: list[str], groups: list[list[str]], *, term: Callable[[str], str], any_of: str,
                  all_of: str) -> str:
    """Any of ``should`` and all terms of every group, in a backend's syntax (``term`` quotes one term)."""
    parts = []
    if should:
        parts.append("(" + any_of.join(term(t) for t in should) + ")")
    for group in groups:
        parts.append("(" + all_of.join(term(t) for t in group) + ")")
    return all_of.join(parts)


class SearchBackend(Protocol):
    """What the search service needs from a backend (loaded from ``SULIEU_SEARCH_BACKENDS``)."""

    def index(self, docs: Iterable[SearchDocument]) -> int:
        """Add or replace documents; returns the number of passages written."""

    def delete(self, ids: Iterable[int]) -> None:
        """Remove documents by item id (absent ids are ignored)."""

    def search(self, query: str | ParsedQuery, *, scope: AccessScope = PUBLIC_SCOPE,
               filters: dict[str, Any] | None = None, sort: str = "relevance", page: int = 1,
               page_size: int = 10, facets: bool = True) -> Results:
        """Ranked results visible in ``scope``, with facet counts."""

    def clear(self) -> None:
        """Remove everything."""

    def count(self) -> int:
        """Number of indexed documents."""


# --- database access: Django's connection, or a raw sqlite3 connection for throwaway indexes ---------------

class Db(Protocol):
    vendor: str

    def fetchall(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]: ...
    def execute(self, sql: str, params: Sequence[Any] = ()) -> None: ...
    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None: ...
    def atomic(self) -> contextlib.AbstractContextManager[Any]: ...


class DjangoDb:
    def __init__(self, alias: str = "default") -> None:
        from django.db import connections

        self.alias = alias
        self.connection = connections[alias]
        self.vendor = self.connection.vendor

    def fetchall(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        with self.connection.cursor() as cur:
            cur.execute(sql, list(params))
            return cur.fetchall()

    def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        with self.connection.cursor() as cur:
            cur.execute(sql, list(params))

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        with self.connection.cursor() as cur:
            cur.executemany(sql, [list(r) for r in rows])

    def atomic(self) -> contextlib.AbstractContextManager[Any]:
        from django.db import transaction

        return transaction.atomic(using=self.alias)


class SqliteFileDb:
    """A raw sqlite3 connection (throwaway evaluation and benchmark indexes)."""

    vendor = "sqlite"

    def __init__(self, path: str = ":memory:") -> None:
        self.connection = sqlite3.connect(path, isolation_level=None)
        self.connection.execute("PRAGMA journal_mode=WAL" if path != ":memory:" else "PRAGMA journal_mode=MEMORY")
        self.connection.execute("PRAGMA synchronous=OFF")
        self.connection.execute("PRAGMA cache_size=-200000")
        self.connection.execute("PRAGMA temp_store=MEMORY")

    @staticmethod
    def _sql(sql: str) -> str:
        return sql.replace("%s", "?")

    def fetchall(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        return self.connection.execute(self._sql(sql), list(params)).fetchall()

    def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        self.connection.execute(self._sql(sql), list(params))

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        self.connection.executemany(self._sql(sql), rows)

    @contextlib.contextmanager
    def atomic(self) -> Iterator[None]:
        self.connection.execute("BEGIN")
        try:
            yield
        except BaseException:
            self.connection.execute("ROLLBACK")
            raise
        self.connection.execute("COMMIT")


# --- rows -------------------------------------------------------------------------------------------------

def _iso(d: dt.date | None) -> str | None:
    return d.isoformat() if d else None


def _key(value: str) -> str:
    return " ".join(vntext.fold(value or "").split())


_OWN_SYMBOL_BEFORE = re.compile(r"(?:^|\W)(?:[sS]ố|SỐ)\s*:?\s*$")


def own_symbol(doc: SearchDocument) -> str:
    """The document's own symbol: its ``symbol``, or the "Số: …" of the first page's header."""
    if doc.symbol:
        return doc.symbol
    if doc.pages:
        head = doc.pages[0].text[:400]
        for ref in vntext.find_refs(head):
            if ref.symbol and _OWN_SYMBOL_BEFORE.search(head[max(0, ref.start - 12) : ref.start]):
                return ref.symbol
    return ""


def head_terms(doc: SearchDocument) -> list[str]:
    terms = text_terms(doc.title)
    symbol = own_symbol(doc)
    key = symbol_key(symbol) if symbol else None
    if key:
        terms.append(key)
    for part in (doc.symbol, doc.doc_type, doc.issuer, doc.summary, *doc.keywords, *doc.places):
        if part:
            terms.extend(text_terms(part, refs=part is not doc.symbol))
    return terms


def document_rows(doc: SearchDocument) -> list[tuple]:
    """The passage rows of one document, in COLUMNS order."""
    year = doc.date_from.year if doc.date_from else None
    common = (
        doc.access, doc.unit_id, doc.unit_path or None, doc.collection_id, doc.collection_path or None,
        doc.doc_type, doc.doc_type_code.upper(), _key(doc.doc_type), doc.issuer, doc.issuer_code.upper(),
        _key(doc.issuer), year, _iso(doc.date_from), _iso(doc.date_to or doc.date_from), doc.kind, doc.symbol,
    )
    rows = [(doc.id, 0, doc.title, doc.summary or "", " ".join(head_terms(doc)), "", *common)]
    for page in doc.pages:
        if page.text and page.text.strip():
            rows.append((doc.id, max(1, page.n), doc.title, page.text, "", " ".join(text_terms(page.text)),
                         *common))
    return rows


# --- the shared backend ---------------------------------------------------------------------------------------

class SqlSearchBackend(ABC):
    """Everything but term storage and first-stage matching (see the vendor subclasses)."""

    vendor = ""

    def __init__(self, options: dict[str, Any] | None = None, *, db: Db | None = None,
                 prefix: str = "search_") -> None:
        self.options = dict(options or {})
        self.db: Db = db or DjangoDb(self.options.get("DATABASE", "default"))
        if not _PREFIX_OK.match(prefix):
            raise ValueError("table prefix must be lower-case letters, digits and _")
        self.t = prefix
        # Where the wide columns (TEXT_COLUMNS) live: the passage table itself, or a side table (SQLite), so
        # that filters and facets read narrow rows only.
        self.text_table = f"{prefix}passage"
        self.candidates = int(self.options.get("CANDIDATES", CANDIDATES))
        self.rerank = int(self.options.get("RERANK", RERANK))
        self._n_passages: int | None = None
        # AND first: use "every content word" when it finds at least this many passages (0: OR only).
        self.and_min = int(self.options.get("AND_MIN", AND_MIN))
        # Exact facet counts up to this many matching passages (estimated); above, over the candidates.
        self.facet_exact = int(self.options.get("FACET_EXACT", FACET_EXACT))
        self.common_floor = int(self.options.get("COMMON_FLOOR", 2000))
        self.common_share = float(self.options.get("COMMON_SHARE", 0.04))

    # vendor hooks
    @abstractmethod
    def schema_sql(self) -> list[str]:
        ...

    @abstractmethod
    def drop_sql(self) -> list[str]:
        ...

    @abstractmethod
    def _insert(self, rows: list[tuple], item_ids: list[int]) -> None:
        ...

    def _delete_terms(self, item_ids: list[int]) -> None:
        """Remove the terms of these items' rows (before the rows themselves go); by default none to remove."""
        return None

    @abstractmethod
    def _match(self, groups_all: list[list[str]], should: list[str], alias: str = "p") -> tuple[str, list]:
        """A condition on ``alias`` true for rows with any ``should`` term and every term of each group."""

    @abstractmethod
    def _first_stage(self, should: list[str], groups: list[list[str]], where: str, params: list,
                     limit: int, dfs: dict[str, int] | None = None) -> list[tuple]:
        """(id, item_id, page) of candidate rows, best first."""

    def doc_freqs(self, terms: list[str]) -> dict[str, int]:
        """Passages holding each term: from the df snapshot table, or (terms new since) looked up live."""
        out: dict[str, int] = {}
        for chunk in _chunks(terms, 400):
            for term, doc in self.db.fetchall(
                    f"SELECT term, doc FROM {self.t}df WHERE term IN ({_marks(chunk)})", chunk):
                out[term] = int(doc)
        for term in terms:
            if term not in out:
                n = self._live_doc_freq(term)
                if n:
                    out[term] = n
        return out

    @abstractmethod
    def _live_doc_freq(self, term: str) -> int:
        """Passages holding ``term``, counted from the full-text index itself."""

    # interface
    def ensure_schema(self) -> None:
        for sql in self.schema_sql():
            self.db.execute(sql)

    def drop_schema(self) -> None:
        for sql in self.drop_sql():
            self.db.execute(sql)

    def index(self, docs: Iterable[SearchDocument]) -> int:
        written = 0
        batch: list[SearchDocument] = []
        for doc in docs:
            batch.append(doc)
            if len(batch) >= 500:
                written += self._index_batch(batch)
                batch = []
        if batch:
            written += self._index_batch(batch)
        return written

    def _index_batch(self, docs: list[SearchDocument]) -> int:
        rows = [row for doc in docs for row in document_rows(doc)]
        ids = sorted({doc.id for doc in docs})
        with self.db.atomic():
            self._delete_ids(ids)
            self._insert(rows, ids)
        return len(rows)

    def delete(self, ids: Iterable[int]) -> None:
        ids = sorted({int(i) for i in ids})
        if ids:
            with self.db.atomic():
                self._delete_ids(ids)

    def _delete_ids(self, ids: list[int]) -> None:
        for chunk in _chunks(ids, 500):
            self._delete_terms(chunk)
            self.db.execute(f"DELETE FROM {self.t}passage WHERE item_id IN ({_marks(chunk)})", chunk)

    def count(self) -> int:
        return int(self.db.fetchall(f"SELECT COUNT(*) FROM {self.t}passage WHERE page = 0")[0][0])

    def passage_count(self) -> int:
        if self._n_passages is None:
            self._n_passages = int(self.db.fetchall(f"SELECT COUNT(*) FROM {self.t}passage")[0][0])
        return self._n_passages

    def indexed_ids(self) -> list[int]:
        return [r[0] for r in self.db.fetchall(f"SELECT item_id FROM {self.t}passage WHERE page = 0")]

    # -- where clauses -------------------------------------------------------------------------------------
    def _access_sql(self, scope: AccessScope, a: str = "p") -> tuple[str, list]:
        """The SQL form of :meth:`orgs.access.AccessScope.allows` (kept in step with it by the tests)."""
        if scope.everything:
            return "1 = 1", []
        sql_parts = [f"{a}.access = %s"]
        out: list[Any] = ["public"]
        if scope.member:
            sub = [f"{a}.unit_path IS NULL"]
            sub_params: list[Any] = []
            for path in scope.internal_paths:
                sub.append(f"{a}.unit_path LIKE %s")
                sub_params.append(_like_prefix(path))
            ids = sorted(scope.internal_unit_ids)
            if ids:
                sub.append(f"{a}.unit_id IN ({_marks(ids)})")
                sub_params.extend(ids)
            sql_parts.append(f"({a}.access = %s AND ({' OR '.join(sub)}))")
            out.extend(["internal", *sub_params])
        if scope.restricted_any:
            sub = [f"{a}.unit_path IS NULL"]
            sub_params = []
            for path in scope.restricted_paths:
                sub.append(f"{a}.unit_path LIKE %s")
                sub_params.append(_like_prefix(path))
            sql_parts.append(f"({a}.access = %s AND ({' OR '.join(sub)}))")
            out.extend(["restricted", *sub_params])
        return "(" + " OR ".join(sql_parts) + ")", out

    def _filters_sql(self, filters: dict[str, Any], a: str = "p") -> tuple[list[str], list]:
        conds: list[str] = []
        params: list[Any] = []
        for name, value in filters.items():
            if value in (None, "", []):
                continue
            if name == "type":
                conds.append(f"({a}.doc_type_code = %s OR {a}.doc_type_key = %s)")
                params += [str(value).upper(), _key(str(value))]
            elif name == "issuer":
                conds.append(f"({a}.issuer_code = %s OR {a}.issuer_key = %s)")
                params += [str(value).upper(), _key(str(value))]
            elif name == "year":
                conds.append(f"{a}.year = %s")
                params.append(int(value))
            elif name == "decade":
                conds.append(f"{a}.year >= %s AND {a}.year < %s")
                params += [int(value), int(value) + 10]
            elif name == "date_from":
                conds.append(f"{a}.date_to >= %s")
                params.append(_iso_value(value))
            elif name == "date_to":
                conds.append(f"{a}.date_from <= %s")
                params.append(_iso_value(value))
            elif name == "unit":
                conds.append(f"{a}.unit_id = %s")
                params.append(int(value))
            elif name == "unit_path":
                conds.append(f"{a}.unit_path LIKE %s")
                params.append(_like_prefix(str(value)))
            elif name == "collection":
                conds.append(f"{a}.collection_id = %s")
                params.append(int(value))
            elif name == "collection_path":
                conds.append(f"{a}.collection_path LIKE %s")
                params.append(_like_prefix(str(value)))
            elif name in ("access", "kind"):
                conds.append(f"{a}.{name} = %s")
                params.append(str(value))
            elif name == "ids":
                ids = [int(v) for v in value]
                conds.append(f"{a}.item_id IN ({_marks(ids)})" if ids else "1 = 0")
                params += ids
        return conds, params

    def _where(self, q: ParsedQuery, scope: AccessScope, filters: dict[str, Any]) -> tuple[str, list]:
        access, params = self._access_sql(scope, "p")
        conds = [access]
        fconds, fparams = self._filters_sql(filters)
        conds += fconds
        params += fparams
        for group in q.exclude_groups():
            m, mp = self._match([group], [], alias="x")
            conds.append(f"p.item_id NOT IN (SELECT x.item_id FROM {self.t}passage x WHERE {m})")
            params += mp
        return " AND ".join(conds), params

    # -- search --------------------------------------------------------------------------------------------
    def search(self, query: str | ParsedQuery, *, scope: AccessScope = PUBLIC_SCOPE,
               filters: dict[str, Any] | None = None, sort: str = "relevance", page: int = 1,
               page_size: int = 10, facets: bool = True) -> Results:
        q = parse_query(query) if isinstance(query, str) else query
        self._n_passages = None
        merged = {**q.filters, **(filters or {})}
        page = max(1, int(page))
        page_size = max(1, min(int(page_size), 100))
        where, params = self._where(q, scope, merged)
        groups = q.must_groups()
        if sort == "date":
            # Sorted by date, nothing ranks loose matches down: every word (folded) must be there.
            groups += [[s.folded] for s in dict.fromkeys(q.syllables) if not s.stop]
        dfs: dict[str, int] = {}
        should: list[str] = []
        if q.has_text:
            dfs = self.doc_freqs(list(dict.fromkeys(q.should_terms() + [t for g in groups for t in g])))
            should = self._selective(q.should_terms(), dfs)
            if not should and not groups:
                return Results(count=0, hits=[], facets={n: [] for n in FACETS} if facets else {}, page=page,
                               page_size=page_size)
        broad = False
        if q.has_text and sort != "date":
            limit = max(self.candidates, page * page_size * 4)
            groups, rows = self._candidates(q, should, groups, where, params, need=page * page_size, dfs=dfs)
            ranked = self._rerank(q, rows, dfs) if rows else []
            match, mparams = self._match(groups, should)
            if len(rows) >= limit:
                # Upper bound of the matching passages: the rarest required term, or the sum over the OR.
                required = [dfs.get(t, 0) for g in groups for t in g]
                estimate = min(required) if required else sum(dfs.get(t, 0) for t in should)
                broad = estimate > self.facet_exact
        else:
            match, mparams = self._match(groups, should) if q.has_text else ("p.page = 0", [])
            ranked = self._by_date(match, mparams, where, params, page, page_size, text=q.has_text, q=q)
        offset = (page - 1) * page_size if (q.has_text and sort != "date") else 0
        window = ranked[offset : offset + page_size]
        if broad and facets:
            # A broad match: count exactly, but facets over the ranked candidates only (marked approximate).
            count, _ = self._count_and_facets(match, mparams, where, params, False)
            ids = [r[0] for r in ranked]
            _, facet_values = self._count_and_facets(f"{match} AND p.item_id IN ({_marks(ids)})", [*mparams, *ids],
                                                     where, params, True)
        else:
            count, facet_values = self._count_and_facets(match, mparams, where, params, facets)
        hits = self._hits(window, q)
        return Results(count=count, hits=hits, facets=facet_values, page=page, page_size=page_size,
                       facets_approximate=broad and facets)

    def _common_limit(self) -> float:
        return max(self.common_floor, self.common_share * self.passage_count())

    def _selective(self, terms: list[str], dfs: dict[str, int]) -> list[str]:
        """The terms that select candidates: present in the index, and not so common that they add nothing
        but cost (a syllable in most passages); the ranker still scores every term."""
        present = [t for t in terms if dfs.get(t)]
        limit = self._common_limit()
        selective = [t for t in present if dfs[t] <= limit]
        if len(selective) < 3:
            rarest = sorted(present, key=lambda t: dfs[t])[:3]
            selective = [t for t in present if t in selective or t in rarest]
        return selective

    def _candidates(self, q: ParsedQuery, should: list[str], groups: list[list[str]], where: str, params: list,
                    need: int, dfs: dict[str, int]) -> tuple[list[list[str]], list[tuple]]:
        """First-stage candidates, and the groups that define the matching set (for the count and facets).

        Passages holding every *distinctive* content word of the query (folded; not among the common ones, see
        :meth:`_selective`) come first: most queries then touch a few hundred rows instead of every row with
        any of the words (requiring the common words too costs more — their posting lists are long — and
        finds a subset).  Only when fewer than AND_MIN passages hold them is the match the OR of the selective
        terms.  Either way the second stage orders the candidates."""
        limit = max(self.candidates, need * 4)
        if self.and_min:
            have = {t for g in groups for t in g}
            common = self._common_limit()
            words = [w for w in dict.fromkeys(s.folded for s in q.syllables if not s.stop)
                     if w not in have and 0 < dfs.get(w, 0) <= common]
            if len(words) >= 2 or (words and groups):
                and_groups = groups + [[w] for w in words]
                rows = self._first_stage(should, and_groups, where, params, limit, dfs)
                if len(rows) >= min(self.and_min, limit):
                    return and_groups, rows
        return groups, self._first_stage(should, groups, where, params, limit, dfs)

    def _rerank(self, q: ParsedQuery, rows: list[tuple],
                dfs: dict[str, int] | None = None) -> list[tuple[int, float, int | None]]:
        """Order candidate rows' items: the top RERANK rows by :mod:`search.ranking`, the rest after them in
        first-stage order."""
        top, rest = rows[: self.rerank], rows[self.rerank :]
        item_ids = sorted({r[1] for r in top})
        terms = list(dict.fromkeys(q.should_terms() + [t for g in q.must_groups() for t in g]))
        wanted = frozenset(terms)
        heads: dict[int, str] = {}
        for chunk in _chunks(item_ids, 500):
            for item_id, head in self.db.fetchall(
                f"SELECT p.item_id, x.head_terms FROM {self.t}passage p JOIN {self.text_table} x ON x.id = p.id "
                f"WHERE p.page = 0 AND p.item_id IN ({_marks(chunk)})",
                chunk,
            ):
                heads[item_id] = head
        head_stats = {i: field_stats(t, wanted) for i, t in heads.items()}
        page_ids = [r[0] for r in top if r[2] != 0]
        bodies: dict[int, str] = {}
        for chunk in _chunks(page_ids, 500):
            bodies.update(self.db.fetchall(
                f"SELECT id, body_terms FROM {self.text_table} WHERE id IN ({_marks(chunk)})", chunk))
        pages = [(r[0], r[1], r[2], field_stats(bodies.get(r[0], ""), wanted)) for r in top if r[2] != 0]
        n_docs = self.passage_count()
        if dfs is None:
            dfs = self.doc_freqs(terms)
        avg_head = sum(h.length for h in head_stats.values()) / max(len(head_stats), 1)
        avg_body = sum(p[3].length for p in pages) / max(len(pages), 1)
        scorer = Scorer(q, dfs, n_docs, avg_head, avg_body)
        best: dict[int, tuple[float, int | None]] = {}
        for item_id in item_ids:
            best[item_id] = (scorer.score(head_stats.get(item_id, EMPTY), EMPTY), None)
        for row_id, item_id, _page, body in pages:
            s = scorer.score(head_stats.get(item_id, EMPTY), body)
            if s > best[item_id][0] or (best[item_id][1] is None and s >= best[item_id][0] and s > 0):
                best[item_id] = (s, row_id)
        ranked = sorted(best.items(), key=lambda kv: (-round(kv[1][0], 9), kv[0]))
        out = [(item_id, score, row_id) for item_id, (score, row_id) in ranked]
        seen = set(best)
        floor = min((s for _i, s, _r in out), default=0.0)
        for row_id, item_id, page_n in rest:
            if item_id not in seen:
                seen.add(item_id)
                floor *= 0.999
                out.append((item_id, floor, row_id if page_n else None))
        return out

    def _by_date(self, match: str, mparams: list, where: str, params: list, page: int, page_size: int,
                 *, text: bool, q: ParsedQuery) -> list[tuple[int, float, int | None]]:
        rows = self.db.fetchall(
            f"SELECT p.item_id, MAX(p.date_from) AS d FROM {self.t}passage p WHERE {match} AND {where} "
            f"GROUP BY p.item_id ORDER BY d DESC NULLS LAST, p.item_id LIMIT %s OFFSET %s",
            [*mparams, *params, page_size, (page - 1) * page_size],
        )
        ids = [r[0] for r in rows]
        if not text or not ids:
            return [(i, 0.0, None) for i in ids]
        # The snippet page of each item: rank that item's matching rows.
        cand = self._first_stage(q.should_terms(), q.must_groups(),
                                 f"{where} AND p.item_id IN ({_marks(ids)})", [*params, *ids], 50 * len(ids))
        scores = {i: (s, r) for i, s, r in self._rerank(q, cand)} if cand else {}
        return [(i, scores.get(i, (0.0, None))[0], scores.get(i, (0.0, None))[1]) for i in ids]

    def _count_and_facets(self, match: str, mparams: list, where: str, params: list,
                          facets: bool) -> tuple[int, dict[str, list[FacetValue]]]:
        cols = "p.item_id, p.doc_type, p.issuer, p.year, p.unit_id, p.collection_id, p.access"
        base = f"SELECT DISTINCT {cols} FROM {self.t}passage p WHERE {match} AND {where}"
        if not facets:
            rows = self.db.fetchall(f"SELECT COUNT(DISTINCT p.item_id) FROM {self.t}passage p WHERE {match} AND {where}",
                                    [*mparams, *params])
            return int(rows[0][0]), {}
        parts = ["SELECT 'count', '', COUNT(*) FROM m"]
        for name in FACETS:
            expr = _FACET_SQL[name]
            parts.append(f"SELECT '{name}', {expr}, COUNT(*) FROM m GROUP BY {expr}")
        sql = f"WITH m AS ({base}) " + " UNION ALL ".join(parts)
        count = 0
        out: dict[str, list[FacetValue]] = {name: [] for name in FACETS}
        for name, value, n in self.db.fetchall(sql, [*mparams, *params]):
            if name == "count":
                count = int(n)
            elif value not in (None, ""):
                out[name].append(FacetValue(value=str(value), label=str(value), count=int(n)))
        for name, values in out.items():
            if name in ("year", "decade"):
                values.sort(key=lambda v: v.value, reverse=True)
            else:
                values.sort(key=lambda v: (-v.count, v.value))
        return count, out

    def _hits(self, window: list[tuple[int, float, int | None]], q: ParsedQuery) -> list[Hit]:
        if not window:
            return []
        ids = [w[0] for w in window]
        heads = {
            r[0]: r
            for r in self.db.fetchall(
                f"SELECT p.item_id, x.title, x.text, p.symbol, p.doc_type, p.issuer, p.date_from, p.access "
                f"FROM {self.t}passage p JOIN {self.text_table} x ON x.id = p.id "
                f"WHERE p.page = 0 AND p.item_id IN ({_marks(ids)})", ids)
        }
        row_ids = [w[2] for w in window if w[2] is not None]
        texts = {}
        if row_ids:
            texts = {r[0]: (r[1], r[2]) for r in self.db.fetchall(
                f"SELECT p.id, p.page, x.text FROM {self.t}passage p JOIN {self.text_table} x ON x.id = p.id "
                f"WHERE p.id IN ({_marks(row_ids)})", row_ids)}
        hits = []
        for item_id, score, row_id in window:
            head = heads.get(item_id)
            if head is None:
                continue
            page_n, text = texts.get(row_id, (None, head[2] or head[1])) if row_id is not None else (None, head[2])
            if not text:
                page_n, text = None, ""
            hits.append(Hit(
                id=item_id, title=head[1], url=f"/items/{item_id}/", snippet=snippet(text, q) if text else "",
                page=page_n, score=round(score, 4), symbol=head[3] or "", doc_type=head[4] or "",
                issuer=head[5] or "", date=head[6], access=head[7],
            ))
        return hits


def _chunks(seq: list, n: int) -> Iterator[list]:
    for i in range(0, len(seq), n):
        yield seq[i : i + n]


def _marks(seq: Sequence[Any]) -> str:
    return ", ".join(["%s"] * len(seq))


def _like_prefix(prefix: str) -> str:
    # Unit and collection paths are digits and dots: nothing to escape for LIKE.
    if not re.fullmatch(r"[0-9.]*", prefix):
        raise ValueError("unexpected path")
    return prefix + "%"


def _iso_value(value: Any) -> str:
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def split_text(text: str, size: int = 2500) -> list[str]:
    """Split long text into passages of about ``size`` characters at paragraph or sentence ends."""
    text = text or ""
    if len(text) <= size * 1.4:
        return [text]
    out: list[str] = []
    start = 0
    while start < len(text):
        end = min(len(text), start + size)
        if end < len(text):
            cut = max(text.rfind("\n", start + size // 2, end), text.rfind(". ", start + size // 2, end))
            if cut > start:
                end = cut + 1
        out.append(text[start:end])
        start = end
    return out


__all__ = ["SearchBackend", "SqlSearchBackend", "DjangoDb", "SqliteFileDb", "document_rows", "split_text",
           "symbol_keys_in"]
