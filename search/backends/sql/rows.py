"""A search document as passage rows: page 0 is the item's head, pages 1… its text, each with the item's meta."""

from __future__ import annotations

import datetime as dt
import gc
import multiprocessing
import re
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import islice
from typing import Any

import vntext
from search.analysis import symbol_key, symbol_keys_of, symbol_spans_in, text_terms
from search.documents import SearchDocument
from vntext.heading import NUMBER_LABEL  # "Số:" right before a symbol: the header check of own_symbol
from vntext.heading import own_symbol as head_symbol

COLUMNS = (
    "item_id", "page", "title", "text", "head_terms", "body_terms", "access", "unit_id", "unit_path",
    "collection_id", "collection_path", "doc_type", "doc_type_code", "doc_type_key", "issuer", "issuer_code",
    "issuer_key", "year", "date_from", "date_to", "kind", "symbol",
)
TEXT_COLUMNS = ("title", "text", "head_terms", "body_terms")
META_COLUMNS = tuple(c for c in COLUMNS if c not in TEXT_COLUMNS)
OWN_SYMBOL_HEAD = 400  # characters of the first page where its own "Số: …" is looked for
OWN_FROM_PAGE = 200  # ... and where the first page's symbols give it (see own_symbol)
_SPACE_RUN = re.compile(r"\s{8}")
_DIGIT = re.compile(r"\d")
_LABEL_WORD = re.compile(r"[sS]ố|SỐ")  # what NUMBER_LABEL needs before a symbol


def fold_key(value: str) -> str:
    """The key a type or issuer name is matched on (folded, one space between words)."""
    return " ".join(vntext.fold(value or "").split())


def _iso(d: dt.date | None) -> str | None:
    return d.isoformat() if d else None


def own_symbol(doc: SearchDocument, spans: list[tuple[str, int, int]] | None = None) -> str:
    """The document's own symbol: its ``symbol``, or the "Số: …" of the first page's header (its first
    ``OWN_SYMBOL_HEAD`` characters, parsed on their own).

    ``spans``: the symbol spans of the whole first page (``symbol_spans_in``), which its symbol keys need
    anyway.  The parser reads at most ~175 characters past where a reference starts (bounded groups, and
    spaces in runs shorter than ``_SPACE_RUN``), so up to ``OWN_FROM_PAGE`` the page and its header are parsed
    alike: a labelled span starting by there is the header's answer, and so is "none" when there is none and
    the rest of the header holds no digit or no "số" to label one.  Otherwise the header is parsed on its own."""
    if doc.symbol:
        return doc.symbol
    if not doc.pages:
        return ""
    head = doc.pages[0].text[:OWN_SYMBOL_HEAD]
    if spans is not None and _SPACE_RUN.search(head) is None:
        for symbol, start, _end in spans:
            if start > OWN_FROM_PAGE:
                break
            if NUMBER_LABEL.search(head[max(0, start - 12) : start]):
                return symbol
        tail = head[OWN_FROM_PAGE - 12 :]  # where a later span and its "Số" label would be
        if _DIGIT.search(tail) is None or _LABEL_WORD.search(tail) is None:
            return ""
    return head_symbol(head, within=OWN_SYMBOL_HEAD) or ""


def head_terms(doc: SearchDocument, spans: list[tuple[str, int, int]] | None = None) -> list[str]:
    terms = text_terms(doc.title)
    symbol = own_symbol(doc, spans)
    key = symbol_key(symbol) if symbol else None
    if key:
        terms.append(key)
    for part in (doc.symbol, doc.doc_type, doc.issuer, doc.summary, *doc.keywords, *doc.places):
        if part:
            terms.extend(text_terms(part, refs=part is not doc.symbol))
    return terms


