"""Search benchmark: index throughput and query latency (with facets) on generated Vietnamese passages.

    .venv/bin/python bench/search/run.py [--passages 100000] [--queries 300] [--index /tmp/b.sqlite3]
                                         [--profile /tmp/q.prof] [--backend sqlite|postgres|both]
    scripts/with-postgres.sh .venv/bin/python bench/search/run.py --backend both --passages 20000

``--backend postgres`` indexes into throwaway ``search_bench_*`` tables of the PostgreSQL database named by
DATABASE_URL (dropped afterwards); ``both`` runs SQLite then PostgreSQL on the same corpus and queries and
prints one figure set per backend.

Passages come from the evaluation-set generator (search/eval/generate.py: official documents with symbols,
commune Party-history chapters, biographies); queries are its question, keyword, symbol and name queries,
half without diacritics.  The generated corpus is cached in the temp directory (``--cache``); ``--index PATH``
keeps the index and reuses it on the next run (query timing only).  Prints one JSON object: what was run, passages/s, p50/p95 ms, peak RSS.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pickle
import random
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sulieu.settings")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--passages", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--cache", default=tempfile.gettempdir(),
                        help="directory for the generated corpus (reused between runs; '' = no cache)")
    parser.add_argument("--index", default="",
                        help="keep the SQLite index at this path; reused (not rebuilt) when it exists")
    parser.add_argument("--profile", default="", help="write a cProfile of the query loop to this file")
    parser.add_argument("--backend", choices=["sqlite", "postgres", "both"], default="sqlite")
    args = parser.parse_args()

    import django

    django.setup()
    from search.documents import SearchDocument, SearchPage
    from search.eval.generate import build

    started = time.perf_counter()
    cache = Path(args.cache) / f"sulieu-search-bench-{args.passages}-{args.seed}.pickle" if args.cache else None
    if cache and cache.exists():
        with cache.open("rb") as f:
            rows, queries = pickle.load(f)
    else:
        rows, queries = build(args.passages, args.seed)
        if cache:
            with cache.open("wb") as f:
                pickle.dump((rows, queries), f)
    gen_s = time.perf_counter() - started
    rng = random.Random(args.seed)
    docs = [SearchDocument(id=n, title=r["title"], pages=[SearchPage(1, r["text"])], access=rng.choice(
        ["public", "public", "public", "internal", "restricted"]), unit_id=rng.randint(1, 20),
        unit_path=f"000001.{rng.randint(1, 20):06d}.", date_from=None) for n, r in enumerate(rows, 1)]
    chars = sum(len(r["text"]) for r in rows) / len(rows)
    sample = rng.sample(queries, min(args.queries, len(queries)))
    common = {"cpus": os.cpu_count(), "documents": len(docs), "passages": len(docs),
              "avg_passage_chars": round(chars), "generate_s": round(gen_s, 1), "queries": len(sample)}
    backends = ["sqlite", "postgres"] if args.backend == "both" else [args.backend]
    out = [run_one(name, docs, sample, args, common) for name in backends]
    print(json.dumps(out[0] if len(out) == 1 else out, ensure_ascii=False, indent=2))


def run_one(name: str, docs: list[Any], sample: list[dict[str, Any]], args: argparse.Namespace,
            common: dict[str, Any]) -> dict[str, Any]:
    from orgs.access import AccessScope
    from search.backends.sql.backend import SqlSearchBackend
    from search.backends.sql.connection import SqliteFileDb

    with tempfile.TemporaryDirectory() as tmp:
        reused = False
        size_mb = 0.0
        extra: dict[str, Any] = {}
        backend: SqlSearchBackend
        if name == "sqlite":
            from search.backends.sqlite import SqliteBackend

            path = Path(args.index) if args.index else Path(tmp) / "bench.sqlite3"
            reused = path.exists()
            backend = SqliteBackend({}, db=SqliteFileDb(str(path)))
            extra["sqlite"] = __import__("sqlite3").sqlite_version
        else:
            from django.db import connection

            from search.backends.postgres import PostgresBackend

            if connection.vendor != "postgresql":
                raise SystemExit("bench: --backend postgres needs DATABASE_URL to point at PostgreSQL "
                                 "(run it through scripts/with-postgres.sh)")
            backend = PostgresBackend({}, prefix="search_bench_")
            backend.drop_schema()
            with connection.cursor() as cur:
                cur.execute("SHOW server_version")
                extra["postgresql"] = cur.fetchone()[0]
        index_s = 0.0
        try:
            if not reused:
                backend.ensure_schema()
                started = time.perf_counter()
                with backend.bulk(lists=True):  # then optimized, lists built
                    backend.index(docs)
                index_s = time.perf_counter() - started
            if name == "sqlite":
                size_mb = sum(f.stat().st_size for f in path.parent.iterdir() if f.name.startswith(path.name)) / 1e6
            else:
                size_mb = float(backend.db.fetchall(
                    "SELECT SUM(pg_total_relation_size(c.oid)) FROM pg_class c "
                    "WHERE c.relname LIKE 'search_bench_%%' AND c.relkind = 'r'")[0][0] or 0) / 1e6
            scopes = [AccessScope(), AccessScope(everything=True),
                      AccessScope(member=True, internal_paths=("000001.000003.",),
                                  internal_unit_ids=frozenset({1, 3}))]
            for q in sample[:10]:  # warm caches and the planner
                backend.search(q["query"], scope=scopes[0], page_size=10, facets=True)
            times = []
            profiler = cProfile.Profile() if args.profile else None
            if profiler:
                profiler.enable()
            for i, q in enumerate(sample):
                t = time.perf_counter()
                backend.search(q["query"], scope=scopes[i % 3], page_size=10, facets=True)
                times.append((time.perf_counter() - t) * 1000)
            if profiler:
                profiler.disable()
                profiler.dump_stats(f"{args.profile}.{name}" if args.backend == "both" else args.profile)
            times.sort()
        finally:
            if name == "postgres":
                backend.drop_schema()
    return {
        "backend": name, **extra, **common, "index_s": round(index_s, 1),
        "index_passages_per_s": round(len(docs) / index_s) if index_s else None, "index_reused": reused,
        "index_mb": round(size_mb, 1),
        "query_ms_p50": round(statistics.median(times), 1),
        "query_ms_p95": round(times[int(0.95 * (len(times) - 1))], 1), "query_ms_max": round(times[-1], 1),
        "load_avg_1m": round(os.getloadavg()[0], 2),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "note": "one passage per document, facets and access filter included in every query",
    }


if __name__ == "__main__":
    main()
