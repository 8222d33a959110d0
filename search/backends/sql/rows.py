"""A search document as passage rows: page 0 is the item's head, pages 1… its text, each with the item's meta."""

from __future__ import annotations

import datetime as dt
import multiprocessing
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import islice
from typing import Any

import vntext
from search.analysis import symbol_key, text_terms
from search.documents import SearchDocument
from vntext.heading import own_symbol as head_symbol

COLUMNS = (
    "item_id", "page", "title", "text", "head_terms", "body_terms", "access", "unit_id", "unit_path",
    "collection_id", "collection_path", "doc_type", "doc_type_code", "doc_type_key", "issuer", "issuer_code",
    "issuer_key", "year", "date_from", "date_to", "kind", "symbol",
)
TEXT_COLUMNS = ("title", "text", "head_terms", "body_terms")
META_COLUMNS = tuple(c for c in COLUMNS if c not in TEXT_COLUMNS)
OWN_SYMBOL_HEAD = 400  # characters of the first page where its own "Số: …" is looked for


def fold_key(value: str) -> str:
    """The key a type or issuer name is matched on (folded, one space between words)."""
    return " ".join(vntext.fold(value or "").split())


def _iso(d: dt.date | None) -> str | None:
    return d.isoformat() if d else None


def own_symbol(doc: SearchDocument) -> str:
    """The document's own symbol: its ``symbol``, or the "Số: …" of the first page's header."""
    if doc.symbol:
        return doc.symbol
    if doc.pages:
        return head_symbol(doc.pages[0].text[:OWN_SYMBOL_HEAD], within=OWN_SYMBOL_HEAD) or ""
    return ""


def head_terms(doc: SearchDocument) -> list[str]:
    terms = text_terms(doc.title)
    symbol = own_symbol(doc)
    key = symbol_key(symbol) if symbol else None
    if key:
        terms.append(key)
    for part in (doc.symbol, doc.doc_type, doc.issuer, doc.summary, *doc.keywords, *doc.places):
        if part:
            terms.extend(text_terms(part, refs=part is not doc.symbol))
    return terms


def document_rows(doc: SearchDocument) -> list[tuple[Any, ...]]:
    """The passage rows of one document, in COLUMNS order."""
    year = doc.date_from.year if doc.date_from else None
    common = (
        doc.access, doc.unit_id, doc.unit_path or None, doc.collection_id, doc.collection_path or None,
        doc.doc_type, doc.doc_type_code.upper(), fold_key(doc.doc_type), doc.issuer, doc.issuer_code.upper(),
        fold_key(doc.issuer), year, _iso(doc.date_from), _iso(doc.date_to or doc.date_from), doc.kind, doc.symbol,
    )
    rows: list[tuple[Any, ...]] = [(doc.id, 0, doc.title, doc.summary or "", " ".join(head_terms(doc)), "", *common)]
    for page in doc.pages:
        if page.text and page.text.strip():
            rows.append((doc.id, max(1, page.n), doc.title, page.text, "", " ".join(text_terms(page.text)),
                         *common))
    return rows


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


Batch = tuple[list[int], list[tuple[Any, ...]]]  # (sorted item ids, their passage rows)


def _batch_rows(docs: list[SearchDocument]) -> Batch:
    if len({doc.id for doc in docs}) < len(docs):  # an item twice in one batch: its last version is written
        docs = list({doc.id: doc for doc in docs}.values())
    return sorted({doc.id for doc in docs}), [row for doc in docs for row in document_rows(doc)]


def analysed_batches(docs: Iterable[SearchDocument], size: int, processes: int = 0) -> Iterator[Batch]:
    """The documents in batches of ``size``, each with its passage rows, in order.

    With ``processes`` > 0 and more than one batch, the analysis (about half of a build's CPU time) runs in
    that many forked processes, two batches ahead of the caller, which writes meanwhile.  It pays only where a
    core is idle (bench/search/RESULTS.md, stop 15).  ``docs`` is read in this process only (it may come from
    the database).  A failure while reading ``docs`` loses the batches in flight, never part of one."""
    it = iter(docs)
    batches = iter(lambda: list(islice(it, size)), [])
    if processes <= 0:
        yield from map(_batch_rows, batches)
        return
    first, second = next(batches, []), next(batches, [])
    if not second:  # one batch at most: nothing to overlap
        if first:
            yield _batch_rows(first)
        return
    pool = ProcessPoolExecutor(max_workers=processes, mp_context=multiprocessing.get_context("fork"))
    try:
        pending: deque[Future[Batch]] = deque([pool.submit(_batch_rows, first), pool.submit(_batch_rows, second)])
        while pending:
            yield pending.popleft().result()  # written by the caller while the next batch is analysed
            batch = next(batches, [])
            if batch:
                pending.append(pool.submit(_batch_rows, batch))
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
