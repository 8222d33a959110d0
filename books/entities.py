"""Index-entry suggestions: places and bodies found by ``vntext``, units of the org-unit tree named in the text,
and people introduced as "đồng chí / ông / bà …". A person confirms each (``services.entity_confirm``)."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from html import unescape

from books.document import book_pages
from books.models import BookPage, ChapterPage, Entity, SectionPage
from orgs.models import OrgUnit
from vntext import find_bodies, find_places

PERSON_RE = re.compile(r"\b(?:đồng chí|Đồng chí|ông|Ông|bà|Bà|anh hùng|Anh hùng)\s+((?:[A-ZĐÀ-Ỹ][\wÀ-ỹ]*\s?){2,4})")
TAG_RE = re.compile(r"<[^>]+>")


@dataclass
class EntitySuggestion:
    kind: str
    name: str
    count: int
    confirmed: bool = False


def book_text(book: BookPage) -> str:
    parts = []
    for page in book_pages(book, live_only=False):
        if isinstance(page, (ChapterPage, SectionPage)):
            for child in page.body:
                if child.block_type == "paragraph":
                    parts.append(unescape(TAG_RE.sub(" ", child.value.source)))
                elif child.block_type == "quote":
                    parts.append(child.value["text"])
    return "\n".join(parts)


def suggest_entities(book: BookPage, *, limit: int = 300) -> list[EntitySuggestion]:
    text = book_text(book)
    counts: Counter[tuple[str, str]] = Counter()
    for place in find_places(text):
        counts[("place", place.text.strip())] += 1
    for body in find_bodies(text):
        name = body.text.strip()
        if len(name.split()) <= 8:
            counts[("organisation", name)] += 1
    for match in PERSON_RE.finditer(text):
        counts[("person", match.group(1).strip())] += 1
    names = set(OrgUnit.objects.values_list("name", flat=True)[:5000])
    for name in names:
        if name and name in text:
            counts[("organisation" if not name.lower().startswith(("xã", "phường", "tỉnh", "huyện", "thị"))
                    else "place", name)] += text.count(name)
    confirmed = set(Entity.objects.filter(book=book, confirmed=True).values_list("kind", "name"))
    return [EntitySuggestion(kind, name, n, (kind, name) in confirmed)
            for (kind, name), n in counts.most_common(limit)]
