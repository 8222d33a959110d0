"""Browsing without text (the reading room's default listing): date order, count and facets, timed on a kept index.

    .venv/bin/python bench/search/browse.py --backend sqlite --passages 500000 --index /tmp/browse/b1m.sqlite3
    DATABASE_URL=postgres://… .venv/bin/python bench/search/browse.py --backend postgres --passages 500000 \
        --prefix search_br1m_ [--rounds 7] [--save before.json] [--compare before.json] [--errors]

The corpus is stages.py's (the bench's generated documents with its access levels and units), each item given
a type, an issuer, a collection and a date (one in ten without), drawn from its own seeded generator: the bench's
documents carry none, and a listing by date of undated items measures nothing.  The index is built when the
table (``--prefix``) or file (``--index``) is empty (``index_s``: the bulk load's wall time, SQLite without
best-passage lists, which browsing never reads), then kept.

Cases: every scope (everything, public, a member of a unit) × filter (none, ``type``, ``year``) × facets (without, with), plus pages
2 and 50 of the plain listing; one warm-up round, then ``--rounds`` rounds with the cases interleaved (so a load
change hits every case alike).  Prints JSON: per case p50 / p95 ms (wall clock), the count, whether the facets
are approximate, a digest of the hits and count (and of the facets when exact); the 1-minute load average before
and after.  ``--save`` writes the digests, ``--compare`` checks them against a saved run (the same hits and count,
and the same exact facets).  ``--errors``: approximate facets measured against the exact counts (the share of
items counted wrongly per facet, ``l1``, and the largest relative error of a value holding ≥ 1 % of the items).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sulieu.settings")

TYPES = (("Công văn", "CV", 30), ("Quyết định", "QĐ", 20), ("Báo cáo", "BC", 15), ("Kế hoạch", "KH", 10),
         ("Nghị quyết", "NQ", 8), ("Tờ trình", "TTr", 7), ("Thông báo", "TB", 6), ("Sách", "", 4))
ISSUERS = (("Ủy ban nhân dân tỉnh", "UBND"), ("Tỉnh ủy", "TU"), ("Huyện ủy", "HU"), ("Sở Nội vụ", "SNV"),
           ("Hội đồng nhân dân tỉnh", "HĐND"), ("Ban Tuyên giáo", "BTG"), ("Mặt trận Tổ quốc", "MTTQ"))
FILTERS = {"none": {}, "type": {"type": "BC"}, "year": {"year": 1998}}


def dated(docs: list[Any], seed: int) -> list[Any]:
    """The documents with a type, issuer, collection and date each (in place)."""
    rng = random.Random(seed * 7919 + 1)
    types = [t for t in TYPES for _ in range(t[2])]
    first = dt.date(1945, 1, 1)
    for d in docs:
        d.doc_type, d.doc_type_code, _w = rng.choice(types)
        d.issuer, d.issuer_code = rng.choice(ISSUERS)
        d.collection_id = rng.randint(1, 40)
        d.collection_path = f"{d.collection_id:06d}."
        d.date_from = None if rng.random() < 0.1 else first + dt.timedelta(days=rng.randint(0, 29000))
    return docs


def digest(*parts: Any) -> str:
    return hashlib.sha1(json.dumps(parts, default=str).encode(), usedforsecurity=False).hexdigest()[:12]


def facet_error(approx: dict[str, list[Any]], exact: dict[str, list[Any]], count: int) -> dict[str, float]:
    l1: list[float] = []
    worst = 0.0
    for name, values in exact.items():
        got = {v.value: v.count for v in approx.get(name, [])}
        total = sum(v.count for v in values) or 1
        l1.append(sum(abs(got.get(v.value, 0) - v.count) for v in values) / total)
        for v in values:
            if v.count >= 0.01 * count:
                worst = max(worst, abs(got.get(v.value, 0) - v.count) / v.count)
    return {"l1_mean": round(statistics.mean(l1), 4), "l1_max": round(max(l1), 4), "rel_max_1pct": round(worst, 4)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--passages", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--index", default="", help="SQLite index file (built when missing)")
    parser.add_argument("--prefix", default="search_br100k_", help="PostgreSQL table prefix (built when empty)")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--save", default="")
    parser.add_argument("--compare", default="")
    parser.add_argument("--errors", action="store_true")
    args = parser.parse_args()
    if args.backend == "sqlite" and not args.index:
        parser.error("--index: the SQLite index file")

    import django

    django.setup()
    from orgs.access import AccessScope
    from search.backends.sql.facets import HEADS
    from search.query import parse_query

    if args.backend == "sqlite":
        from search.backends.sql.connection import SqliteFileDb
        from search.backends.sqlite import SqliteBackend

        backend: Any = SqliteBackend({}, db=SqliteFileDb(args.index))
    else:
        from search.backends.postgres import PostgresBackend

        backend = PostgresBackend({}, prefix=args.prefix)
    backend.ensure_schema()
    out: dict[str, Any] = {"backend": args.backend, "load_avg_1m_before": round(os.getloadavg()[0], 2)}
    if backend.count() == 0:
        from stages import bench_corpus

        docs = dated(bench_corpus(args.passages, args.seed)[2], args.seed)
        t = time.perf_counter()
        with backend.bulk(lists=False):
            backend.index(docs)
        out["index_s"] = round(time.perf_counter() - t, 1)
        del docs
    out.update(items=backend.count(), rows=backend.passage_count())
    scopes = {"everything": AccessScope(everything=True), "public": AccessScope(),
              # stages.py's third scope: internal items of two units of the twenty (unit paths, unit ids)
              "member": AccessScope(member=True, internal_paths=("000001.000003.",),
                                    internal_unit_ids=frozenset({1, 3}))}
    cases: dict[str, dict[str, Any]] = {}
    for scope in scopes:
        for fname, filters in FILTERS.items():
            for facets in (False, True):
                cases[f"{scope}/{fname}/{'facets' if facets else 'plain'}"] = dict(
                    scope=scopes[scope], filters=filters, facets=facets, page=1)
        for page in (2, 50):
            cases[f"{scope}/none/page{page}"] = dict(scope=scopes[scope], filters={}, facets=False, page=page)
    times: dict[str, list[float]] = {name: [] for name in cases}
    results: dict[str, Any] = {}
    for round_ in range(args.rounds + 1):
        for name, case in cases.items():
            t = time.perf_counter()
            res = backend.search("", sort="date", page_size=20, **case)
            if round_:
                times[name].append((time.perf_counter() - t) * 1000)
            results[name] = res
    report: dict[str, Any] = {}
    for name, values in times.items():
        res = results[name]
        values.sort()
        facets = {k: [(v.value, v.count) for v in vs] for k, vs in sorted(res.facets.items())}
        row = {"p50": round(statistics.median(values), 1), "p95": round(values[int(0.95 * (len(values) - 1))], 1),
               "count": res.count, "facets_approximate": res.facets_approximate,
               "hits": digest(res.count, [h.id for h in res.hits], [h.date for h in res.hits]),
               "facets": digest(facets) if res.facets and not res.facets_approximate else None}
        if args.errors and res.facets_approximate:
            case = cases[name]
            where, params = backend._where(parse_query(""), case["scope"], case["filters"])
            count, exact = backend._count_and_facets(HEADS, [], where, params, True, heads=True)
            row["facet_error"] = facet_error(res.facets, exact, count)
        report[name] = row
    out["cases"] = report
    out["load_avg_1m_after"] = round(os.getloadavg()[0], 2)
    if args.save:
        Path(args.save).write_text(json.dumps(report, indent=1))
    if args.compare:
        saved = json.loads(Path(args.compare).read_text())
        out["differ"] = [name for name, row in report.items() if name in saved and (
            row["hits"] != saved[name]["hits"] or (row["facets"] and saved[name]["facets"]
                                                   and row["facets"] != saved[name]["facets"]))]
    print(json.dumps(out, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