def document_rows(doc: SearchDocument, *, terms: bool = False) -> list[tuple[Any, ...]]:
    """The passage rows of one document, in COLUMNS order; the first page's symbols are found once (its keys,
    and the head's own symbol from them).  With ``terms`` each row ends with one value more: its terms as a
    list (the head terms or the page terms, as joined into its column), for a backend that needs them apart
    (PostgreSQL's vectors and document frequencies: splitting the string again cost a quarter of its side)."""
    year = doc.date_from.year if doc.date_from else None
    common = (
        doc.access, doc.unit_id, doc.unit_path or None, doc.collection_id, doc.collection_path or None,
        doc.doc_type, doc.doc_type_code.upper(), fold_key(doc.doc_type), doc.issuer, doc.issuer_code.upper(),
        fold_key(doc.issuer), year, _iso(doc.date_from), _iso(doc.date_to or doc.date_from), doc.kind, doc.symbol,
    )
    spans = None
    pages: list[tuple[Any, ...]] = []
    for k, page in enumerate(doc.pages):
        if page.text and page.text.strip():
            if k == 0 and not doc.symbol:
                spans = symbol_spans_in(page.text)
                body = text_terms(page.text, refs=False)
                body += symbol_keys_of(symbol for symbol, _, _ in spans)
            else:
                body = text_terms(page.text)
            pages.append((doc.id, max(1, page.n), doc.title, page.text, "", " ".join(body), *common,
                          *((body,) if terms else ())))
    head = head_terms(doc, spans)
    return [(doc.id, 0, doc.title, doc.summary or "", " ".join(head), "", *common, *((head,) if terms else ())),
            *pages]


def split_text(text: str, size: int = 2500) -> list[str]:
    """Split long text into passages of about ``size`` characters at paragraph or sentence ends."""
    text = text or ""
    if len(text) <= size * 1.4:
        return [text]
    out: list[str] = []
    start = 0
    while start < len(text):
        end = min(len(text), start + size)
        if end < len(text):
            cut = max(text.rfind("\n", start + size // 2, end), text.rfind(". ", start + size // 2, end))
            if cut > start:
                end = cut + 1
        out.append(text[start:end])
        start = end
    return out


Rows = list[tuple[Any, ...]]
Batch = tuple[list[int], Rows]  # (sorted item ids, their passage rows)
Prepare = Callable[[Rows], Rows]  # a batch's rows as the backend writes them (see analysed_batches)


def _batch_rows(docs: list[SearchDocument], terms: bool = False, prepare: Prepare | None = None) -> Batch:
    if len({doc.id for doc in docs}) < len(docs):  # an item twice in one batch: its last version is written
        docs = list({doc.id: doc for doc in docs}.values())
    rows = [row for doc in docs for row in document_rows(doc, terms=terms)]
    return sorted({doc.id for doc in docs}), prepare(rows) if prepare is not None else rows


def analysed_batches(docs: Iterable[SearchDocument], size: int, processes: int = 0, *,
                     terms: bool = False, prepare: Prepare | None = None) -> Iterator[Batch]:
    """The documents in batches of ``size``, each with its passage rows, in order.

    With ``processes`` > 0 and more than one batch, the analysis (about half of a build's CPU time) runs in
    that many forked processes, ``processes`` batches ahead of the caller, which writes meanwhile (so that
    every process has a batch while the caller writes one); the first batch is analysed here while the
    processes start (the caller's first write does not wait for the pool).  It pays only where a core is idle
    (bench/search/RESULTS.md, stop 15).  ``docs`` is read in this process only (it may come from the
    database).  A failure while reading ``docs`` loses the batches in flight, never part of one.
    ``terms``: rows with their term lists (:func:`document_rows`).  ``prepare`` (a module-level function: it
    is sent to the processes by name) turns a batch's rows into what the caller writes, in the analysing
    process: PostgreSQL's vectors and term counts are built there, and its rows come back without their
    term lists (unpickling the lists cost the writing process more than building the vectors: stop 18)."""
    it = iter(docs)
    batches = iter(lambda: list(islice(it, size)), [])
    if processes <= 0:
        yield from (_batch_rows(batch, terms, prepare) for batch in batches)
        return
    first, second = next(batches, []), next(batches, [])
    if not second:  # one batch at most: nothing to overlap
        if first:
            yield _batch_rows(first, terms, prepare)
        return
    # Stop 20: the objects this process holds are left out of the forked processes' garbage collections,
    # which otherwise touch (and so copy) every page of them: the first batch came back after 0.3-0.4 s.
    gc.freeze()
    pool = ProcessPoolExecutor(max_workers=processes, mp_context=multiprocessing.get_context("fork"))
    try:
        pending: deque[Future[Batch]] = deque([pool.submit(_batch_rows, second, terms, prepare)])
        for batch in islice(batches, processes - 1):
            pending.append(pool.submit(_batch_rows, batch, terms, prepare))
        yield _batch_rows(first, terms, prepare)
        while pending:
            done = pending.popleft()
            batch = next(batches, [])
            if batch:  # submitted before the caller writes: every process keeps a batch meanwhile
                pending.append(pool.submit(_batch_rows, batch, terms, prepare))
            yield done.result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        gc.unfreeze()
