"""Indicators that fill themselves from the platform, per unit subtree and period.

Archive figures (items digitised, pages OCR'd) are always there; books, portal articles and contests
count only when those apps are installed (``apps.is_installed``), and any app may add its own with
:func:`register_indicator` from its ``AppConfig.ready()``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db.models import Q
from django.utils import timezone

from archive.models import Item, ItemPage


@dataclass(frozen=True)
class Indicator:
    key: str
    label: str
    compute: Callable[[list[str], dt.datetime, dt.datetime], int]


_REGISTRY: dict[str, Indicator] = {}


def register_indicator(key: str, label: str, compute: Callable[[list[str], dt.datetime, dt.datetime], int]) -> None:
    """``compute(unit_paths, start, end)`` counts what happened under those units in [start, end)."""
    _REGISTRY[key] = Indicator(key, label, compute)


def _under(paths: list[str], field: str) -> Q:
    q = Q(pk__in=[])
    for path in paths:
        q |= Q(**{f"{field}__path__startswith": path})
    return q


def _items_digitised(paths: list[str], start: dt.datetime, end: dt.datetime) -> int:
    return Item.objects.filter(_under(paths, "org_unit") | _under(paths, "collection__org_unit"),
                               created_at__gte=start, created_at__lt=end, merged_into__isnull=True).count()


def _pages_ocr(paths: list[str], start: dt.datetime, end: dt.datetime) -> int:
    return ItemPage.objects.filter(_under(paths, "item__org_unit") | _under(paths, "item__collection__org_unit"),
                                   ocr_state="done", item__created_at__gte=start,
                                   item__created_at__lt=end).count()


register_indicator("items_digitised", "Số tài liệu đã số hóa", _items_digitised)
register_indicator("pages_ocr", "Số trang đã nhận dạng chữ (OCR)", _pages_ocr)


def _published_pages(app: str, model: str) -> Callable[[list[str], dt.datetime, dt.datetime], int]:
    def compute(paths: list[str], start: dt.datetime, end: dt.datetime) -> int:
        # Wagtail pages carry no org unit yet: counted for the whole site
        try:
            page_model = apps.get_model(app, model)
        except LookupError:
            return 0
        return page_model.objects.filter(live=True, first_published_at__gte=start,
                                         first_published_at__lt=end).count()
    return compute


if apps.is_installed("books"):
    register_indicator("books_published", "Số cuốn sách lịch sử xuất bản", _published_pages("books", "BookPage"))
    register_indicator("chapters_published", "Số chương đã xuất bản", _published_pages("books", "ChapterPage"))
if apps.is_installed("portal"):
    register_indicator("articles_published", "Số bài viết đăng trên cổng", _published_pages("portal", "ArticlePage"))


def indicators() -> list[Indicator]:
    return list(_REGISTRY.values())


def _bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    return (dt.datetime.combine(start, dt.time.min, tzinfo=tz),
            dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz))


def compute_indicators(paths: list[str], start: dt.date, end: dt.date) -> dict[str, int]:
    """Every registered indicator for the units under ``paths`` between two days (inclusive)."""
    lo, hi = _bounds(start, end)
    return {ind.key: ind.compute(paths, lo, hi) for ind in _REGISTRY.values()}


def prefill(form: Any, unit: Any, period: Any) -> dict[str, Any]:
    """Initial values of a form's fields whose ``source`` names an indicator (the officer confirms)."""
    wanted = [f for f in form.fields if f.get("source") in _REGISTRY]
    if not wanted:
        return {}
    lo, hi = _bounds(period.start, period.end)
    return {f["key"]: _REGISTRY[f["source"]].compute([unit.path], lo, hi) for f in wanted}
