"""The write side of the index: the analysis gives the same terms as the plain loop it replaced, the best-passage
lists are built only from ``LISTS_MIN`` passages, and an interrupted bulk load leaves a usable index."""

from __future__ import annotations

import json
import random
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import vntext
from orgs.access import AccessScope
from search.analysis import text_terms
from search.backends.sql.connection import SqliteFileDb
from search.backends.sql.rows import (
    COLUMNS,
    analysed_batches,
    document_rows,
    head_terms,
)
from search.backends.sqlite import SqliteBackend
from search.documents import SearchDocument, SearchPage
from vntext.heading import own_symbol as head_symbol

REAL = Path(__file__).resolve().parents[1] / "eval" / "real"
ALL = AccessScope(everything=True)

_TOKEN = re.compile(r"(?:[^\W_]|[\u0300-\u036f])+")
_MARKS = re.compile(r"[\u0300-\u036f]")
_BREAK = re.compile(r"[.;:!?()\[\]{}\"“”«»|/\n]")
_NUMBER_WORD = re.compile(r"(?<=\d)(?=[^\W\d_])")


def reference_terms(text: str) -> list[str]:
    """The analysis written plainly (as it was before stop 15): every syllable, its fold, the bigram it closes
    and that bigram's fold, run by run between phrase breaks; then the symbol keys."""
    out: list[str] = []
    for part in _BREAK.split(vntext.casefold(text or "")):
        prev: tuple[str, str] | None = None
        for raw in _TOKEN.findall(part):
            tok = _MARKS.sub("", raw)
            pieces = ["tư"] if tok == "tw" else (
                _NUMBER_WORD.split(tok) if tok[:1].isdigit() and not tok.isdigit() else [tok])
            for piece in pieces:
                folded = vntext.fold(piece)
                out += [piece] + ([folded] if folded != piece else [])
                if prev is not None:
                    out.append(prev[0] + "_" + piece)
                    if folded != piece or prev[1] != prev[0]:
                        out.append(prev[1] + "_" + folded)
                prev = (piece, folded)
    from search.analysis import symbol_keys_in

    return out + symbol_keys_in(text or "")


def real_texts() -> list[str]:
    rows = [json.loads(line) for line in (REAL / "corpus.jsonl").read_text("utf-8").splitlines()]
    return [r.get(k) or "" for r in rows for k in ("title", "text")]


def test_analysis_gives_the_plain_loops_terms_on_every_real_text() -> None:
    texts = real_texts()
    assert len(texts) > 3000
    tricky = ["80m2 và 250km, TW; tw", "Số 98-KH/TU ngày 1/2/1975", "Thuỷ lợi hoà bình", "x̃ 5\u0301m2 a_b",
              "Lịch sử\u0303 Đảng", "", "   ", "1945a 2b3c", "Đ", "5 \u0301 tw"]
    for text in texts + tricky:
        assert text_terms(text) == reference_terms(text), text[:80]


def build(n: int, *, with_lists: bool = True, **options: object) -> SqliteBackend:
    backend = SqliteBackend({"TOP_DF": 5, **options}, db=SqliteFileDb(":memory:"))
    backend.ensure_schema()
    docs = [SearchDocument(id=i, title=f"Hồ sơ lưu trữ số {i}", pages=[SearchPage(1, f"Biên bản lưu trữ {i}.")])
            for i in range(1, n + 1)]
    with backend.bulk(lists=with_lists):
        backend.index(docs)
    return backend


def lists(backend: SqliteBackend) -> int:
    return int(backend.db.fetchall("SELECT COUNT(*) FROM search_top")[0][0])


@pytest.mark.parametrize(("lists_min", "built"), [(80, True), (81, False)])
def test_lists_are_built_from_lists_min_passages(lists_min: int, built: bool) -> None:
    backend = build(40, LISTS_MIN=lists_min)  # 40 documents = 80 passages (head + page)
    assert (lists(backend) > 0) is built
    assert backend.search("lưu", scope=ALL).count == 40


