"""Chronology (biên niên sự kiện): lunar labels, suggestions from dated sentences in archive items, and the
timeline read (filtered by year, place and actor; years as clusters; events paged).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet

from archive.models import Collection, ItemPage
from books.models import Chronology, Event, EventPrecision
from orgs.access import filter_visible
from vntext import find_dates

SENTENCE_RE = re.compile(r"[^.!?\n]+[.!?]?")
SUGGEST_PRECISIONS = {"day": EventPrecision.DAY, "days": EventPrecision.RANGE, "month": EventPrecision.MONTH,
                      "month-part": EventPrecision.APPROXIMATE, "season": EventPrecision.APPROXIMATE,
                      "year-part": EventPrecision.APPROXIMATE, "year": EventPrecision.YEAR,
                      "range": EventPrecision.RANGE}


def lunar_label(event: Event) -> str:
    """The lunar date beside a day-precise solar date ("21/7 Nhâm Dần"), else ""."""
    if event.precision != EventPrecision.DAY or event.date_earliest is None:
        return ""
    import vnlunar

    d = event.date_earliest
    try:
        lunar = vnlunar.convert_solar_to_lunar(d.day, d.month, d.year, 7)
        year_name = vnlunar.get_year_can_chi(lunar["year"])
    except Exception:  # noqa: BLE001 - a calendar library edge case must not break a page
        return ""
    leap = " nhuận" if lunar.get("leap") else ""
    return "%d/%d%s năm %s âm lịch" % (lunar["day"], lunar["month"], leap, year_name)


@dataclass
class Suggestion:
    date: str
    precision: str
    text: str
    item_id: int
    page: int
    date_latest: str = ""
    date_text: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"date": self.date, "precision": self.precision, "text": self.text, "item_id": self.item_id,
                "page": self.page}


def suggest_events(*, user: Any, collection: Collection, limit: int = 5000) -> list[Suggestion]:
    """Dated sentences (vntext.find_dates) in the visible items of a collection and everything under it."""
    from archive.selectors import item_list

    items = item_list(user, collection=collection)
    pages = (ItemPage.objects.filter(item__in=items.values("pk")).exclude(text="")
             .order_by("item_id", "n").values_list("item_id", "n", "text"))
    out: list[Suggestion] = []
    seen: set[tuple[str, str]] = set()
    for item_id, n, text in pages.iterator(chunk_size=200):
        for match in SENTENCE_RE.finditer(text):
            sentence = " ".join(match.group().split())
            if len(sentence) < 20:
                continue
            for span in find_dates(sentence):
                if not span.earliest or span.precision not in SUGGEST_PRECISIONS:
                    continue
                key = (span.earliest, sentence)
                if key in seen:
                    continue
                seen.add(key)
                out.append(Suggestion(date=span.earliest, precision=span.precision, text=sentence, item_id=item_id,
                                      page=n, date_latest=span.latest or span.earliest, date_text=span.text))
                break
            if len(out) >= limit:
                return out
    return out


def event_fields(*, date_earliest: dt.date, date_latest: dt.date | None, precision: str) -> dict[str, Any]:
    latest = date_latest or date_earliest
    if latest < date_earliest:
        raise ValueError("the end date is before the start date")
    if precision not in EventPrecision.values:
        raise ValueError("unknown date precision %r" % precision)
    return {"date_earliest": date_earliest, "date_latest": latest, "precision": precision,
            "year": date_earliest.year}


def timeline(*, user: Any, chronology: Chronology | None = None, year: int | None = None, place: str = "",
             actor: str = "", page: int = 1, per_page: int = 100) -> dict[str, Any]:
    """Events narrowed by year / place / actor, paged; the year histogram (the clusters) for navigation."""
    chronologies = filter_visible(user, Chronology.objects.all())
    events: QuerySet[Event] = Event.objects.filter(chronology__in=chronologies)
    if chronology is not None:
        events = events.filter(chronology=chronology)
    base = events
    if place:
        events = events.filter(place__icontains=place)
    if actor:
        events = events.filter(Q(actors__icontains=actor))
    years = list(events.values("year").annotate(n=Count("pk")).order_by("year"))
    if year:
        events = events.filter(year=year)
    paginator = Paginator(events.order_by("date_earliest", "pk"), per_page)
    page_obj = paginator.get_page(page)
    places = list(base.exclude(place="").values("place").annotate(n=Count("pk")).order_by("-n")[:30])
    return {"page": page_obj, "years": years, "places": places, "total": paginator.count}
