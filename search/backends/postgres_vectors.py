"""PostgreSQL search vectors written from Python: as a tsvector literal (text) or in tsvector's binary input
format (binary COPY), from the analysed terms as they are (no text-search parser involved), so ``lịch_sử`` or
``k_98_kh_tu`` stay one lexeme; head terms carry weight A, page terms the default D."""

from __future__ import annotations

import struct
from collections import Counter
from collections.abc import Collection, Iterable
from typing import Any

from psycopg.adapt import Dumper
from psycopg.pq import Format

from search.backends.postgres_rank import lexeme
from search.backends.sql.rows import COLUMNS


def tsvector_literal(head_terms: Iterable[str], body_terms: Iterable[str], *, plain: bool | None = None) -> str:
    """Distinct terms (as given) written as a tsvector: head terms with weight A.  ``plain``: the caller knows
    that no term holds a quote or a backslash."""
    head, body = list(head_terms), list(body_terms)
    if plain is None:
        plain = not any("'" in t or "\\" in t for t in (*head, *body))
    if not plain:
        return " ".join([f"{lexeme(t)}:1A" for t in head] + [lexeme(t) for t in body])
    # nothing to escape (the usual case): one join per part
    parts = ["'" + "':1A '".join(head) + "':1A"] if head else []
    if body:
        parts.append("'" + "' '".join(body) + "'")
    return " ".join(parts)


def tsvector_binary(head_terms: Collection[str], body_terms: Collection[str]) -> bytes:
    """Distinct terms written in tsvector's binary input format (``tsvectorrecv``: the lexeme count, then
    each lexeme null-terminated with its positions): head terms at position 1 with weight A, page terms
    without positions — the vector :func:`tsvector_literal` writes, without the server parsing text (stop 16:
    the text parser was most of the COPY's time).  The server sorts the lexemes."""
    n = len(head_terms) + len(body_terms)
    out = struct.pack("!i", n)
    if head_terms:  # NUL, one position, A (3 << 14) | 1
        out += ("\0".join(head_terms) + "\0").encode().replace(b"\0", b"\0\0\x01\xc0\x01")
    if body_terms:  # NUL, no positions
        out += ("\0\0\0".join(body_terms) + "\0\0\0").encode()
    return out


class VectorDumper(Dumper):
    """tsvector values already in binary form (:func:`tsvector_binary`), for binary COPY."""

    format = Format.BINARY
    oid = 3614  # tsvector (pg_type; fixed since 8.3)

    def dump(self, obj: Any) -> bytes:
        return bytes(obj)


class VectorRows(list[tuple[Any, ...]]):
    """A batch's rows (COLUMNS) each ending with its vector (:func:`tsvector_binary`), and ``counts``: the
    passages of the batch holding each term."""

    counts: Counter[str]


_HEAD, _BODY, _LISTED = COLUMNS.index("head_terms"), COLUMNS.index("body_terms"), len(COLUMNS)


def vector_rows(rows: list[tuple[Any, ...]]) -> VectorRows:
    """Rows with their term lists (``document_rows(…, terms=True)``; else their term strings are split) as
    :class:`VectorRows`: the work of a PostgreSQL write that needs no database, done where the batch is
    analysed (``ANALYSIS_PROCESSES``; rows.analysed_batches).  A row has head terms (page 0) or page terms,
    never both (rows.document_rows): head terms carry weight A."""
    out = VectorRows()
    add = out.append
    counts: Counter[str] = Counter()
    count = counts.update
    for row in rows:
        if row[_BODY]:
            terms = set(row[_LISTED] if len(row) > _LISTED else row[_BODY].split())
            add((*row[:_LISTED], tsvector_binary((), terms)))
        else:
            terms = set(row[_LISTED] if len(row) > _LISTED else row[_HEAD].split())
            add((*row[:_LISTED], tsvector_binary(terms, ())))
        count(terms)
    out.counts = counts
    return out
