"""The query path's shortcuts give exactly what the straightforward path gives (issue 11: speed, same ranking)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from orgs.access import AccessScope
from search.analysis import text_terms
from search.backends.sql.connection import SqliteFileDb
from search.backends.sqlite import SqliteBackend
from search.documents import SearchDocument, SearchPage
from search.query import parse_query
from search.ranking import EMPTY, Scorer, field_stats, term_counts

REAL = Path(__file__).resolve().parents[1] / "eval" / "real"
ALL = AccessScope(everything=True)


def _jsonl(name: str) -> list[dict]:  # type: ignore[type-arg]
    with (REAL / name).open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def _fields(n: int) -> tuple[list[str], list[str], Counter[str]]:
    """The head and body term strings of the first ``n`` real passages, and their document frequencies."""
    rows = _jsonl("corpus.jsonl")[:n]
    heads = [" ".join(text_terms(r.get("title") or "")) for r in rows]
    bodies = [" ".join(text_terms(r["text"])) for r in rows]
    dfs: Counter[str] = Counter()
    for text in heads + bodies:
        dfs.update(set(text.split()))
    return heads, bodies, dfs


def test_score_many_is_bit_for_bit_the_per_pair_score() -> None:
    heads, bodies, dfs = _fields(400)
    questions = [q["query"] for q in _jsonl("queries.jsonl")[:120]]
    questions += ["98-KH/TU", "so:98-KH/TU kế hoạch", "năm nào thành lập", "bao nhiêu xã", "xã", "", "ủy ban ủy ban"]
    checked = 0
    for text in questions:
        q = parse_query(text)
        wanted = frozenset(q.should_terms() + [t for g in q.must_groups() for t in g])
        scorer = Scorer(q, dict(dfs), len(heads) + len(bodies), 9.0, 110.0)
        hs = [field_stats(h, wanted) for h in heads] + [field_stats(heads[0], wanted), EMPTY]
        bs = [field_stats(b, wanted) for b in bodies] + [EMPTY, EMPTY]
        many = scorer.score_many(hs, bs)
        single = [scorer.score(h, b) for h, b in zip(hs, bs, strict=True)]
        assert many == single, text  # float equality: the same bits, not merely close
        checked += sum(1 for s in single if s)
    assert checked > 1000  # most pairs scored something: the comparison is not between zeros
    assert Scorer(parse_query("xã"), {}, 1, 1.0, 1.0).score_many([], []) == []


def test_term_counts_are_field_stats_of_every_field() -> None:
    rows = _jsonl("corpus.jsonl")[:200]
    fields = [" ".join(text_terms(r["text"])) for r in rows] + ["", "a  b\tc\n a ", "x\x00y x", "", "a"]
    for text in ("ủy ban nhân dân xã năm nào", "98-KH/TU", "a b c x"):
        q = parse_query(text)
        scorer = Scorer(q, {}, 1, 1.0, 1.0)
        wanted = frozenset(q.should_terms() + [t for g in q.must_groups() for t in g])
        assert set(scorer.terms) <= wanted  # the reranker counts the scorer's terms only: the same counts
        terms = list(dict.fromkeys(scorer.terms + ["a", "b", "c", "x", "y"]))  # distinct, as the scorer's
        for chunk in (fields, fields[-5:], fields[:1], [], ["x\x00y x"]):
            counts, lengths = term_counts(chunk, terms)
            stats = [field_stats(f, frozenset(terms)) for f in chunk]
            assert counts.shape == (len(chunk), len(terms))
            assert lengths.tolist() == [st.length for st in stats]
            assert counts.tolist() == [[float(st.counts.get(t, 0)) for t in terms] for st in stats]
    assert term_counts(fields[:3], [])[0].shape == (3, 0)


def test_score_counts_is_score_many_bit_for_bit() -> None:
    heads, bodies, dfs = _fields(300)
    for query in [q["query"] for q in _jsonl("queries.jsonl")[:60]] + ["so:98-KH/TU kế hoạch", "năm nào", "bao nhiêu xã"]:
        q = parse_query(query)
        scorer = Scorer(q, dict(dfs), 600, 9.0, 110.0)
        hs = [field_stats(h, numbers=True) for h in heads]
        bs = [field_stats(b, numbers=True) for b in bodies]
        hc, hl = term_counts(heads, scorer.terms)
        bc, bl = term_counts(bodies, scorer.terms)
        numbers = [h.numbers | b.numbers for h, b in zip(hs, bs, strict=True)]
        assert scorer.score_counts(hc, bc, hl, bl, numbers) == scorer.score_many(hs, bs), query
    assert Scorer(parse_query("xã"), {}, 1, 1.0, 1.0).score_counts(np.zeros((0, 1)), np.zeros((0, 1)),
                                                                   np.zeros(0), np.zeros(0)) == []


def _many(n: int, access: str = "public") -> list[SearchDocument]:
    return [SearchDocument(id=i, title=f"Hồ sơ lưu trữ số {i}", doc_type="Báo cáo" if i % 2 else "Kế hoạch",
                           access=access, pages=[SearchPage(1, f"Hồ sơ về công tác lưu trữ của xã thứ {i}.")])
            for i in range(1, n + 1)]


def _engine(options: dict, docs: list[SearchDocument]) -> SqliteBackend:  # type: ignore[type-arg]
    engine = SqliteBackend(options, db=SqliteFileDb(":memory:"))
    engine.ensure_schema()
    engine.index(docs)
    return engine


def _stages(engine: SqliteBackend) -> list[list[list[str]]]:
    """Records the groups of every first stage the engine ranks."""
    calls: list[list[list[str]]] = []
    ranked = engine._first_stage_counted

    def record(should, groups, *args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(groups)
        return ranked(should, groups, *args, **kwargs)

    engine._first_stage_counted = record  # type: ignore[method-assign]
    return calls


def test_an_and_bound_to_fail_is_not_ranked_and_the_result_is_unchanged() -> None:
    docs = _many(6) + [SearchDocument(id=99, title="Lưu trữ", pages=[SearchPage(1, "Một văn bản khác.")])]
    engine = _engine({"AND_MIN": 2}, docs)
    calls = _stages(engine)
    # every word is indexed, but no passage holds them all: the probe says so, the OR is the only stage
    found = engine.search("lưu trữ văn bản", scope=ALL, page_size=20)
    assert calls == [[]]
    assert 99 in [h.id for h in found.hits] and found.count == 7
    calls.clear()
    found = engine.search("hồ sơ lưu trữ", scope=ALL, page_size=20)  # every word in six documents: AND
    assert len(calls) == 1 and calls[0]
    assert 99 not in [h.id for h in found.hits] and found.count == 6


def test_the_and_probe_counts_only_rows_the_scope_may_see() -> None:
    engine = _engine({}, _many(3, access="restricted") + [
        SearchDocument(id=50, title="Hồ sơ lưu trữ công khai", pages=[SearchPage(1, "Hồ sơ lưu trữ.")])])
    q = parse_query("hồ sơ lưu trữ")
    groups = [["ho"], ["so"], ["luu"], ["tru"]]
    public_where, public_params = engine._where(q, AccessScope(), {})
    all_where, all_params = engine._where(q, ALL, {})
    assert engine._finds_at_least([], groups, all_where, all_params, 8)  # 4 items × (head + page)
    assert not engine._finds_at_least([], groups, all_where, all_params, 9)
    assert engine._finds_at_least([], groups, public_where, public_params, 2)
    assert not engine._finds_at_least([], groups, public_where, public_params, 3)


@pytest.mark.parametrize("candidates", [200, 8])
def test_a_match_that_may_be_broad_gets_exact_facets_unless_it_fills_the_candidates(candidates: int) -> None:
    engine = _engine({"FACET_EXACT": 10, "CANDIDATES": candidates}, _many(40))
    found = engine.search("hồ sơ lưu trữ", scope=ALL, page_size=2)
    assert found.count == 40
    types = {v.value: v.count for v in found.facets["type"]}
    if candidates == 200:  # 80 matching rows < 200: counted over the whole match
        assert not found.facets_approximate and types == {"Báo cáo": 20, "Kế hoạch": 20}
    else:
        assert found.facets_approximate and 0 < sum(types.values()) < 40
    exact = SqliteBackend({}, db=engine.db).search("hồ sơ lưu trữ", scope=ALL, page_size=2)
    assert [h.id for h in exact.hits] == [h.id for h in found.hits]


def test_the_one_pass_facets_are_the_items_counted_per_value() -> None:
    """The one-pass statement counts facets in one GROUP BY of the matching rows (every row of an item carries
    its fields): the same values and item counts as the separate count-and-facets statement."""
    import datetime as dt

    docs = [SearchDocument(id=i, title=f"Hồ sơ lưu trữ {i}", doc_type=("Báo cáo", "Kế hoạch", "")[i % 3],
                           issuer=("UBND", "Sở Nội vụ")[i % 2], date_from=dt.date(1990 + i % 25, 1, 1) if i % 4 else None,
                           unit_id=i % 5 or None, collection_id=i % 3 or None,
                           access=("public", "restricted")[i % 7 == 0],
                           pages=[SearchPage(n, f"Trang {n}: công tác lưu trữ của xã thứ {i}.") for n in range(1, 1 + i % 4)])
            for i in range(1, 61)]
    engine = _engine({}, docs)
    for text, scope in (("lưu trữ", ALL), ("công tác lưu trữ", AccessScope()), ("hồ sơ 17", ALL)):
        q = parse_query(text)
        where, params = engine._where(q, scope, {})
        dfs = engine.doc_freqs(q.should_terms())
        stage = engine._first_stage_counted(q.should_terms(), [], where, params, 200, dfs, facets=True,
                                            maybe_broad=False)
        match, mparams = engine._match([], q.should_terms())
        count, facets = engine._count_and_facets(match, mparams, where, params, True)
        assert stage.count == count and stage.facets == facets, text
        assert sum(v.count for v in facets["access"]) == count and len(facets["year"]) > 3
        heads = f"p.page = 0 AND p.item_id IN ({', '.join('%s' for _ in range(30))})"
        ids = [h[1] for h in stage.rows][:30] or [1]
        ids += [ids[0]] * (30 - len(ids))
        assert engine._count_and_facets(heads, ids, where, params, True, few=True) == engine._count_and_facets(
            heads, ids, where, params, True)
