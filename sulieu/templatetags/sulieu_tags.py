"""Template helpers shared by every app."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template

register = template.Library()


@register.filter
def vndate(value: Any, precision: str = "day") -> str:
    """A date the Vietnamese way, only as precise as it is known: 18/01/2018, 01/2018, 2018, 1970s…

    Accepts a date or an ISO string; ``precision`` is the item's date precision (day, month, season,
    year, decade, range…); anything coarser than a month prints the year.
    """
    if value in (None, ""):
        return ""
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value[:10])
        except ValueError:
            return value
    if not isinstance(value, dt.date):
        return str(value)
    if precision == "month":
        return f"{value.month:02d}/{value.year}"
    if precision == "decade":
        return f"{value.year - value.year % 10}s"
    if precision in {"day", "", None}:
        return f"{value.day:02d}/{value.month:02d}/{value.year}"
    return str(value.year)
