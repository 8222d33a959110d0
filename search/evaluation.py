"""Measured search quality: index a JSON-lines corpus into a throwaway index and score ranked queries.

Corpus lines ``{"id", "title", "text"}``; query lines ``{"qid", "query", "relevant": [ids]}``.  Recall@k is
``|relevant ∩ top k| / min(|relevant|, k)`` (the hit rate when one document is relevant), MRR@10 the mean of
1/rank of the first relevant document in the top 10.  The baseline is what a plain FTS5 set-up gives: one row
per document, ``unicode61 remove_diacritics 2``, bm25(), the query as an OR of its quoted words.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import statistics
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import vntext
from orgs.access import AccessScope
from search.backends.sql.backend import SqlSearchBackend
from search.backends.sql.connection import SqliteFileDb
from search.backends.sql.rows import split_text
from search.documents import SearchDocument, SearchPage

EVERYTHING = AccessScope(everything=True)


@dataclass
class Query:
    qid: str
    query: str
    relevant: list[str]
    kind: str = ""
    diacritics: bool = True


def read_jsonl(path: str | Path) -> list[dict[str, Any]]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def load_queries(path: str | Path) -> list[Query]:
    out = []
    for row in read_jsonl(path):
        text = str(row["query"])
        accented = row.get("diacritics")
        if accented is None:
            accented = vntext.fold(text) != vntext.casefold(text)
        out.append(Query(str(row["qid"]), text, [str(r) for r in row.get("relevant", [])], str(row.get("kind", "")),
                         bool(accented)))
    return out


def corpus_documents(rows: list[dict[str, Any]]) -> tuple[list[SearchDocument], list[str]]:
    """Search documents (integer ids 1…n) and the corpus ids they stand for."""
    docs, ids = [], []
    for n, row in enumerate(rows, 1):
        ids.append(str(row["id"]))
        pages = [SearchPage(i, chunk) for i, chunk in enumerate(split_text(str(row.get("text") or "")), 1)]
        docs.append(SearchDocument(id=n, title=str(row.get("title") or ""), pages=pages))
    return docs, ids


def metrics(runs: list[tuple[Query, list[str]]], k: int) -> dict[str, float]:
    cutoffs = sorted({1, 5, 10, k})
    sums = {c: 0.0 for c in cutoffs}
    mrr = 0.0
    for q, ranked in runs:
        rel = set(q.relevant)
        if not rel:
            continue
        for c in cutoffs:
            sums[c] += len(rel & set(ranked[:c])) / min(len(rel), c)
        for i, doc_id in enumerate(ranked[:10], 1):
            if doc_id in rel:
                mrr += 1 / i
                break
    n = max(1, sum(1 for q, _ in runs if q.relevant))
    out = {f"Recall@{c}": round(sums[c] / n, 4) for c in cutoffs}
    out["MRR@10"] = round(mrr / n, 4)
    return out


def _timed(queries: list[Query], run: Callable[[str], list[str]]) -> tuple[list[tuple[Query, list[str]]], list[float]]:
    runs, times = [], []
    for q in queries:
        started = time.perf_counter()
        ranked = run(q.query)
        times.append((time.perf_counter() - started) * 1000)
        runs.append((q, ranked))
    return runs, times


def _percentile(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def report(queries: list[Query], runs: list[tuple[Query, list[str]]], times: list[float], k: int,
           index_s: float) -> dict[str, Any]:
    out: dict[str, Any] = metrics(runs, k)
    out["index_s"] = round(index_s, 3)
    out["query_ms_p50"] = round(statistics.median(times), 2) if times else 0.0
    out["query_ms_p95"] = round(_percentile(times, 95), 2)
    with_d = [(q, r) for q, r in runs if q.diacritics]
    without = [(q, r) for q, r in runs if not q.diacritics]
    if with_d and without:
        a, b = metrics(with_d, k), metrics(without, k)
        out["diacritics"] = a
        out["no_diacritics"] = b
        out["no_diacritics_ratio_mrr"] = round(b["MRR@10"] / a["MRR@10"], 4) if a["MRR@10"] else 0.0
    kinds = sorted({q.kind for q in queries if q.kind})
    if kinds:
        out["by_kind"] = {kind: metrics([(q, r) for q, r in runs if q.kind == kind], k) for kind in kinds}
    return out


def run_sulieu(backend: SqlSearchBackend, rows: list[dict[str, Any]], queries: list[Query], k: int,
               ) -> tuple[dict[str, Any], list[tuple[Query, list[str]]]]:
    docs, ids = corpus_documents(rows)
    started = time.perf_counter()
    with backend.bulk(lists=True):  # then optimized, lists built (the steady state a reindex reaches)
        backend.index(docs)
    index_s = time.perf_counter() - started

    def run(text: str) -> list[str]:
        results = backend.search(text, scope=EVERYTHING, page_size=k)
        return [ids[h.id - 1] for h in results.hits]

    runs, times = _timed(queries, run)
    return report(queries, runs, times, k, index_s), runs


_WORD = re.compile(r"\w+")


def run_baseline(rows: list[dict[str, Any]], queries: list[Query], k: int) -> dict[str, Any]:
    db = sqlite3.connect(":memory:")
    started = time.perf_counter()
    db.execute("CREATE VIRTUAL TABLE t USING fts5(doc_id UNINDEXED, title, text, "
               "tokenize='unicode61 remove_diacritics 2')")
    db.executemany("INSERT INTO t (doc_id, title, text) VALUES (?, ?, ?)",
                   [(str(r["id"]), str(r.get("title") or ""), str(r.get("text") or "")) for r in rows])
    db.commit()
    index_s = time.perf_counter() - started

    def run(text: str) -> list[str]:
        words = list(dict.fromkeys(_WORD.findall(text)))
        if not words:
            return []
        expr = " OR ".join('"' + w.replace('"', '""') + '"' for w in words)
        return [r[0] for r in db.execute("SELECT doc_id FROM t WHERE t MATCH ? ORDER BY bm25(t) LIMIT ?", (expr, k))]

    runs, times = _timed(queries, run)
    return report(queries, runs, times, k, index_s)


class ThrowawayIndex:
    """An empty index for one evaluation: a private SQLite file, or prefixed tables in the PostgreSQL database."""

    def __init__(self, vendor: str, workdir: str | None = None) -> None:
        self.vendor = vendor
        self.path: str | None = None
        if vendor == "sqlite":
            import tempfile

            from search.backends.sqlite import SqliteBackend

            fd, self.path = tempfile.mkstemp(suffix=".sqlite3", prefix="sulieu-eval-", dir=workdir)
            os.close(fd)
            self.backend: SqlSearchBackend = SqliteBackend({}, db=SqliteFileDb(self.path))
        elif vendor == "postgres":
            from django.db import connection

            from search.backends.postgres import PostgresBackend

            if connection.vendor != "postgresql":
                raise ValueError("--backend postgres needs DATABASE_URL to point at PostgreSQL")
            self.backend = PostgresBackend({}, prefix=f"search_eval_{uuid.uuid4().hex[:10]}_")
        else:
            raise ValueError(f"unknown backend {vendor!r}")
        self.backend.ensure_schema()

    def close(self) -> None:
        try:
            self.backend.drop_schema()
        finally:
            if self.path:
                for suffix in ("", "-wal", "-shm"):
                    Path(self.path + suffix).unlink(missing_ok=True)


def evaluate(corpus: str | Path, queries_path: str | Path, *, backend: str = "sqlite", k: int = 10,
             out: str | Path | None = None, baseline: bool = False,
             rows: Iterable[dict[str, Any]] | None = None) -> dict[str, Any]:
    """Run the evaluation; returns the figures (and writes ranked lists to ``out``)."""
    corpus_rows = list(rows) if rows is not None else read_jsonl(corpus)
    queries = load_queries(queries_path)
    index = ThrowawayIndex(backend)
    try:
        result, runs = run_sulieu(index.backend, corpus_rows, queries, k)
    finally:
        index.close()
    result = {"system": "sulieu", "backend": backend, "documents": len(corpus_rows), "queries": len(queries),
              "k": k, **result}
    if out:
        with open(out, "w", encoding="utf-8") as f:
            for q, ranked in runs:
                f.write(json.dumps({"qid": q.qid, "ranked": ranked}, ensure_ascii=False) + "\n")
    if baseline:
        base = run_baseline(corpus_rows, queries, k)
        result["baseline"] = {"system": "fts5 unicode61 remove_diacritics 2 + bm25, OR of quoted words", **base}
        result["vs_baseline"] = {m: round(result[m] - base[m], 4) for m in ("Recall@1", "Recall@5", "Recall@10",
                                                                                 "MRR@10")}
    return result
