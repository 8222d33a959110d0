"""What goes into the index and what comes out: plain dataclasses, independent of any source app."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass
class SearchPage:
    n: int
    text: str


@dataclass
class SearchDocument:
    """One searchable item with its pages (passages). Sources (archive, later books) build these."""

    id: int
    title: str
    pages: list[SearchPage] = field(default_factory=list)
    summary: str = ""
    symbol: str = ""
    doc_type: str = ""
    doc_type_code: str = ""
    issuer: str = ""
    issuer_code: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    access: str = "public"
    unit_id: int | None = None
    unit_path: str | None = None
    collection_id: int | None = None
    collection_path: str | None = None
    kind: str = ""
    keywords: list[str] = field(default_factory=list)
    places: list[str] = field(default_factory=list)


@dataclass
class Hit:
    id: int
    title: str
    url: str
    snippet: str  # safe HTML: escaped text with <mark> around matches
    page: int | None
    score: float
    symbol: str = ""
    doc_type: str = ""
    issuer: str = ""
    date: str | None = None
    access: str = "public"

    def to_dict(self) -> dict[str, object]:
        return {"id": self.id, "title": self.title, "url": self.url, "snippet": self.snippet,
                "page": self.page, "score": self.score}


@dataclass
class FacetValue:
    value: str
    label: str
    count: int


@dataclass
class Results:
    count: int
    hits: list[Hit]
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    page: int = 1
    page_size: int = 10
    # True when the match was too broad for exact facet counts: they are counted over the ranked candidates
    # (the best few hundred passages) instead of every match.
    facets_approximate: bool = False
    # True when ``count`` is an estimate: a very broad match counted exactly up to a sample of its passages and
    # extrapolated (see search.backends.sqlite); shown as "about N".
    count_approximate: bool = False

    @property
    def num_pages(self) -> int:
        return max(1, -(-self.count // self.page_size))

    def to_dict(self) -> dict[str, object]:
        out: dict[str, object] = {
            "count": self.count,
            "page": self.page,
            "num_pages": self.num_pages,
            "results": [h.to_dict() for h in self.hits],
            "facets": {name: [{"value": v.value, "label": v.label, "count": v.count} for v in values]
                       for name, values in self.facets.items()},
        }
        if self.facets_approximate:
            out["facets_approximate"] = True  # only present when true: the usual answer keeps its shape
        if self.count_approximate:
            out["count_approximate"] = True
        return out
