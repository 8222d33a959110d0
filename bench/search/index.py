"""Where indexing time goes: per-phase CPU and wall time of ``bulk()`` + ``index()`` on the bench corpus.

    .venv/bin/python bench/search/index.py [--passages 8000] [--index /tmp/i.sqlite3] [--profile /tmp/i.prof]
                                           [--backend sqlite|postgres] [--analysis-only]
    scripts/with-postgres.sh .venv/bin/python bench/search/index.py --backend postgres --passages 8000

The corpus is bench/search's (``stages.bench_corpus``: generated documents of one text page each; a
"passage" below is one such page, so ``--passages 8000`` writes 8,000 page rows plus 8,000 head rows).  The
index is built the way ``sulieu reindex`` builds it (``with backend.bulk(): backend.index(docs)``) into an
empty index, in this process, once.  Every phase is timed exclusively (a phase's time excludes the phases it
calls) by this thread's CPU clock and by the wall clock:

* analysis: ``segments`` (case folding, tokens, phrase breaks), ``text_terms`` (folds, bigrams), ``symbols``
  (document-symbol keys of running text), ``head`` (the head row's terms: own symbol, fields), ``rows``
  (row tuples, meta columns, term strings joined);
* SQL, by the statement's target: ``sql:passage``, ``sql:passage_text``, ``sql:fts`` (FTS5 inserts; their
  segment merges included), ``sql:delete`` (replacing earlier rows), ``sql:merge`` (FTS5 ``optimize``/``merge``),
  ``sql:df`` (document frequencies from fts5vocab), ``sql:lists`` (best-passage lists), ``sql:other``.

Prints one JSON object: passages/s by CPU and by wall clock, the phases, the load average before and after.
``cpu_s`` is this thread's CPU time, ``analysis_processes_cpu_s`` that of the analysis processes
(``--processes``; counted when the pool closes); passages/s by CPU counts both.  ``server_cpu_s``
(PostgreSQL on this machine): the cluster's CPU time, from /proc.  ``--profile`` writes a
cProfile of the whole build instead (the phases are then not timed).
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import json
import os
import resource
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sulieu.settings")
os.environ.setdefault("SULIEU_DATA_DIR", tempfile.mkdtemp(prefix="sulieu-bench-index-"))


class Phases:
    """Exclusive CPU and wall time per phase (a stack: an inner phase's time is not its caller's)."""

    def __init__(self) -> None:
        self.cpu: dict[str, float] = defaultdict(float)
        self.wall: dict[str, float] = defaultdict(float)
        self.calls: dict[str, int] = defaultdict(int)
        self.stack: list[list[float]] = []  # [cpu start, wall start, cpu of children, wall of children]

    def run(self, name: str, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        self.stack.append([time.thread_time(), time.perf_counter(), 0.0, 0.0])
        try:
            return fn(*args, **kwargs)
        finally:
            c0, w0, child_c, child_w = self.stack.pop()
            c, w = time.thread_time() - c0, time.perf_counter() - w0
            self.cpu[name] += c - child_c
            self.wall[name] += w - child_w
            self.calls[name] += 1
            if self.stack:
                self.stack[-1][2] += c
                self.stack[-1][3] += w

    def wrap(self, owner: Any, attr: str, name: str) -> None:
        fn = getattr(owner, attr)

        def timed(*args: Any, **kwargs: Any) -> Any:
            return self.run(name, fn, *args, **kwargs)

        setattr(owner, attr, timed)


def sql_phase(sql: str, prefix: str) -> str:
    s = " ".join(sql.split())
    if "'optimize'" in s or "'merge'" in s or "'automerge'" in s or "'crisismerge'" in s:
        return "sql:merge"
    if "top_new" in s or f"{prefix}top " in s:
        return "sql:lists"
    if f"{prefix}df" in s and "fts_vocab" in s:
        return "sql:df"
    # PostgreSQL
    if s.startswith("CREATE INDEX") and "GIN" in s:
        return "sql:gin build"
    if s.startswith(("CREATE", "ALTER", "DROP", "SET", "RESET")):
        return "sql:schema"
    if s.startswith("ANALYZE") or "gin_clean_pending_list" in s:
        return "sql:analyze"
    if f"INTO {prefix}df " in s or f"FROM {prefix}df_load" in s or "ts_stat(" in s:
        return "sql:df"
    if "nextval(" in s:
        return "sql:ids"
    if f"{prefix}stat " in s:
        return "sql:stat"
    if "'delete'" in s or s.startswith("DELETE"):
        return "sql:delete"
    for table in ("fts", "passage_text", "passage"):
        if f"INSERT INTO {prefix}{table} " in s:
            return f"sql:{table}"
    return "sql:other"


def instrument(phases: Phases, backend: Any) -> None:
    import search.analysis as analysis
    import search.backends.sql.rows as rows

    phases.wrap(analysis, "_segments", "analysis:segments")
    phases.wrap(analysis, "symbol_keys_in", "analysis:symbols")
    phases.wrap(rows, "symbol_spans_in", "analysis:symbols")  # the first page's, shared with the head
    phases.wrap(rows, "text_terms", "analysis:text_terms")
    phases.wrap(rows, "head_terms", "analysis:head")
    phases.wrap(rows, "document_rows", "analysis:rows")
    db, prefix = backend.db, backend.t
    for attr in ("execute", "executemany", "fetchall"):
        fn = getattr(db, attr)

        def timed(sql: str, *args: Any, _fn: Any = fn) -> Any:
            return phases.run(sql_phase(sql, prefix), _fn, sql, *args)

        setattr(db, attr, timed)
    if hasattr(backend, "_insert") and backend.vendor == "postgresql":
        # the Python side of a PostgreSQL batch: vectors, term counts, rows for COPY
        phases.wrap(backend, "_insert", "write:prepare")
    if hasattr(db, "copy"):
        fn = db.copy
        setattr(db, "copy", lambda table, *a, **kw: phases.run(f"sql:copy {table}", fn, table, *a, **kw))  # noqa: B010


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--passages", type=int, default=8000)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--index", default="", help="SQLite: build the index at this path (kept; must not exist)")
    parser.add_argument("--backend", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--profile", default="", help="write a cProfile of the build to this file")
    parser.add_argument("--processes", type=int, default=None,
                        help="ANALYSIS_PROCESSES (default: the backend's: PostgreSQL 2 on 2+ cores, SQLite 0); the "
                             "analysis phases are then timed only when 0 (the work is in the other process)")
    parser.add_argument("--option", action="append", default=[], metavar="KEY=VALUE", help="a backend option")
    parser.add_argument("--analysis-only", action="store_true", help="only the analysis (document_rows), no SQL")
    parser.add_argument("--one-item", type=int, default=0, metavar="N",
                        help="after the build, N ingests of one new item each (index() of one document, as "
                             "the archive pipeline's last step does): wall and CPU ms, p50 and p95")
    args = parser.parse_args()

    import django

    django.setup()
    from stages import bench_corpus

    _rows, _queries, docs = bench_corpus(args.passages, args.seed)
    load_before = os.getloadavg()[0]
    phases = Phases()
    tmp = tempfile.TemporaryDirectory()
    out: dict[str, Any] = {"backend": args.backend, "passages": len(docs)}
    if args.analysis_only:
        from search.backends.sql import rows as rows_module

        backend = None
        if not args.profile:
            instrument_analysis_only(phases)
        work: Callable[[], Any] = lambda: [rows_module.document_rows(d) for d in docs]  # noqa: E731
    else:
        options: dict[str, Any] = dict(o.split("=", 1) for o in args.option)
        if args.processes is not None:
            options["ANALYSIS_PROCESSES"] = args.processes
        backend = open_backend(args, tmp.name, options)
        out["analysis_processes"] = backend.analysis_processes
        backend.ensure_schema()
        if backend.count():
            raise SystemExit(f"bench: the index at {args.index or 'search_bench_*'} is not empty")

        def work() -> None:
            with backend.bulk():
                backend.index(docs)

        if not args.profile:
            instrument(phases, backend)
    profiler = cProfile.Profile() if args.profile else None
    s0 = server_cpu(backend)
    c0, w0, k0 = time.thread_time(), time.perf_counter(), children_cpu()
    if profiler:
        profiler.enable()
    work()
    if profiler:
        profiler.disable()
        profiler.dump_stats(args.profile)
    cpu, wall, kids = time.thread_time() - c0, time.perf_counter() - w0, children_cpu() - k0
    s1 = server_cpu(backend)
    if s0 is not None and s1 is not None:
        out["server_cpu_s"] = round(s1 - s0, 2)
    out.update({
        "rows": backend.passage_count() if backend else None,
        "cpu_s": round(cpu, 2), "analysis_processes_cpu_s": round(kids, 2), "wall_s": round(wall, 2),
        "passages_per_cpu_s": round(len(docs) / (cpu + kids)), "passages_per_wall_s": round(len(docs) / wall),
        "load_avg_1m_before": round(load_before, 2), "load_avg_1m_after": round(os.getloadavg()[0], 2),
        "phases_cpu_s": {k: round(v, 2) for k, v in sorted(phases.cpu.items(), key=lambda kv: -kv[1])},
        "phases_wall_s": {k: round(v, 2) for k, v in sorted(phases.wall.items(), key=lambda kv: -kv[1])},
    })
    if backend is not None and args.one_item:
        out["one_item"] = one_item_latency(backend, docs, args.one_item)
    if backend is not None and args.backend == "postgres":
        backend.drop_schema()
    if args.index and backend is not None:
        backend.db.connection.close()  # checkpointed: the kept file stands alone (no -wal beside it)
        out["index_mb"] = round(sum(f.stat().st_size for f in Path(args.index).parent.iterdir()
                                    if f.name.startswith(Path(args.index).name)) / 1e6, 1)
    print(json.dumps(out, ensure_ascii=False, indent=1))
    tmp.cleanup()


def one_item_latency(backend: Any, docs: list[Any], n: int) -> dict[str, Any]:
    """``n`` index() calls of one new document each (a copy of a bench document under a new id)."""
    import dataclasses

    first = max(d.id for d in docs) + 1
    wall, cpu = [], []
    for k in range(n):
        doc = dataclasses.replace(docs[k % len(docs)], id=first + k)
        c0, w0 = time.thread_time(), time.perf_counter()
        backend.index([doc])
        cpu.append(1000 * (time.thread_time() - c0))
        wall.append(1000 * (time.perf_counter() - w0))

    def pct(xs: list[float], q: float) -> float:
        xs = sorted(xs)
        return round(xs[min(len(xs) - 1, int(q * len(xs)))], 2)

    return {"n": n, "wall_ms_p50": pct(wall, 0.5), "wall_ms_p95": pct(wall, 0.95), "cpu_ms_p50": pct(cpu, 0.5),
            "load_avg_1m": round(os.getloadavg()[0], 2)}


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def server_cpu(backend: Any) -> float | None:
    """CPU seconds of a local PostgreSQL cluster (the postmaster, its live processes and the exited ones it
    waited for), read from /proc; None when the server is elsewhere or unreadable."""
    if backend is None or backend.vendor != "postgresql":
        return None
    try:
        data = backend.db.fetchall("SELECT current_setting('data_directory')")[0][0]
        pid = int((Path(data) / "postmaster.pid").read_text().split()[0])
        tick = os.sysconf("SC_CLK_TCK")

        def fields(p: int | str) -> list[str]:
            return (Path("/proc") / str(p) / "stat").read_text().rsplit(")", 1)[1].split()

        own = fields(pid)
        total = sum(int(x) for x in own[11:15])  # utime, stime, cutime, cstime
        for proc in Path("/proc").iterdir():
            if proc.name.isdigit():
                with contextlib.suppress(OSError, IndexError):
                    f = fields(proc.name)
                    if int(f[1]) == pid:  # ppid
                        total += int(f[11]) + int(f[12])
        return total / tick
    except Exception:  # noqa: BLE001 - a remote server or no /proc: the figure is left out
        return None


def instrument_analysis_only(phases: Phases) -> None:
    import search.analysis as analysis
    import search.backends.sql.rows as rows

    phases.wrap(analysis, "_segments", "analysis:segments")
    phases.wrap(analysis, "symbol_keys_in", "analysis:symbols")
    phases.wrap(rows, "symbol_spans_in", "analysis:symbols")  # the first page's, shared with the head
    phases.wrap(rows, "text_terms", "analysis:text_terms")
    phases.wrap(rows, "head_terms", "analysis:head")
    phases.wrap(rows, "document_rows", "analysis:rows")


def open_backend(args: argparse.Namespace, tmp: str, options: dict[str, Any]) -> Any:
    if args.backend == "sqlite":
        from search.backends.sql.connection import SqliteFileDb
        from search.backends.sqlite import SqliteBackend

        path = Path(args.index) if args.index else Path(tmp) / "index.sqlite3"
        if path.exists():
            raise SystemExit(f"bench: {path} exists (the build is measured into an empty index)")
        return SqliteBackend(options, db=SqliteFileDb(str(path)))
    from django.db import connection

    from search.backends.postgres import PostgresBackend

    if connection.vendor != "postgresql":
        raise SystemExit("bench: --backend postgres needs DATABASE_URL (run it through scripts/with-postgres.sh)")
    backend = PostgresBackend(options, prefix="search_bench_")
    backend.drop_schema()
    return backend


if __name__ == "__main__":
    main()
