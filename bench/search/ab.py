"""A/B of the search query path: a git revision's search code against the working tree's, in one process.

    .venv/bin/python bench/search/ab.py --base main --corpus real [--rounds 3]
    .venv/bin/python bench/search/ab.py --base main --corpus bench --passages 100000 --index /tmp/b100k.sqlite3 \
        [--kinds question,keyword] [--limit 200]
    DATABASE_URL=postgres://… .venv/bin/python bench/search/ab.py --backend postgres --base main --corpus real|bench

PostgreSQL (``--backend postgres``): the real set is indexed once per side in throwaway tables (prefixes
``search_aba_``/``search_abb_``, dropped at the end); the bench corpus is read from the tables
``bench/search/stages.py --backend postgres --index keep`` leaves (``--prefix``, default ``search_bench_``).  The work is in
the server, so queries are timed by the wall clock (the machine's load inflates both sides alike).

The base revision's ``search`` package is exported (``git archive``) into a temporary directory as
``search_base`` and imported next to the working tree's ``search``; both backends open the same SQLite index
(``--corpus real``: the real question set, indexed once per side in throwaway files, so an index-format change
is measured too; ``--corpus bench``: a kept bench index, both sides read it, so the index format must be the
same).  Every query runs on A then B (then plain FTS5 for the real set), in turn, ``--rounds`` times, timed by
this thread's CPU clock (SQLite runs in-process), so the machine's load hits both sides alike.  Prints, per
kind: p50 / p95 / mean CPU ms of each side, B's per-stage split, whether every hit (id, score, page, snippet),
count and facet value is identical, and R@1 / MRR@10 of both sides on the labelled queries.  The 1-minute
load average is printed before and after.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sqlite3
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench" / "search"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sulieu.settings")
os.environ.setdefault("SULIEU_DATA_DIR", tempfile.mkdtemp(prefix="sulieu-ab-"))
REAL = ROOT / "search" / "eval" / "real"
_WORD = re.compile(r"\w+")


def export_base(rev: str, into: Path) -> None:
    """The ``search`` package of ``rev`` as ``search_base`` under ``into`` (imports renamed)."""
    data = subprocess.run(["git", "-C", str(ROOT), "archive", rev, "search"], capture_output=True, check=True).stdout
    tar_path = into / "base.tar"
    tar_path.write_bytes(data)
    with tarfile.open(tar_path) as tar:
        tar.extractall(into, filter="data")
    (into / "search").rename(into / "search_base")
    for path in (into / "search_base").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        text = re.sub(r"\b(from|import) search([. ])", r"\1 search_base\2", text)
        path.write_text(text, encoding="utf-8")
    sys.path.insert(0, str(into))


def hit_key(res: Any) -> tuple[Any, ...]:
    return (res.count, res.count_approximate, res.facets_approximate,
            tuple((h.id, h.score, h.page, h.snippet) for h in res.hits),
            tuple((name, tuple((v.value, v.count) for v in values)) for name, values in sorted(res.facets.items())))


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(p * (len(values) - 1)))] if values else 0.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="main", help="git revision of side A")
    parser.add_argument("--corpus", choices=["real", "bench"], default="real")
    parser.add_argument("--backend", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--passages", type=int, default=100_000, help="bench corpus size (documents)")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--index", default="", help="bench: SQLite index path (built by B when missing)")
    parser.add_argument("--kinds", default="", help="bench: only these kinds (comma-separated)")
    parser.add_argument("--short", type=int, default=100, help="bench: 1–2 syllable queries added")
    parser.add_argument("--limit", type=int, default=0, help="at most this many queries (0: all)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--scope", choices=["everything", "rotate"], default="",
                        help="access scope (default: everything for real, rotate three scopes for bench)")
    parser.add_argument("--no-facets", action="store_true")
    parser.add_argument("--prefix", default="search_bench_",
                        help="PostgreSQL bench: table prefix of the kept index (stages.py --prefix)")
    parser.add_argument("--option", action="append", default=[], metavar="NAME=VALUE",
                        help="a backend option for side B (CANDIDATES=100, RERANK=50 …)")
    args = parser.parse_args()

    tmp = tempfile.TemporaryDirectory(prefix="sulieu-ab-")
    export_base(args.base, Path(tmp.name))
    import django

    django.setup()
    import search_base.backends.sqlite as base_sqlite  # type: ignore[import-not-found]
    import stages  # bench/search/stages.py: the per-stage timers

    from orgs.access import AccessScope
    from search.backends.sql.connection import SqliteFileDb
    from search.backends.sqlite import SqliteBackend
    from search.evaluation import corpus_documents, read_jsonl

    pg = args.backend == "postgres"
    clock = time.perf_counter if pg else time.thread_time
    stages.clock = clock
    options: dict[str, Any] = {}
    for item in args.option:
        name, _, value = item.partition("=")
        options[name] = value
    load_before = os.getloadavg()[0]
    drop: list[Any] = []
    plain: sqlite3.Connection | None = None
    if args.corpus == "real":
        rows = read_jsonl(REAL / "corpus.jsonl")
        docs, ids = corpus_documents(rows)
        sample = [{"query": r["query"], "relevant": [str(x) for x in r["relevant"]], "kind": "real"}
                  for r in read_jsonl(REAL / "queries.jsonl")]
        backends = []
        if pg:
            import search_base.backends.postgres as base_pg  # type: ignore[import-not-found]

            from search.backends.postgres import PostgresBackend
            for cls, opts, prefix in ((base_pg.PostgresBackend, {}, "search_aba_"),
                                      (PostgresBackend, options, "search_abb_")):
                b = cls(opts, prefix=prefix)
                b.drop_schema()
                b.ensure_schema()
                with b.bulk():
                    b.index(docs)
                backends.append(b)
            drop = list(backends)
        for cls, opts in () if pg else ((base_sqlite.SqliteBackend, {}), (SqliteBackend, options)):
            path = Path(tmp.name) / f"{cls.__module__}.sqlite3"
            b = cls(opts, db=SqliteFileDb(str(path)))
            b.ensure_schema()
            b.index(docs)
            b.optimize()
            backends.append(b)
        plain = sqlite3.connect(":memory:")
        plain.execute("CREATE VIRTUAL TABLE t USING fts5(doc_id UNINDEXED, title, text, "
                      "tokenize='unicode61 remove_diacritics 2')")
        plain.executemany("INSERT INTO t (doc_id, title, text) VALUES (?, ?, ?)",
                          [(str(r["id"]), str(r.get("title") or ""), str(r.get("text") or "")) for r in rows])
        plain.commit()
        label = {n: ids[n - 1] for n in range(1, len(ids) + 1)}
        scopes = [AccessScope(everything=True)]
    else:
        rows, queries, bdocs = stages.bench_corpus(args.passages, args.seed)
        sample = [dict(q) for q in queries] + stages.short_queries(rows, args.short, args.seed)
        label = {n: str(r["id"]) for n, r in enumerate(rows, 1)}
        if pg:
            import search_base.backends.postgres as base_pg

            from search.backends.postgres import PostgresBackend
            backends = [base_pg.PostgresBackend({}, prefix=args.prefix),
                        PostgresBackend(options, prefix=args.prefix)]
            if not backends[1].count():
                raise SystemExit("no PostgreSQL bench index: run bench/search/stages.py --backend postgres "
                                 "--index keep first")
        else:
            path = Path(args.index) if args.index else Path(tmp.name) / "bench.sqlite3"
            fresh = not path.exists()
            new = SqliteBackend(options, db=SqliteFileDb(str(path)))
            if fresh:
                new.ensure_schema()
                new.index(bdocs)
                new.optimize()
            backends = [base_sqlite.SqliteBackend({}, db=SqliteFileDb(str(path))), new]
        scopes = [AccessScope(), AccessScope(everything=True),
                  AccessScope(member=True, internal_paths=("000001.000003.",), internal_unit_ids=frozenset({1, 3}))]
    if args.scope == "everything":
        scopes = [AccessScope(everything=True)]
    if args.kinds:
        wanted = set(args.kinds.split(","))
        sample = [q for q in sample if q.get("kind") in wanted]
    if args.limit:
        sample = sample[: args.limit]
    facets = not args.no_facets

    def plain_run(text: str) -> list[str]:
        assert plain is not None
        words = list(dict.fromkeys(_WORD.findall(text)))
        if not words:
            return []
        expr = " OR ".join('"' + w.replace('"', '""') + '"' for w in words)
        return [r[0] for r in plain.execute("SELECT doc_id FROM t WHERE t MATCH ? ORDER BY bm25(t) LIMIT ?",
                                            (expr, 10))]

    results: list[list[Any]] = [[None] * len(sample), [None] * len(sample)]
    for i, q in enumerate(sample):  # warm-up, and the results compared
        for side, b in enumerate(backends):
            results[side][i] = b.search(q["query"], scope=scopes[i % len(scopes)], page_size=10, facets=facets)
    timings: list[dict[str, float]] = [defaultdict(float), defaultdict(float)]
    for side, b in enumerate(backends):
        stages.instrument(b, timings[side])
    times: dict[str, list[list[float]]] = defaultdict(lambda: [[], [], []])
    split: dict[str, list[dict[str, float]]] = defaultdict(lambda: [defaultdict(float), defaultdict(float)])
    for _ in range(args.rounds):
        for i, q in enumerate(sample):
            kind = q.get("kind", "")
            for side, b in enumerate(backends):
                timings[side].clear()
                t = clock()
                b.search(q["query"], scope=scopes[i % len(scopes)], page_size=10, facets=facets)
                ms = (clock() - t) * 1000
                for k in (kind, "all"):
                    times[k][side].append(ms)
                    for name, v in timings[side].items():
                        split[k][side][name] += v * 1000
            if plain is not None:
                t = clock()
                plain_run(q["query"])
                ms = (clock() - t) * 1000
                times[kind][2].append(ms)
                times["all"][2].append(ms)
    same = sum(hit_key(a) == hit_key(b) for a, b in zip(results[0], results[1], strict=True))
    same_ids = sum([h.id for h in a.hits] == [h.id for h in b.hits]
                   for a, b in zip(results[0], results[1], strict=True))
    for b in drop:
        b.drop_schema()
    out: dict[str, Any] = {"base": args.base, "corpus": args.corpus, "backend": args.backend,
                           "clock": "wall" if pg else "thread CPU", "queries": len(sample), "rounds": args.rounds,
                           "load_avg_1m_before": round(load_before, 2),
                           "load_avg_1m_after": round(os.getloadavg()[0], 2),
                           "identical_results": same, "identical_hit_ids": same_ids, "kinds": {}}
    labelled = [i for i, q in enumerate(sample) if q.get("relevant")]
    if labelled:
        quality = {}
        for side, name in enumerate(("A", "B")):
            r1 = mrr = 0.0
            for i in labelled:
                ranked = [label[h.id] for h in results[side][i].hits]
                rel = set(sample[i]["relevant"])
                r1 += bool(ranked and ranked[0] in rel) if len(rel) >= 1 else 0
                rank = next((k for k, d in enumerate(ranked[:10], 1) if d in rel), None)
                mrr += 1 / rank if rank else 0.0
            quality[name] = {"R@1": round(100 * r1 / len(labelled), 2), "MRR@10": round(100 * mrr / len(labelled), 2)}
        out["quality"] = quality
    if plain is not None:
        r1 = mrr = 0.0
        for q in sample:
            ranked = plain_run(q["query"])
            rel = set(q["relevant"])
            r1 += bool(ranked and ranked[0] in rel)
            rank = next((k for k, d in enumerate(ranked[:10], 1) if d in rel), None)
            mrr += 1 / rank if rank else 0.0
        out["quality"]["plain_fts5"] = {"R@1": round(100 * r1 / len(sample), 2),
                                        "MRR@10": round(100 * mrr / len(sample), 2)}
    for kind, sides in sorted(times.items()):
        n = len(sides[0])
        entry: dict[str, Any] = {"queries": n // args.rounds}
        for side, name in enumerate(("A", "B", "plain_fts5")):
            if sides[side]:
                entry[name] = {"p50": round(statistics.median(sides[side]), 2), "p95": round(pct(sides[side], 0.95), 2),
                               "mean": round(statistics.mean(sides[side]), 2)}
        for side, name in enumerate(("A_stages", "B_stages")):
            entry[name] = {k: round(v / n, 2) for k, v in sorted(split[kind][side].items())}
        out["kinds"][kind] = entry
    print(json.dumps(out, ensure_ascii=False, indent=1))
    tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
