"""The SQL backend shared by SQLite and PostgreSQL: index writes, the search plan, counts, facets, hits.

One row per passage in ``<prefix>passage``: page 0 is the item's head (title, symbol, type, issuer, summary,
keywords, places) and pages 1… its text.  Every row carries the item's access level, owning unit (id and
materialised path), collection, type, issuer and dates, so that access and filters are plain SQL conditions
inside the same query that matches the text.

A vendor backend only says how terms are stored and matched (FTS5 table or tsvector column), how candidates
are ordered in the first stage, and how many passages hold a term. ``count`` is exact unless the backend
estimated it for a very broad match (``count_approximate = True``, SQLite); facet counts are exact unless the
match is broad (an estimated ``FACET_EXACT`` passages or more), when they are counted over the ranked
candidates and the result carries ``facets_approximate = True``. Document frequencies come from a snapshot
table. Hits carry no URL: :mod:`search.services` adds it.
"""

from __future__ import annotations

import contextlib
import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from orgs.access import PUBLIC_SCOPE, AccessScope
from search.backends.sql.connection import Db, DjangoDb
from search.backends.sql.facets import HEADS, Facets
from search.backends.sql.heads import Heads
from search.backends.sql.rerank import CandidateRanking, FirstStage, Ranked
from search.backends.sql.rows import Prepare, analysed_batches
from search.backends.sql.where import access_sql, chunks, date_range_sql, filters_sql, in_list, marks
from search.documents import FacetValue, Hit, Results, SearchDocument
from search.filters import FACETS
from search.highlight import snippet
from search.query import ParsedQuery, parse_query

CANDIDATES = 200
RERANK = 100
AND_MIN = 20
FACET_EXACT = 5000
INDEX_BATCH = 500
_PREFIX_OK = re.compile(r"^[a-z][a-z0-9_]*$")


