"""A match's OR needs only its root terms: every row holding a term holds the terms it implies.

The PostgreSQL first stage hands GIN only the ``should`` terms that no other one implies
(:func:`search.backends.postgres_rank.roots`: ``bí`` and ``bí_thư`` are in every row ``bi`` is in), and its
scorer tests a term only in rows holding its parent.  Both are exact only if the analyser keeps the implication
in every row: checked here on every row of the real evaluation corpus."""

from __future__ import annotations

from pathlib import Path

from search.backends.postgres_rank import implied, roots, tsquery_literal
from search.backends.sql.rows import document_rows
from search.evaluation import corpus_documents, read_jsonl

REAL = Path(__file__).resolve().parents[1] / "eval" / "real"


def test_roots_keep_the_terms_nothing_else_implies() -> None:
    should = ["bí", "bi", "bí_thư", "bi_thu", "thư", "huyện_ủy", "ủy", "k_98_kh_tu"]
    # "thư" stays: its folded form "thu" is not among the terms; "huyện_ủy" implies "huyen_uy" and "huyen",
    # neither present; "ủy" implies "uy", absent.
    assert roots(should) == ["bi", "thư", "huyện_ủy", "ủy", "k_98_kh_tu"]
    assert roots([]) == []
    assert tsquery_literal(should, [["x"]]) == "('bi' | 'thư' | 'huyện_ủy' | 'ủy' | 'k_98_kh_tu') & ('x')"
    assert tsquery_literal([], [["bí", "bi"]]) == "('bí' & 'bi')"  # required groups are kept whole
    # A required term among the should terms (or implying one: "bí" holds "bi") makes the OR redundant.
    assert tsquery_literal(["bi", "thư", "bí_thư"], [["bi"], ["thư"]]) == "('bi') & ('thư')"
    assert tsquery_literal(["bi", "thư"], [["bí"]]) == "('bí')"
    assert tsquery_literal(["bi", "thư"], [["x"]]) == "('bi' | 'thư') & ('x')"


def test_every_row_of_the_real_corpus_holds_what_its_terms_imply() -> None:
    docs, _ids = corpus_documents(read_jsonl(REAL / "corpus.jsonl"))
    checked = 0
    for doc in docs:
        for row in document_rows(doc):
            terms = set(row[4].split()) | set(row[5].split())
            for term in terms:
                missing = [p for p in implied(term) if p not in terms]
                assert not missing, (doc.id, term, missing)
                checked += 1
    assert checked > 100_000