def test_a_bulk_load_leaves_the_lists_to_the_refresh_and_searches_exactly_meanwhile() -> None:
    """``bulk()`` (``reindex``) builds no lists and drops old ones: every query takes the exact first stage
    (the same hits, scores and counts as an index that never has lists) until ``refresh`` builds them."""
    small = {"TOP_N": 100, "FACET_EXACT": 10, "COMMON_FLOOR": 50, "CANDIDATES": 8, "COUNT_ROWS": 40,
             "COUNT_WINDOWS": 4, "LISTS_MIN": 0}
    backend = build(120, with_lists=False, **small)
    exact = SqliteBackend({"TOP_DF": 5, **small, "LISTS_MIN": 10**9}, db=SqliteFileDb(":memory:"))
    exact.ensure_schema()
    exact.index([SearchDocument(id=i, title=f"Hồ sơ lưu trữ số {i}", pages=[SearchPage(1, f"Biên bản lưu trữ {i}.")])
                 for i in range(1, 121)])
    exact.optimize()
    assert lists(backend) == 0 and lists(exact) == 0
    queries = ["lưu", "luu", "lưu trữ", "biên bản", "hồ sơ 17"]

    def answers(engine: SqliteBackend) -> list[object]:
        return [(r.count, r.count_approximate, [(h.id, h.score) for h in r.hits])
                for r in (engine.search(q, scope=ALL, page_size=20) for q in queries)]

    assert answers(backend) == answers(exact)
    assert backend.refresh_due()  # what reindex asks before queueing search.tasks.refresh_index
    seen: list[tuple[int, int]] = []
    backend.refresh(lambda done, total: seen.append((done, total)))
    assert lists(backend) > 0 and seen and seen[-1][0] == seen[-1][1] == len(seen)
    assert backend.search("lưu", scope=ALL).count_approximate  # now from the lists
    # a second load drops them again
    with backend.bulk():
        backend.index([SearchDocument(id=500, title="Mới", pages=[SearchPage(1, "Lưu trữ.")])])
    assert lists(backend) == 0 and not backend.search("lưu", scope=ALL).count_approximate


def test_optimize_below_lists_min_drops_lists_left_from_a_larger_index() -> None:
    backend = build(40, LISTS_MIN=80)
    assert lists(backend)
    backend.delete(range(1, 11))
    backend.optimize()  # 60 passages now: no lists
    assert lists(backend) == 0
    assert not backend.db.fetchall("SELECT value FROM search_stat WHERE key = 'top_max_id'")
    assert backend.search("lưu", scope=ALL).count == 30


@pytest.mark.parametrize("processes", [0, 1])
def test_interrupted_bulk_load_leaves_a_usable_index(processes: int) -> None:
    backend = SqliteBackend({"TOP_DF": 5, "LISTS_MIN": 0, "ANALYSIS_PROCESSES": processes},
                            db=SqliteFileDb(":memory:"))
    backend.ensure_schema()

    def docs() -> Iterator[SearchDocument]:
        for i in range(1, 2000):
            if i == 1200:
                raise KeyboardInterrupt  # stopped part-way (^C during reindex)
            yield SearchDocument(id=i, title=f"Hồ sơ số {i}", pages=[SearchPage(1, f"Biên bản lưu trữ {i}.")])

    with pytest.raises(KeyboardInterrupt), backend.bulk():
        backend.index(docs())
    # whole batches were written (in order; analysed in another process, the batches in flight are lost)
    written = backend.count()
    assert written == (500 if processes else 1000)
    assert sorted(backend.indexed_ids()) == list(range(1, written + 1))
    assert backend.search("biên bản", scope=ALL).count == written
    assert backend.doc_freqs(["biên"]) == {"biên": written}
    # FTS5's merge settings are back to its defaults, and the index takes writes and an optimize
    config = dict(backend.db.fetchall("SELECT k, v FROM search_fts_config WHERE k IN ('automerge', 'crisismerge')"))
    assert config == {"automerge": 4, "crisismerge": 16}
    backend.index([SearchDocument(id=5000, title="Mới", pages=[SearchPage(1, "Nội dung qwertyx.")])])
    backend.optimize()
    assert [h.id for h in backend.search("qwertyx", scope=ALL).hits] == [5000]
    assert backend.db.fetchall("SELECT COUNT(*) FROM search_fts WHERE search_fts MATCH 'biên'")[0][0] == written


