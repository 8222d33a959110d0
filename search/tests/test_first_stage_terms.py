"""PostgreSQL's first stage reads the reranker's input in its own statement: the analysed terms of the first
RERANK candidate rows (their items' heads, their pages' bodies), exactly what ``_terms_of`` would read in a
statement of its own.  SQLite reads them separately (no round trip to save)."""

from __future__ import annotations

from typing import Any

import pytest

from orgs.access import PUBLIC_SCOPE, AccessScope
from search.query import parse_query
from search.tests.test_scale_paths import indexed, statements_run

pytestmark = pytest.mark.django_db
ALL = AccessScope(everything=True)


def _stage(backend: Any, text: str, scope: AccessScope) -> Any:
    q = parse_query(text)
    where, params = backend._where(q, scope, {})
    groups = q.must_groups()
    dfs = backend.doc_freqs(list(dict.fromkeys(q.should_terms())))
    should = backend._selective(q.should_terms(), dfs, backend._stop_terms(q))
    _groups, stage = backend._candidates(q, should, groups, where, params, need=10, dfs=dfs, facets=True)
    return stage


@pytest.mark.parametrize("scope", [ALL, PUBLIC_SCOPE])
@pytest.mark.parametrize("text", ["Phú Nhơn lưu trữ", "lưu trữ", "biên bản thôn số 7"])
def test_the_first_stage_brings_the_terms_of_the_rows_the_reranker_reads(text: str, scope: AccessScope) -> None:
    backend = indexed(RERANK=3)  # fewer than the candidates (8): only the first three rows' terms
    stage = _stage(backend, text, scope)
    assert len(stage.rows) > 3
    if backend.vendor != "postgresql":
        assert stage.terms is None
        return
    top = stage.rows[:3]
    want = backend._terms_of(sorted({r[1] for r in top}), [r[0] for r in top if r[2] != 0])
    assert stage.terms == want
    heads, _bodies = stage.terms
    assert len(heads) == len({r[1] for r in top})  # every candidate item has a head row here


def test_a_search_reads_the_terms_once() -> None:
    """PostgreSQL: the terms come with the first stage, no statement of their own; the results are those of
    the separate read (the same rows' terms)."""
    backend = indexed()
    with statements_run() as statements:
        got = backend.search("Phú Nhơn lưu trữ", scope=ALL)
    reading = [s for s in statements if "head_terms" in s]
    assert len(reading) == 1
    if backend.vendor == "postgresql":
        assert "AS score" in reading[0]  # inside the first stage's statement
    assert {h.id for h in got.hits[:3]} == {17, 151, 288}
