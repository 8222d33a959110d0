"""Search quality on the real questions (search/eval/real), sulieu against plain FTS5, one index for many runs.

    .venv/bin/python bench/search/realq.py [--split dev|test|all] [--failures] [--set NAME=VALUE ...]

Indexes ``search/eval/real/corpus.jsonl`` once in a throwaway SQLite index, then runs the chosen half of the
questions and prints R@1 / R@10 / MRR@10 for sulieu and for plain FTS5 (with and without diacritics).
``--failures`` lists every question whose answer is not ranked first (rank, query, top hit, answer) — the
material for tuning.  ``--set`` overrides a constant of :mod:`search.ranking` for this run (for example
``--set BIGRAM=2.0``), to measure one change at a time.  Tune on ``dev`` only; run ``test`` once, at the end.
``sulieu eval-search`` gives the same figures (with timings) for a whole query file.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sulieu.settings")
os.environ.setdefault("SULIEU_DATA_DIR", tempfile.mkdtemp(prefix="sulieu-realq-"))
REAL = ROOT / "search" / "eval" / "real"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=["dev", "test", "all"], default="dev")
    parser.add_argument("--failures", action="store_true")
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE")
    parser.add_argument("--backend-option", action="append", default=[], metavar="NAME=VALUE",
                        help="a search backend option for this run (AND_MIN, CANDIDATES, RERANK …)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--explain", action="append", default=[], metavar="QID",
                        help="print the score parts of the top hit and of the answer for this question")
    parser.add_argument("--sweep", metavar="NAME=V1,V2,...",
                        help="after the run, one line of figures per value of one ranking constant (same index)")
    args = parser.parse_args()

    import django

    django.setup()
    from search import ranking
    from search.evaluation import (
        EVERYTHING,
        Query,
        ThrowawayIndex,
        corpus_documents,
        metrics,
        read_jsonl,
        run_baseline,
    )

    for item in args.set:
        name, _, value = item.partition("=")
        if not hasattr(ranking, name):
            print(f"realq: search.ranking has no {name}", file=sys.stderr)
            return 2
        setattr(ranking, name, type(getattr(ranking, name))(value))
    rows = read_jsonl(REAL / "corpus.jsonl")
    raw = read_jsonl(REAL / "queries.jsonl")
    queries = [Query(str(r["qid"]), r["query"], list(r["relevant"]), "", bool(r["diacritics"])) for r in raw
               if args.split == "all" or r["split"] == args.split]
    by_id = {str(r["id"]): r for r in rows}
    index = ThrowawayIndex("sqlite")
    for item in args.backend_option:
        name, _, value = item.partition("=")
        setattr(index.backend, name.lower(), type(getattr(index.backend, name.lower()))(value))
    try:
        docs, ids = corpus_documents(rows)
        index.backend.index(docs)
        index.backend.optimize()

        def run_all() -> list:  # type: ignore[type-arg]
            return [(q, [ids[h.id - 1] for h in index.backend.search(q.query, scope=EVERYTHING, page_size=10).hits])
                    for q in queries]

        runs = run_all()
        for qid in args.explain:
            q, ranked = next((q, r) for q, r in runs if q.qid == qid)
            _explain(index.backend, q, [ranked[0]] if ranked else [], by_id)
        if args.sweep:
            name, _, values = args.sweep.partition("=")
            old = getattr(ranking, name)
            for value in values.split(","):
                setattr(ranking, name, type(old)(value))
                f = _figures(run_all(), metrics)
                print(f"  {name}={value:<8} R@1 {f['Recall@1']:.3f}  R@10 {f['Recall@10']:.3f}  "
                      f"MRR@10 {f['MRR@10']:.3f}  (MRR diacritics {f['diacritics']['MRR@10']:.3f}, "
                      f"none {f['no_diacritics']['MRR@10']:.3f})")
            setattr(ranking, name, old)
    finally:
        index.close()
    base = run_baseline(rows, queries, 10)
    out = {"split": args.split, "questions": len(queries), "sulieu": _figures(runs, metrics),
           "fts5": {k: base[k] for k in ("Recall@1", "Recall@10", "MRR@10")}}
    for part in ("diacritics", "no_diacritics"):
        out["fts5"][part] = {k: base.get(part, {}).get(k) for k in ("Recall@1", "MRR@10")}
    out["gain"] = {k: round(out["sulieu"][k] - out["fts5"][k], 4) for k in ("Recall@1", "Recall@10", "MRR@10")}
    if args.json:
        print(json.dumps(out, ensure_ascii=False, indent=1))
    else:
        s, f = out["sulieu"], out["fts5"]
        print(f"{args.split}: {len(queries)} questions, {len(rows)} passages")
        print(f"  sulieu  R@1 {s['Recall@1']:.3f}  R@10 {s['Recall@10']:.3f}  MRR@10 {s['MRR@10']:.3f}"
              f"   (diacritics MRR {s['diacritics']['MRR@10']:.3f}, none {s['no_diacritics']['MRR@10']:.3f})")
        print(f"  fts5    R@1 {f['Recall@1']:.3f}  R@10 {f['Recall@10']:.3f}  MRR@10 {f['MRR@10']:.3f}"
              f"   (diacritics MRR {f['diacritics']['MRR@10']:.3f}, none {f['no_diacritics']['MRR@10']:.3f})")
        g = out["gain"]
        print(f"  gain    R@1 {g['Recall@1']:+.3f}  R@10 {g['Recall@10']:+.3f}  MRR@10 {g['MRR@10']:+.3f}")
    if args.failures:
        for q, ranked in runs:
            rank = next((i for i, d in enumerate(ranked, 1) if d in q.relevant), None)
            if rank == 1:
                continue
            top = by_id[ranked[0]]["text"][:90] if ranked else "-"
            ans = by_id[q.relevant[0]]["text"][:90]
            print(f"\n[{q.qid}] rank {rank or '>10'}: {q.query}\n   top: {ranked[0] if ranked else '-'} {top}\n"
                  f"   ans: {q.relevant[0]} {ans}")
    return 0


def _explain(backend, q, top, by_id) -> None:  # type: ignore[no-untyped-def]
    """Per-term score parts (head and body tf, idf, weighted part) of the top hit and of the answer."""
    from search import ranking
    from search.analysis import text_terms
    from search.query import parse_query

    parsed = parse_query(q.query)
    terms = list(dict.fromkeys(parsed.should_terms()))
    dfs = backend.doc_freqs(terms)
    scorer = ranking.Scorer(parsed, dfs, backend.passage_count(), 12.0, 120.0)
    print(f"\n[{q.qid}] {q.query}")
    print("   query: " + " ".join(f"{s.exact}{'*' if s.stop else ''}" for s in parsed.syllables))
    for label, pid in [("top", t) for t in top] + [("ans", a) for a in q.relevant[:2]]:
        row = by_id[pid]
        head = ranking.field_stats(" ".join(text_terms(row.get("title") or "")), frozenset(terms))
        body = ranking.field_stats(" ".join(text_terms(row["text"])), frozenset(terms))
        parts = []
        for t in terms:
            h, b = head.counts.get(t, 0), body.counts.get(t, 0)
            if h or b:
                parts.append(f"{t}:{h}/{b}@{scorer.idf.get(t, 0):.1f}")
        print(f"   {label} {pid} score {scorer.score(head, body):.2f} len {head.length}/{body.length}: {' '.join(parts)}")


def _figures(runs, metrics):  # type: ignore[no-untyped-def]
    out = {k: v for k, v in metrics(runs, 10).items() if k in ("Recall@1", "Recall@10", "MRR@10")}
    for name, keep in (("diacritics", True), ("no_diacritics", False)):
        part = [(q, r) for q, r in runs if q.diacritics == keep]
        out[name] = {k: v for k, v in metrics(part, 10).items() if k in ("Recall@1", "MRR@10")}
    return out


if __name__ == "__main__":
    sys.exit(main())