def generated_headers() -> list[SearchDocument]:
    """First pages whose "Số: …" sits at every distance from the start, near and across the header's end
    (400 characters) and ``OWN_FROM_PAGE``, after runs of spaces, in NFD, with other symbols cited around it."""
    rnd = random.Random(5)
    symbols = ["98-KH/TU", "261/QĐ-SNV", "30/2020/NĐ-CP", "64-CP", "123/QĐ-UBND", "01/NQLT/CP-TWMTTQ", "313-VH-VP"]
    fill = "Ủy ban nhân dân tỉnh Nghệ An, ngày 7/3/2023 về việc 12 hộ dân. " * 8
    docs = []
    for i in range(3000):
        text = (fill[: rnd.randrange(0, 420)] + rnd.choice(["Số: ", "Số ", "SỐ:", "", "Quyết định số "])
                + " " * rnd.choice([1, 2, 7, 8, 12]) + rnd.choice(symbols)
                + rnd.choice(["", "\nngày 1/2/1975", "ABC", "-UBND", " và " + rnd.choice(symbols)]) + " "
                + fill[: rnd.randrange(0, 500)])
        if i % 5 == 0:
            text = unicodedata.normalize("NFD", text)
        docs.append(SearchDocument(id=i + 1, title="Hồ sơ", pages=[SearchPage(1, text), SearchPage(2, text[:90])]))
    return docs


def test_rows_take_the_own_symbol_and_page_keys_from_one_parse_of_the_first_page(monkeypatch: Any) -> None:
    """The first page is parsed for symbols once: its keys, and the head's own symbol where the page's spans
    answer for the header.  The rows are those of parsing the header on its own and each page apart."""
    from search.backends.sql import rows as rows_module

    real = [SearchDocument(id=i, title=title, pages=[SearchPage(1, text)])
            for i, (title, text) in enumerate(zip(*[iter(real_texts())] * 2, strict=True))]
    docs = real + generated_headers()
    head_i, body_i = COLUMNS.index("head_terms"), COLUMNS.index("body_terms")
    parsed_apart = []
    monkeypatch.setattr(rows_module, "head_symbol", lambda text, **kw: parsed_apart.append(1) or head_symbol(text, **kw))
    rows = [document_rows(doc) for doc in docs]
    monkeypatch.undo()
    assert len(parsed_apart) < len(docs) / 2  # most headers answered from the page's spans
    for doc, doc_rows in zip(docs, rows, strict=True):
        assert doc_rows[0][head_i] == " ".join(head_terms(doc)), doc.pages[0].text[:120]  # header parsed apart
        pages = [p for p in doc.pages if p.text.strip()]
        assert [r[body_i] for r in doc_rows[1:]] == [" ".join(text_terms(p.text)) for p in pages]


def test_rows_with_their_term_lists() -> None:
    head_i, body_i = COLUMNS.index("head_terms"), COLUMNS.index("body_terms")
    for doc in generated_headers()[:300]:
        plain, listed = document_rows(doc), document_rows(doc, terms=True)
        assert [r[:-1] for r in listed] == plain
        assert [" ".join(r[-1]) for r in listed] == [r[head_i] or r[body_i] for r in plain]
        assert [set(r[-1]) for r in listed] == [set((r[head_i] or r[body_i]).split()) for r in plain]


def test_a_load_analysed_in_another_process_writes_the_same_rows() -> None:
    docs = [SearchDocument(id=i, title=f"Quyết định số {i}/QĐ-UBND", pages=[
        SearchPage(1, f"Ủy ban nhân dân xã {i}. 80m2 đất; TW."), SearchPage(2, "Thuỷ lợi hoà bình.")])
        for i in range(1, 1300)]
    inline = list(analysed_batches(docs, 500, 0))
    forked = list(analysed_batches(docs, 500, 1))
    assert [len(ids) for ids, _ in forked] == [500, 500, 299]
    assert forked == inline
    assert list(analysed_batches(docs, 500, 1, terms=True)) == list(analysed_batches(docs, 500, 0, terms=True))


