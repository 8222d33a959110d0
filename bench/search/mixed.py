"""The real questions over a corpus of the hidden evaluation's size: the real corpus plus generated distractors.

    DATABASE_URL=postgres://… .venv/bin/python bench/search/mixed.py [--distractors 4500] [--rounds 2]

Issue 18's hidden corpus holds about four times the passages of ``search/eval/real/corpus.jsonl``.  Copies of
the real corpus (``index_real.py --times 4``) would size the index but not the ranking: every answer four
times.  Here the real documents (ids 1…n, as ``sulieu eval-search`` numbers them) are indexed with
``--distractors`` generated bench documents after them, so that the index is past PostgreSQL's ``SMALL_INDEX``
and a broad question takes the sampled path, as it would on the hidden corpus.  Both backends are built in
throwaway storage (SQLite file, PostgreSQL tables ``search_mix_*``, dropped at the end) and every question runs
on SQLite then PostgreSQL, ``--rounds`` times, timed by the wall clock.  Prints JSON: rows, index seconds,
R@1 / MRR@10 of each backend, how many questions have the same top hit and the same top 10, p50 / p95 / mean ms,
and the 1-minute load before and after.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sulieu.settings")
os.environ.setdefault("SULIEU_DATA_DIR", tempfile.mkdtemp(prefix="sulieu-bench-mixed-"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--distractors", type=int, default=4500, help="generated documents added")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--option", action="append", default=[], metavar="NAME=VALUE",
                        help="a PostgreSQL backend option (SMALL_INDEX=20000 …)")
    args = parser.parse_args()

    import django

    django.setup()
    import stages  # bench/search/stages.py: the generated corpus

    from orgs.access import AccessScope
    from search.backends.postgres import PostgresBackend
    from search.backends.sql.connection import SqliteFileDb
    from search.backends.sqlite import SqliteBackend
    from search.documents import SearchDocument
    from search.evaluation import corpus_documents, read_jsonl

    real = ROOT / "search" / "eval" / "real"
    docs, ids = corpus_documents(read_jsonl(real / "corpus.jsonl"))
    _rows, _queries, generated = stages.bench_corpus(max(args.distractors, 1000), args.seed)
    docs += [SearchDocument(id=len(ids) + n, title=d.title, pages=d.pages)
             for n, d in enumerate(generated[: args.distractors], 1)]
    questions = [(r["query"], {str(x) for x in r["relevant"]}) for r in read_jsonl(real / "queries.jsonl")]
    load_before = os.getloadavg()[0]
    tmp = tempfile.TemporaryDirectory(prefix="sulieu-bench-mixed-")
    lite = SqliteBackend({}, db=SqliteFileDb(str(Path(tmp.name) / "mixed.sqlite3")))
    pg = PostgresBackend(dict(o.split("=", 1) for o in args.option), prefix="search_mix_")
    built: dict[str, float] = {}
    try:
        for name, backend in (("sqlite", lite), ("postgres", pg)):
            t = time.perf_counter()
            if name == "postgres":
                backend.drop_schema()
                backend.ensure_schema()
                with backend.bulk():
                    backend.index(docs)
            else:
                backend.ensure_schema()
                backend.index(docs)
                backend.optimize()
            built[name] = round(time.perf_counter() - t, 2)
        scope = AccessScope(everything=True)
        sides = {"sqlite": lite, "postgres": pg}
        tops: dict[str, list[list[str]]] = {name: [] for name in sides}
        for query, _rel in questions:  # warm-up, and the rankings compared
            for name, backend in sides.items():
                res = backend.search(query, scope=scope, page_size=10, facets=True)
                tops[name].append([ids[h.id - 1] if h.id <= len(ids) else f"g{h.id}" for h in res.hits])
        times: dict[str, list[float]] = {name: [] for name in sides}
        for _ in range(args.rounds):
            for query, _rel in questions:
                for name, backend in sides.items():
                    t = time.perf_counter()
                    backend.search(query, scope=scope, page_size=10, facets=True)
                    times[name].append((time.perf_counter() - t) * 1000)
        out: dict[str, Any] = {"documents": len(docs), "rows": pg.passage_count(), "options": args.option, "questions": len(questions),
                               "index_s": built, "load_avg_1m_before": round(load_before, 2)}
        for name in sides:
            r1 = mrr = 0.0
            for (_q, rel), ranked in zip(questions, tops[name], strict=True):
                r1 += bool(ranked and ranked[0] in rel)
                rank = next((k for k, d in enumerate(ranked[:10], 1) if d in rel), None)
                mrr += 1 / rank if rank else 0.0
            ms = sorted(times[name])
            out[name] = {"R@1": round(100 * r1 / len(questions), 2), "MRR@10": round(100 * mrr / len(questions), 2),
                         "p50": round(statistics.median(ms), 2), "p95": round(ms[int(0.95 * (len(ms) - 1))], 2),
                         "mean": round(statistics.mean(ms), 2)}
        out["same_top1"] = sum(a[:1] == b[:1] for a, b in zip(tops["sqlite"], tops["postgres"], strict=True))
        out["same_top10"] = sum(a == b for a, b in zip(tops["sqlite"], tops["postgres"], strict=True))
        out["load_avg_1m_after"] = round(os.getloadavg()[0], 2)
        print(json.dumps(out, indent=1))
    finally:
        pg.drop_schema()


if __name__ == "__main__":
    main()
