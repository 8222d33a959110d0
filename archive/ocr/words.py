"""Word boxes of an OCR'd page, from Tesseract's hOCR: what the reading room needs to mark search terms on the
page image.

Stored per page as a small JSON file (``ItemFile.Role.PAGE_WORDS``)::

    {"w": 2480, "h": 3508, "words": [[x0, y0, x1, y1, "Kế"], [x0, y0, x1, y1, "hoạch"], ...]}

in the pixels of the image Tesseract read (``w`` × ``h``, the ``ocr_page`` box). The page image the reader
shows may be smaller; callers scale by ``w`` (the boxes keep their place on any copy of the same page).
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from typing import Any, TypedDict

_BBOX = re.compile(r"\bbbox\s+(-?\d+)\s+(-?\d+)\s+(-?\d+)\s+(-?\d+)")


class PageWords(TypedDict):
    w: int
    h: int
    words: list[list[Any]]  # [x0, y0, x1, y1, text]


class _Parser(HTMLParser):
    """Collects the first ``ocr_page`` box and every ``ocrx_word`` span's box and text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page: tuple[int, int] | None = None
        self.words: list[list[Any]] = []
        self._word: list[Any] | None = None
        self._depth = 0  # open elements inside the current word span
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._word is not None:
            self._depth += 1
            return
        values = dict(attrs)
        classes = (values.get("class") or "").split()
        box = _BBOX.search(values.get("title") or "")
        if box is None:
            return
        x0, y0, x1, y1 = (int(v) for v in box.groups())
        if "ocr_page" in classes and self.page is None:
            self.page = (x1 - x0, y1 - y0)
        elif "ocrx_word" in classes and x1 > x0 and y1 > y0:
            self._word, self._depth, self._text = [x0, y0, x1, y1], 0, []

    def handle_endtag(self, tag: str) -> None:
        if self._word is None:
            return
        if self._depth:
            self._depth -= 1
            return
        text = "".join(self._text).strip()
        if text:
            self.words.append([*self._word, text])
        self._word = None

    def handle_data(self, data: str) -> None:
        if self._word is not None:
            self._text.append(data)


def hocr_words(hocr: str) -> PageWords | None:
    """The page size and word boxes of ``hocr`` (None when it holds no page or no word)."""
    if not hocr or "ocrx_word" not in hocr:
        return None
    parser = _Parser()
    parser.feed(hocr)
    parser.close()
    if parser.page is None or not parser.words or min(parser.page) <= 0:
        return None
    width, height = parser.page
    return PageWords(w=width, h=height, words=parser.words)


def words_json(words: PageWords) -> bytes:
    return json.dumps(words, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def words_load(data: bytes) -> PageWords | None:
    """A stored word file, checked (None if it is not one: the reader then shows no boxes)."""
    try:
        value = json.loads(data)
        width, height, words = int(value["w"]), int(value["h"]), value["words"]
    except (ValueError, KeyError, TypeError):
        return None
    if width <= 0 or height <= 0 or not isinstance(words, list):
        return None
    good = [w for w in words if isinstance(w, list) and len(w) == 5 and isinstance(w[4], str)
            and all(isinstance(v, int) for v in w[:4])]
    return PageWords(w=width, h=height, words=good)

