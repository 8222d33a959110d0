"""PostgreSQL: how long ``eval-search``'s index takes, round after round, and where the cores went.

    DATABASE_URL=postgres://… .venv/bin/python bench/search/index_real.py [--times 4] [--rounds 3]
        [--option KEY=VALUE] [--timeline]

The real corpus (``search/eval/real/corpus.jsonl``, ``--times`` copies of it under new ids: 4 is about the size
of issue 18's hidden corpus) indexed as ``sulieu eval-search --backend postgres`` indexes it: throwaway tables
(``evaluation.ThrowawayIndex``), ``with backend.bulk(lists=True): backend.index(docs)``, dropped after.  One JSON
line per round: wall seconds (``index_s`` of eval-search), this process's CPU, the analysis processes' CPU, the
server's CPU (``index.server_cpu``), the 1-minute load before and after; ``--timeline``: when each analysed
batch reached the writer (``g``) and when its write ended (``w``), seconds from the start.  For an A/B, run it
from two trees in turn (the load average printed with each line: compare neighbouring runs only).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sulieu.settings")
os.environ.setdefault("SULIEU_DATA_DIR", tempfile.mkdtemp(prefix="sulieu-bench-index-real-"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--times", type=int, default=1, help="copies of the real corpus (new ids)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--option", action="append", default=[], metavar="KEY=VALUE", help="a backend option")
    parser.add_argument("--timeline", action="store_true")
    args = parser.parse_args()

    import django

    django.setup()
    from index import children_cpu, server_cpu

    import search.backends.sql.backend as sql_backend
    from search.evaluation import ThrowawayIndex, corpus_documents, read_jsonl

    docs, _ = corpus_documents(read_jsonl(ROOT / "search/eval/real/corpus.jsonl") * args.times)
    options: dict[str, Any] = dict(o.split("=", 1) for o in args.option)
    batches = sql_backend.analysed_batches
    marks: list[str] = []
    started = 0.0

    def timed(*a: Any, **kw: Any) -> Iterator[Any]:
        for batch in batches(*a, **kw):
            marks.append(f"g{time.perf_counter() - started:.3f}")
            yield batch
            marks.append(f"w{time.perf_counter() - started:.3f}")

    sql_backend.analysed_batches = timed  # type: ignore[assignment]
    for _ in range(args.rounds):
        index = ThrowawayIndex("postgres")
        backend = index.backend
        if options:
            backend.__init__(options, prefix=backend.t)  # type: ignore[misc]
        marks.clear()
        load = os.getloadavg()[0]
        s0, c0, k0 = server_cpu(backend), time.thread_time(), children_cpu()
        started = time.perf_counter()
        with backend.bulk(lists=True):
            backend.index(docs)
        wall = time.perf_counter() - started
        cpu, kids, s1 = time.thread_time() - c0, children_cpu() - k0, server_cpu(backend)
        out: dict[str, Any] = {
            "documents": len(docs), "rows": backend.passage_count(), "wall_s": round(wall, 3),
            "passages_per_wall_s": round(len(docs) / wall), "cpu_s": round(cpu, 2),
            "analysis_processes_cpu_s": round(kids, 2),
            "server_cpu_s": round(s1 - s0, 2) if s0 is not None and s1 is not None else None,
            "load_avg_1m_before": round(load, 2), "load_avg_1m_after": round(os.getloadavg()[0], 2),
        }
        if args.timeline:
            out["timeline"] = " ".join(marks)
        print(json.dumps(out), flush=True)
        index.close()


if __name__ == "__main__":
    main()
