"""eval-search on a slice of the evaluation set: sulieu beats the plain FTS5 baseline by the issue's margins."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

EVAL = Path(__file__).resolve().parents[1] / "eval"


@pytest.mark.django_db
def test_eval_search_beats_baseline_on_slice(tmp_path: Path) -> None:
    corpus = [json.loads(line) for line in (EVAL / "corpus.jsonl").read_text(encoding="utf-8").splitlines()]
    queries = [json.loads(line) for line in (EVAL / "queries.jsonl").read_text(encoding="utf-8").splitlines()]
    keep = {d["id"] for d in corpus if d["id"][-1] in "01234567"}  # 80 % of every family
    slice_corpus = [d for d in corpus if d["id"] in keep]
    slice_queries = [q for q in queries if set(q["relevant"]) <= keep]
    assert len(slice_queries) >= 60
    c, q, out = tmp_path / "c.jsonl", tmp_path / "q.jsonl", tmp_path / "r.jsonl"
    c.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in slice_corpus), encoding="utf-8")
    q.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in slice_queries), encoding="utf-8")
    backend = "postgres" if connection.vendor == "postgresql" else "sqlite"
    from io import StringIO

    stdout = StringIO()
    call_command("eval_search", corpus=str(c), queries=str(q), backend=backend, k=10, out=str(out),
                 baseline=True, stdout=stdout)
    result = json.loads(stdout.getvalue())
    base = result["baseline"]
    for key in ("Recall@1", "Recall@5", "Recall@10", "MRR@10", "index_s", "query_ms_p50", "query_ms_p95"):
        assert key in result
    assert result["MRR@10"] >= base["MRR@10"] + 0.08
    assert result["Recall@1"] >= base["Recall@1"] + 0.08
    assert result["Recall@10"] >= base["Recall@10"]
    assert result["no_diacritics"]["MRR@10"] >= 0.97 * result["diacritics"]["MRR@10"]
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == len(slice_queries) and set(lines[0]) == {"qid", "ranked"}
