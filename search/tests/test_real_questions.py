"""eval-search on the real questions (search/eval/real): sulieu beats plain FTS5 on real, hand-written questions.

The set: 1,513 paragraphs of 320 public Vietnamese pages, 278 questions typed as people type them (half without
diacritics), dev and held-out halves together.  Measured (SQLite, bench/search/RESULTS.md): sulieu R@1 92.1 /
MRR@10 95.1 against FTS5 83.8 / 89.7; the margins asserted here are a little under those.
"""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

REAL = Path(__file__).resolve().parents[1] / "eval" / "real"


@pytest.mark.django_db
def test_real_questions_beat_plain_fts5(tmp_path: Path) -> None:
    backend = "postgres" if connection.vendor == "postgresql" else "sqlite"
    stdout = StringIO()
    call_command("eval_search", corpus=str(REAL / "corpus.jsonl"), queries=str(REAL / "queries.jsonl"),
                 backend=backend, k=10, baseline=True, stdout=stdout)
    result = json.loads(stdout.getvalue())
    base = result["baseline"]
    assert result["queries"] >= 220 and result["documents"] >= 1500
    assert result["Recall@1"] >= base["Recall@1"] + 0.06
    assert result["MRR@10"] >= base["MRR@10"] + 0.04
    assert result["Recall@10"] >= base["Recall@10"]
    # Typed without diacritics, a question finds its answer as well as typed with them.
    assert result["no_diacritics"]["MRR@10"] >= 0.97 * result["diacritics"]["MRR@10"]


def test_real_questions_are_labelled_and_split() -> None:
    corpus = {json.loads(line)["id"] for line in (REAL / "corpus.jsonl").read_text("utf-8").splitlines()}
    queries = [json.loads(line) for line in (REAL / "queries.jsonl").read_text("utf-8").splitlines()]
    assert all(q["relevant"] and set(q["relevant"]) <= corpus for q in queries)
    splits = [q["split"] for q in queries]
    assert splits.count("dev") >= 110 and splits.count("test") >= 110
    plain = sum(1 for q in queries if not q["diacritics"])
    assert 0.4 <= plain / len(queries) <= 0.6
