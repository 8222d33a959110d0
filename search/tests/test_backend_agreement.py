"""PostgreSQL and SQLite rank the evaluation set (search/eval) the same way.

The backend of the test database (PostgreSQL under scripts/with-postgres.sh) against a throwaway SQLite FTS5
index, on a third of the evaluation set's queries (every family and both spellings): the same first result
for at least 95 % of them and the same Recall@1 and MRR@10 within 2 points.  The first stages differ (FTS5
bm25 against an idf-weighted term sum on GIN), so the candidates behind ranks 2–3 may differ; the second stage
(search.ranking) is shared.  On SQLite both sides are FTS5 and must agree exactly.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import connection

from search.evaluation import EVERYTHING, ThrowawayIndex, corpus_documents, load_queries, metrics, read_jsonl

EVAL = Path(__file__).resolve().parents[1] / "eval"


@pytest.mark.django_db
def test_top_results_agree_with_sqlite_on_evaluation_set() -> None:
    rows = read_jsonl(EVAL / "corpus.jsonl")
    queries = load_queries(EVAL / "queries.jsonl")[::3]
    docs, ids = corpus_documents(rows)
    vendor = "postgres" if connection.vendor == "postgresql" else "sqlite"
    indexes = [ThrowawayIndex(vendor), ThrowawayIndex("sqlite")]
    try:
        ranked: list[list[list[str]]] = []
        for index in indexes:
            assert index.backend.index(docs) > len(docs)
            index.backend.optimize()
            ranked.append([[ids[h.id - 1] for h in index.backend.search(q.query, scope=EVERYTHING).hits]
                           for q in queries])
    finally:
        for index in indexes:
            index.close()
    tested, reference = ranked
    differ = [(q.query, a[:3], b[:3]) for q, a, b in zip(queries, tested, reference, strict=True)
              if a[:1] != b[:1]]
    m_tested = metrics(list(zip(queries, tested, strict=True)), 10)
    m_reference = metrics(list(zip(queries, reference, strict=True)), 10)
    assert m_reference["Recall@1"] > 0.8  # the set is ranked, not merely repeated
    if vendor == "sqlite":
        assert tested == reference
        return
    assert len(differ) <= 0.05 * len(queries), f"{len(differ)} of {len(queries)} first results differ: {differ[:3]}"
    for key in ("Recall@1", "MRR@10"):
        assert abs(m_tested[key] - m_reference[key]) <= 0.02, (key, m_tested, m_reference)