def test_postgres_vectors_built_in_the_analysing_process_are_the_same() -> None:
    """PostgreSQL's rows prepared where they are analysed (vectors in place of the term lists, the batch's term
    counts): the same in a forked process as inline, and the same as from the joined term strings."""
    from search.backends.postgres_vectors import tsvector_binary, vector_rows

    docs = [SearchDocument(id=i, title=f"Quyết định số {i}/QĐ-UBND", pages=[
        SearchPage(1, f"Ủy ban nhân dân xã {i % 13}. 80m2 đất; TW."), SearchPage(2, "Thuỷ lợi hoà bình.")])
        for i in range(1, 1300)]
    inline = list(analysed_batches(docs, 500, 0, terms=True, prepare=vector_rows))
    forked = list(analysed_batches(docs, 500, 2, terms=True, prepare=vector_rows))
    assert forked == inline
    assert [b.counts for _, b in forked] == [b.counts for _, b in inline]  # type: ignore[attr-defined]
    head_i, body_i = COLUMNS.index("head_terms"), COLUMNS.index("body_terms")
    for (_, batch), (_, plain) in zip(inline, analysed_batches(docs, 500, 0), strict=True):
        assert [r[:-1] for r in batch] == plain
        assert batch == vector_rows(plain)
        assert batch.counts == vector_rows(plain).counts  # type: ignore[attr-defined]
        row = plain[1]
        assert batch[1][-1] == tsvector_binary((), set(row[body_i].split()))
        assert batch[0][-1] == tsvector_binary(set(plain[0][head_i].split()), ())


@pytest.mark.django_db
def test_bulk_load_analysed_in_another_process_on_the_database_in_use() -> None:
    """The vendor's backend on the test database (SQLite or PostgreSQL, whose connection the forked process
    inherits and must leave alone): three batches written, searchable, and the connection still usable."""
    from search.backends.database import DatabaseBackend

    backend = DatabaseBackend({"ANALYSIS_PROCESSES": 1, "LISTS_MIN": 10**9})
    assert backend.analysis_processes == 1  # type: ignore[attr-defined]
    backend.ensure_schema()
    docs = [SearchDocument(id=i, title=f"Hồ sơ số {i}", pages=[SearchPage(1, f"Biên bản lưu trữ thôn {i}.")])
            for i in range(1, 1101)]
    with backend.bulk():
        assert backend.index(iter(docs)) == 2200
    assert backend.count() == 1100
    assert backend.search("biên bản", scope=ALL).count == 1100
    assert [h.id for h in backend.search("Hồ sơ số 1037", scope=ALL).hits][:1] == [1037]


@pytest.mark.django_db(transaction=True)
def test_reindex_queues_the_lists_or_builds_them_with_progress(settings: object) -> None:
    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    from reading.tests.factories import make_text_item
    from search import services

    settings.SULIEU_SEARCH_BACKENDS = {"default": {  # type: ignore[attr-defined]
        "BACKEND": "search.backends.database.DatabaseBackend", "OPTIONS": {"LISTS_MIN": 1, "TOP_DF": 0}}}
    make_text_item("Biên bản sinh hoạt chi bộ thôn Phú Nhơn năm 1976.", name="a.txt")
    engine = services.backend()
    queued = DBTaskResult.objects.filter(task_path="search.tasks.refresh_index")
    queued.delete()
    assert services.reindex_all() == (1, 2)
    if engine.vendor != "sqlite":  # PostgreSQL keeps nothing to refresh
        assert not queued.exists()
        return
    assert queued.count() == 1  # the lists are left to the background task
    assert engine.db.fetchall("SELECT COUNT(*) FROM search_top")[0][0] == 0
    assert [h.id for h in engine.search("chi bộ", scope=ALL).hits]  # searchable meanwhile (exact path)
    queued.delete()
    call_command("reindex", "--lists", "--quiet")
    assert engine.db.fetchall("SELECT COUNT(DISTINCT term) FROM search_top")[0][0] > 5
    assert not queued.exists()