class SqlSearchBackend(Heads, Facets, CandidateRanking, ABC):
    """Everything but term storage and first-stage matching (see the vendor subclasses)."""

    vendor = ""
    # CandidateRanking._stop_terms.  PostgreSQL, real questions: p50 28.6 → 25.5 ms, first results the same as
    # SQLite's on 276 of 278 questions (275 without), R@1 91.73 → 91.37 (one question), MRR 94.93 → 94.75.
    stop_first_default = True
    row_terms = False  # rows handed to _insert end with their term lists (rows.document_rows)
    # A batch's rows turned into what _insert writes, where the batch is analysed (rows.analysed_batches).
    prepare_rows: Prepare | None = None

    def __init__(self, options: dict[str, Any] | None = None, *, db: Db | None = None,
                 prefix: str = "search_") -> None:
        self.options = dict(options or {})
        self.db = db or DjangoDb(self.options.get("DATABASE", "default"))
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
        self.stop_first = self.flag("STOP_FIRST", self.stop_first_default)
        # Processes that analyse a load of more than INDEX_BATCH documents while this one writes.  0 (none) by
        # default: it pays only where a core is idle (bench/search/RESULTS.md, stop 15).
        self.analysis_processes = int(self.options.get("ANALYSIS_PROCESSES", 0))

    def flag(self, name: str, default: bool) -> bool:
        """A yes/no option: "0", "false" and "" (any case) say no."""
        return str(self.options.get(name, default)).lower() not in ("0", "false", "")

    # -- vendor hooks ----------------------------------------------------------------------------------------
    @abstractmethod
    def schema_sql(self) -> list[str]: ...

    @abstractmethod
    def drop_sql(self) -> list[str]: ...

    @abstractmethod
    def _insert(self, rows: list[tuple[Any, ...]], item_ids: list[int]) -> None: ...

    def _delete_terms(self, item_ids: list[int]) -> None:
        """Remove the terms of these items' rows (before the rows themselves go); by default none to remove."""
        return None

    @abstractmethod
    def _match(self, groups: list[list[str]], should: list[str], alias: str = "p") -> tuple[str, list[Any]]:
        """A condition on ``alias`` true for rows with any ``should`` term and every term of each group."""

    @abstractmethod
    def _first_stage(self, should: list[str], groups: list[list[str]], where: str, params: list[Any],
                     limit: int, dfs: dict[str, int] | None = None) -> list[tuple[Any, ...]]:
        """(id, item_id, page) of candidate rows, best first."""

    @abstractmethod
    def _live_doc_freq(self, term: str) -> int:
        """Passages holding ``term``, counted from the full-text index itself."""

    @abstractmethod
    def clear(self) -> None: ...

    @abstractmethod
    def optimize(self) -> None: ...

    # -- writes ----------------------------------------------------------------------------------------------
    def ensure_schema(self) -> None:
        for sql in self.schema_sql():
            self.db.execute(sql)
        self.ensure_heads()

    def drop_schema(self) -> None:
        for sql in self.drop_sql():
            self.db.execute(sql)

    def index(self, docs: Iterable[SearchDocument]) -> int:
        """Batches of ``INDEX_BATCH`` documents, one transaction each; analysed in ``ANALYSIS_PROCESSES``
        other processes when there is more than one batch (see :func:`rows.analysed_batches`)."""
        written = 0
        for ids, rows in analysed_batches(docs, INDEX_BATCH, self.analysis_processes, terms=self.row_terms,
                                          prepare=type(self).prepare_rows):
            written += self._write_batch(ids, rows)
        return written

    def _write_batch(self, ids: list[int], rows: list[tuple[Any, ...]]) -> int:
        with self.db.atomic():
            gone = self._heads_of(ids)
            self._delete_ids(ids)
            self._insert(rows, ids)
            self._count_heads(rows, gone)
            self._changed()
        return len(rows)

    def _changed(self) -> None:
        """Count a write: document frequencies are taken from the snapshot alone while it is current."""
        self.db.execute(f"INSERT INTO {self.t}stat (key, value) VALUES ('changes', 1) "
                        f"ON CONFLICT (key) DO UPDATE SET value = {self.t}stat.value + 1")

    def delete(self, ids: Iterable[int]) -> None:
        item_ids = sorted({int(i) for i in ids})
        if item_ids:
            with self.db.atomic():
                gone = self._heads_of(item_ids)
                self._delete_ids(item_ids)
                self._count_heads([], gone)
                self._changed()

    def _delete_ids(self, ids: list[int]) -> None:
        for chunk in chunks(ids, 500):
            self._delete_terms(list(chunk))
            self.db.execute(f"DELETE FROM {self.t}passage WHERE item_id IN ({marks(chunk)})", chunk)

    @contextlib.contextmanager
    def bulk(self, *, lists: bool = False) -> Iterator[None]:
        yield
        self.optimize()

    def refresh_due(self) -> bool:
        return False  # nothing derived to refresh unless a vendor keeps something

    def refresh(self, progress: Callable[[int, int], None] | None = None) -> None:
        return None

    # -- reads -----------------------------------------------------------------------------------------------
    def count(self) -> int:
        return int(self.db.fetchall(f"SELECT COUNT(*) FROM {self.t}passage WHERE page = 0")[0][0])

    def passage_count(self) -> int:
        if self._n_passages is None:
            self._n_passages = int(self.db.fetchall(f"SELECT COUNT(*) FROM {self.t}passage")[0][0])
        return self._n_passages

    def indexed_ids(self) -> list[int]:
        return [r[0] for r in self.db.fetchall(f"SELECT item_id FROM {self.t}passage WHERE page = 0")]

    def doc_freqs(self, terms: list[str]) -> dict[str, int]:
        """Passages holding each term: from the df snapshot table, or (terms new since) looked up live."""
        out: dict[str, int] = {}
        state: dict[str, int] = {}
        for chunk in chunks(terms, 400):
            for kind, term, doc in self.db.fetchall(
                    f"SELECT 0, term, doc FROM {self.t}df WHERE term IN ({marks(chunk)}) UNION ALL "
                    f"SELECT 1, key, value FROM {self.t}stat WHERE key IN ('changes', 'df_changes')", chunk):
                if kind:
                    state[term] = int(doc)
                else:
                    out[term] = int(doc)
        if "changes" in state and state.get("df_changes") == state["changes"]:
            return out  # nothing written since the snapshot: a term not in it is in no passage
        for term in terms:
            if term not in out:
                n = self._live_doc_freq(term)
                if n:
                    out[term] = n
        return out

    def _where(self, q: ParsedQuery, scope: AccessScope, filters: dict[str, Any]) -> tuple[str, list[Any]]:
        access, params = access_sql(scope, "p")
        conds = [access]
        fconds, fparams = filters_sql(filters)
        conds += fconds
        params += fparams
        for group in q.exclude_groups():
            m, mp = self._match([group], [], alias="x")
            conds.append(f"p.item_id NOT IN (SELECT x.item_id FROM {self.t}passage x WHERE {m})")
            params += mp
        return " AND ".join(conds), params

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
            should = self._selective(q.should_terms(), dfs, self._stop_terms(q))
            if not should and not groups:
                return Results(count=0, hits=[], facets={n: [] for n in FACETS} if facets else {}, page=page,
                               page_size=page_size)
        broad = False
        stage = FirstStage([])
        facet_values: dict[str, list[FacetValue]] = {}
        # a year or decade is also a range of dates: the date order's index walked over that range only
        dates, dparams = ("", []) if q.has_text else date_range_sql(merged)
        if q.has_text and sort != "date":
            limit = max(self.candidates, page * page_size * 4)
            groups, stage = self._candidates(q, should, groups, where, params, need=page * page_size, dfs=dfs,
                                             facets=facets)
            rows = stage.rows
            ranked = self._rerank(q, rows, dfs, stage.terms) if rows else []
            match, mparams = self._match(groups, should)
            # an estimated count is a broad match's, even when few candidates passed the access filter
            broad = stage.approximate or (len(rows) >= limit and self._maybe_broad(should, groups, dfs))
        else:
            match, mparams = self._match(groups, should) if q.has_text else (HEADS, [])
            ranked = self._by_date(match, mparams, where + dates, params + dparams, page, page_size,
                                   text=q.has_text, q=q)
        offset = (page - 1) * page_size if (q.has_text and sort != "date") else 0
        window = ranked[offset : offset + page_size]
        count_approximate = sampled_facets = False
        if stage.count is not None and (stage.facets is not None or not facets or broad):
            count, facet_values, count_approximate = stage.count, stage.facets or {}, stage.approximate
        elif broad and facets:
            count, _ = self._count_and_facets(match, mparams, where, params, False)
        elif not q.has_text and not q.exclude_groups():
            count, facet_values, sampled_facets = self._browse_counts(scope, merged, where + dates, params + dparams,
                                                                      facets)
        else:
            count, facet_values = self._count_and_facets(match, mparams, where, params, facets,
                                                         heads=not q.has_text)
        broad_facets = broad and facets and stage.facets is None
        if broad_facets:
            # A broad match: facets over the ranked candidates only (marked approximate).  Every candidate item
            # matches and passes ``where``, and filters, access and facets are item fields, so its head row
            # (page 0) stands for it: no second pass over the match.
            cond, ids = in_list("p.item_id", [r[0] for r in ranked], self.db.vendor)
            _, facet_values = self._count_and_facets(f"{HEADS} AND {cond}", ids, where, params, True, few=True,
                                                  heads=True)
        hits = self._hits(window, q)
        return Results(count=count, hits=hits, facets=facet_values, page=page, page_size=page_size,
                       facets_approximate=broad_facets or sampled_facets or (facets and stage.facets_approximate),
                       count_approximate=count_approximate)

    def _by_date(self, match: str, mparams: list[Any], where: str, params: list[Any], page: int, page_size: int,
                 *, text: bool, q: ParsedQuery) -> Ranked:
        # Every row of an item carries the item's dates: head rows alone (no text) need no grouping.
        select, group = ("MAX(p.date_from)", "GROUP BY p.item_id ") if text else ("p.date_from", "")
        rows = self.db.fetchall(
            f"SELECT p.item_id, {select} AS d FROM {self.t}passage p WHERE {match} AND {where} "
            f"{group}ORDER BY d DESC NULLS LAST, p.item_id LIMIT %s OFFSET %s",
            [*mparams, *params, page_size, (page - 1) * page_size],
        )
        ids = [r[0] for r in rows]
        if not text or not ids:
            return [(i, 0.0, None) for i in ids]
        # The snippet page of each item: rank that item's matching rows.
        cond, listed = in_list("p.item_id", ids, self.db.vendor)
        cand = self._first_stage(q.should_terms(), q.must_groups(), f"{where} AND {cond}", [*params, *listed],
                                 50 * len(ids))
        scores = {i: (s, r) for i, s, r in self._rerank(q, cand)} if cand else {}
        return [(i, scores.get(i, (0.0, None))[0], scores.get(i, (0.0, None))[1]) for i in ids]

    def _hits(self, window: Ranked, q: ParsedQuery) -> list[Hit]:
        if not window:
            return []
        ids = [w[0] for w in window]
        row_ids = [w[2] for w in window if w[2] is not None]
        # The heads of the window's items and the text of their best pages, in one statement (page_size ≤ 100).
        cond, params = in_list("p.item_id", ids, self.db.vendor)
        sql = (f"SELECT 0, p.item_id, x.title, x.text, p.symbol, p.doc_type, p.issuer, p.date_from, p.access "
               f"FROM {self.t}passage p JOIN {self.text_table} x ON x.id = p.id WHERE p.page = 0 AND {cond}")
        if row_ids:
            cond, more = in_list("p.id", row_ids, self.db.vendor)
            sql += (f" UNION ALL SELECT 1, p.id, CAST(p.page AS TEXT), x.text, NULL, NULL, NULL, NULL, NULL FROM {self.t}passage p "
                    f"JOIN {self.text_table} x ON x.id = p.id WHERE {cond}")
            params += more
        heads: dict[int, tuple[Any, ...]] = {}
        texts: dict[int, tuple[int, str]] = {}
        for kind, *row in self.db.fetchall(sql, params):
            if kind:
                texts[row[0]] = (int(row[1]), row[2])
            else:
                heads[row[0]] = tuple(row)
        hits = []
        for item_id, score, row_id in window:
            head = heads.get(item_id)
            if head is None:
                continue
            page_n: int | None
            if row_id is not None and row_id in texts:
                page_n, text = texts[row_id]
            else:
                page_n, text = None, head[2] or (head[1] if row_id is not None else "")
            if not text:
                page_n, text = None, ""
            hits.append(Hit(
                id=item_id, title=head[1], url="", snippet=snippet(text, q) if text else "",
                page=page_n, score=round(score, 4), symbol=head[3] or "", doc_type=head[4] or "",
                issuer=head[5] or "", date=head[6], access=head[7],
            ))
        return hits
