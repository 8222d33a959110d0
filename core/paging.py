"""Integers that come from a request (``?page=``, ``?year=``, ids) checked before they reach SQL.

SQLite keeps integers in 64 bits: ``OFFSET 9223372036854775808`` or ``year = 10**30`` raises
OverflowError (a 500). Views, the API and commands pass request numbers through these helpers first;
a page past the end is then the last page (or a 404 where there is no "last page" to show).
"""

from __future__ import annotations

import argparse

# Far beyond any real listing; keeps OFFSET = (page - 1) * size well inside 64 bits and bounded work.
MAX_PAGE = 10_000
# Ranked search needs page × page_size candidates: deeper than this no page is offered (the last one is).
MAX_RESULTS_DEPTH = 10_000
# A row id or a year from a request: a signed 64-bit integer at most.
MAX_INT = 2**63 - 1


def request_int(value: str | None, *, default: int | None = None, minimum: int = 0,
                maximum: int = MAX_INT) -> int | None:
    """``value`` as an int in [minimum, maximum], else ``default`` (not a number, empty, out of range)."""
    text = (value or "").strip()
    if not text or len(text) > 20 or not text.lstrip("-").isdigit() or not text.isascii():
        return default
    number = int(text)
    return number if minimum <= number <= maximum else default


def page_number(value: str | None, *, maximum: int = MAX_PAGE) -> int:
    """A 1-based page number: not a number or below 1 → 1; above ``maximum`` → ``maximum``."""
    text = (value or "").strip()
    if text.isascii() and text.isdigit():
        return max(1, min(int(text[:20]) if len(text) <= 20 else maximum, maximum))
    return 1


def deepest_page(page_size: int) -> int:
    """The last page a ranked listing offers at this page size."""
    return max(1, MAX_RESULTS_DEPTH // max(1, page_size))


def page_arg(text: str) -> int:
    """argparse ``type=`` for ``--page``: a whole number from 1 to MAX_PAGE (else a usage error, exit 2)."""
    number = request_int(text, minimum=1, maximum=MAX_PAGE)
    if number is None:
        raise argparse.ArgumentTypeError("must be a whole number from 1 to %d" % MAX_PAGE)
    return number


def page_size_arg(text: str) -> int:
    """argparse ``type=`` for ``--page-size``: 1 to 100."""
    number = request_int(text, minimum=1, maximum=100)
    if number is None:
        raise argparse.ArgumentTypeError("must be a whole number from 1 to 100")
    return number
