"""Where a search query's time goes: per-stage timers over the bench corpus, by kind of query.

    .venv/bin/python bench/search/stages.py [--passages 20000] [--index /tmp/b.sqlite3] [--backend sqlite|postgres]
    scripts/with-postgres.sh .venv/bin/python bench/search/stages.py --backend postgres --passages 20000

Same corpus, scopes and index as bench/search/run.py (``--index`` reuses a kept SQLite index).  Queries: the
bench's question, keyword, name and symbol queries, and short ones (one or two syllables of a title, the
kind typed into a search box).  Each stage of :class:`search.backends.sql.backend.SqlSearchBackend` is timed
inclusively (``sql`` = time inside the database calls made while that stage was innermost); printed as mean
ms per query and kind, with p50/p95 of the whole query.  Timers only wrap methods: the code measured is the
code that runs.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import random
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sulieu.settings")

CLOCK = {"wall": time.perf_counter, "cpu": time.thread_time}
clock = time.perf_counter
STAGES = ("doc_freqs", "_first_stage", "_first_stage_counted", "_rerank", "_count_and_facets", "_hits")


def short_queries(rows: list[dict[str, Any]], n: int, seed: int) -> list[dict[str, Any]]:
    """One or two adjacent syllables of random titles (what people type into a search box)."""
    rng = random.Random(seed)
    out: list[dict[str, Any]] = []
    while len(out) < n:
        words = rng.choice(rows)["title"].split()
        k = rng.choice((1, 2))
        if len(words) < k:
            continue
        i = rng.randrange(len(words) - k + 1)
        out.append({"query": " ".join(words[i : i + k]), "kind": f"short{k}"})
    return out


def bench_corpus(passages: int, seed: int) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[Any]]:
    """The bench's generated rows and labelled queries (cached in the temp directory) and its documents, with
    the access levels and units every search bench gives them."""
    from search.documents import SearchDocument, SearchPage
    from search.eval.generate import build

    cache = Path(tempfile.gettempdir()) / f"sulieu-search-bench-{passages}-{seed}.pickle"
    if cache.exists():
        with cache.open("rb") as f:
            rows, queries = pickle.load(f)
    else:
        rows, queries = build(passages, seed)
        with cache.open("wb") as f:
            pickle.dump((rows, queries), f)
    rng = random.Random(seed)
    docs = [SearchDocument(id=n, title=r["title"], pages=[SearchPage(1, r["text"])], access=rng.choice(
        ["public", "public", "public", "internal", "restricted"]), unit_id=rng.randint(1, 20),
        unit_path=f"000001.{rng.randint(1, 20):06d}.", date_from=None) for n, r in enumerate(rows, 1)]
    return rows, queries, docs


def instrument(backend: Any, timings: dict[str, float]) -> None:
    stack: list[str] = []
    import search.backends.sql.backend as backend_module

    def wrap(name: str, fn: Any) -> Any:
        def timed(*args: Any, **kwargs: Any) -> Any:
            stack.append(name)
            t = clock()
            try:
                return fn(*args, **kwargs)
            finally:
                timings[name] += clock() - t
                stack.pop()
        return timed

    for name in STAGES:
        setattr(backend, name, wrap(name, getattr(backend, name)))
    fetchall = backend.db.fetchall

    def timed_fetchall(*args: Any, **kwargs: Any) -> Any:
        t = clock()
        try:
            return fetchall(*args, **kwargs)
        finally:
            timings["sql:" + (stack[-1] if stack else "search")] += clock() - t

    backend.db.fetchall = timed_fetchall
    setattr(backend_module, "snippet", wrap("snippet", getattr(backend_module, "snippet")))  # noqa: B009, B010


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--passages", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--short", type=int, default=100, help="number of 1–2 syllable queries")
    parser.add_argument("--index", default="", help="SQLite index path (kept; reused when it exists); with "
                        "postgres any value keeps the search_bench_* tables for the next run")
    parser.add_argument("--backend", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--prefix", default="search_bench_", help="PostgreSQL: table prefix of the bench index "
                        "(one per size kept side by side)")
    parser.add_argument("--rounds", type=int, default=2, help="times each query is run (after one warm-up)")
    parser.add_argument("--clock", choices=list(CLOCK), default="wall",
                        help="cpu: this thread's CPU time (SQLite runs in-process; steadier than wall time on a "
                             "loaded machine; meaningless for PostgreSQL, whose work is in the server)")
    args = parser.parse_args()
    global clock
    clock = CLOCK[args.clock]

    import django

    django.setup()
    from orgs.access import AccessScope

    rows, queries, docs = bench_corpus(args.passages, args.seed)
    sample = queries + short_queries(rows, args.short, args.seed)

    tmp = tempfile.TemporaryDirectory()
    if args.backend == "sqlite":
        from search.backends.sql.connection import SqliteFileDb
        from search.backends.sqlite import SqliteBackend

        path = Path(args.index) if args.index else Path(tmp.name) / "stages.sqlite3"
        fresh = not path.exists()
        backend: Any = SqliteBackend({}, db=SqliteFileDb(str(path)))
    else:
        from search.backends.postgres import PostgresBackend

        # --index (any value) keeps the search_bench_* tables and reuses them on the next run
        backend = PostgresBackend({}, prefix=args.prefix)
        if not args.index:
            backend.drop_schema()
        backend.ensure_schema()
        fresh = backend.count() == 0
    index_s = 0.0
    if fresh:
        backend.ensure_schema()
        t = clock()
        with backend.bulk(lists=True):  # then optimized, lists built (what reindex's refresh task leaves)
            backend.index(docs)
        index_s = clock() - t
    scopes = [AccessScope(), AccessScope(everything=True),
              AccessScope(member=True, internal_paths=("000001.000003.",), internal_unit_ids=frozenset({1, 3}))]
    for q in sample:  # warm-up: caches, planner
        backend.search(q["query"], scope=scopes[0], page_size=10, facets=True)
    timings: dict[str, float] = defaultdict(float)
    instrument(backend, timings)
    per_kind: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    totals: dict[str, list[float]] = defaultdict(list)
    syllables: dict[str, list[int]] = defaultdict(list)
    for _ in range(args.rounds):
        for i, q in enumerate(sample):
            kind = q.get("kind", "")
            timings.clear()
            t = clock()
            backend.search(q["query"], scope=scopes[i % 3], page_size=10, facets=True)
            total = clock() - t
            totals[kind].append(total * 1000)
            totals["all"].append(total * 1000)
            syllables[kind].append(len(q["query"].split()))
            for key, value in timings.items():
                per_kind[kind][key] += value * 1000
                per_kind["all"][key] += value * 1000
    out: dict[str, Any] = {"backend": args.backend, "passages": len(docs), "rows": backend.passage_count(),
                           "index_s": round(index_s, 1), "clock": args.clock, "load_avg_1m": round(os.getloadavg()[0], 2),
                           "kinds": {}}
    for kind, values in sorted(totals.items()):
        values.sort()
        n = len(values)
        out["kinds"][kind] = {
            "queries": n,
            "syllables_avg": round(statistics.mean(syllables[kind] or [0]), 1) if kind != "all" else None,
            "p50": round(statistics.median(values), 1), "p95": round(values[int(0.95 * (n - 1))], 1),
            "mean": round(statistics.mean(values), 1),
            "stages_mean_ms": {k: round(v / n, 2) for k, v in sorted(per_kind[kind].items())},
        }
    print(json.dumps(out, ensure_ascii=False, indent=1))
    if args.backend == "postgres" and not args.index:
        backend.drop_schema()
    tmp.cleanup()


if __name__ == "__main__":
    main()
