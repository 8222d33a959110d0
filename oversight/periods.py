"""Reporting periods: calendar ones and the cut-off rule of Decree 09/2019/NĐ-CP (pure, no Django).

Keys: ``2025`` (year), ``2025-H1`` (half-year), ``2025-Q3`` (quarter), ``2025-07`` (month). Under the
Decree 09/2019 cut-off a period starts on the 15th of the month before its first month and ends on the
14th of its last month: month 07 = 15/6 → 14/7; Q1 = 15/12 → 14/3; H1 = 15/12 → 14/6, H2 = 15/6 → 14/12;
year = 15/12 → 14/12.

A report is due ``due_days`` after the period's last day and is on time when it arrives by the end of
the due day (local time). ``expiry_days`` after the due day the period locks.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

PERIOD_TYPES = ("month", "quarter", "half-year", "year")
CUTOFFS = ("calendar", "decree-09-2019")
CUTOFF_DAY = 15  # Decree 09/2019: the period starts on the 15th of the month before
STAGES = ("opening", "halfway", "day_before", "overdue")

_KEY = re.compile(r"^(?P<year>\d{4})(?:-(?:(?P<half>H[12])|(?P<quarter>Q[1-4])|(?P<month>0[1-9]|1[0-2])))?$")


class PeriodError(ValueError):
    """A period key or type that cannot be understood."""


@dataclass(frozen=True)
class Period:
    key: str
    period_type: str
    cutoff: str
    start: dt.date
    end: dt.date

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    def next(self) -> Period:
        return period_containing(self.end + dt.timedelta(days=1), self.period_type, self.cutoff)

    def previous(self) -> Period:
        return period_containing(self.start - dt.timedelta(days=1), self.period_type, self.cutoff)


def _months(key: str) -> tuple[str, int, int, int]:
    """(period type, year, first month, number of months) of a key."""
    match = _KEY.match(key or "")
    if not match:
        raise PeriodError(f"invalid period key {key!r}: expected 2025, 2025-H1, 2025-Q3 or 2025-07")
    year = int(match["year"])
    if year < 1900 or year > 2200:
        raise PeriodError(f"invalid period key {key!r}: year out of range")
    if match["half"]:
        return "half-year", year, 1 if match["half"] == "H1" else 7, 6
    if match["quarter"]:
        return "quarter", year, 3 * (int(match["quarter"][1]) - 1) + 1, 3
    if match["month"]:
        return "month", year, int(match["month"]), 1
    return "year", year, 1, 12


def _add_months(year: int, month: int, n: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + n
    return index // 12, index % 12 + 1


def _last_day(year: int, month: int) -> dt.date:
    ny, nm = _add_months(year, month, 1)
    return dt.date(ny, nm, 1) - dt.timedelta(days=1)


def parse_period(key: str, period_type: str | None = None, cutoff: str = "calendar") -> Period:
    """The period of ``key``; ``period_type`` (when given) must match the key's type."""
    if cutoff not in CUTOFFS:
        raise PeriodError(f"unknown cut-off {cutoff!r}: expected one of {', '.join(CUTOFFS)}")
    kind, year, first, count = _months(key)
    if period_type is not None and period_type != kind:
        raise PeriodError(f"period {key!r} is a {kind}, this form reports per {period_type}")
    last_year, last_month = _add_months(year, first, count - 1)
    if cutoff == "calendar":
        start, end = dt.date(year, first, 1), _last_day(last_year, last_month)
    else:
        sy, sm = _add_months(year, first, -1)
        start = dt.date(sy, sm, CUTOFF_DAY)
        end = dt.date(last_year, last_month, CUTOFF_DAY - 1)
    return Period(key=key, period_type=kind, cutoff=cutoff, start=start, end=end)


def period_key(period_type: str, year: int, index: int) -> str:
    """Key of the ``index``-th (1-based) period of ``period_type`` in ``year``."""
    if period_type == "year":
        return f"{year}"
    if period_type == "half-year":
        return f"{year}-H{index}"
    if period_type == "quarter":
        return f"{year}-Q{index}"
    if period_type == "month":
        return f"{year}-{index:02d}"
    raise PeriodError(f"unknown period type {period_type!r}: expected one of {', '.join(PERIOD_TYPES)}")


def period_containing(day: dt.date, period_type: str, cutoff: str = "calendar") -> Period:
    """The period of ``period_type`` that contains ``day``."""
    if period_type not in PERIOD_TYPES:
        raise PeriodError(f"unknown period type {period_type!r}: expected one of {', '.join(PERIOD_TYPES)}")
    year, month = day.year, day.month
    if cutoff == "decree-09-2019" and day.day >= CUTOFF_DAY:
        year, month = _add_months(year, month, 1)  # from the 15th on, the day belongs to next month's period
    size = {"month": 1, "quarter": 3, "half-year": 6, "year": 12}[period_type]
    index = (month - 1) // size + 1
    return parse_period(period_key(period_type, year, index), period_type, cutoff)


def periods_of_year(year: int, period_type: str, cutoff: str = "calendar") -> list[Period]:
    count = {"month": 12, "quarter": 4, "half-year": 2, "year": 1}[period_type]
    return [parse_period(period_key(period_type, year, i), period_type, cutoff) for i in range(1, count + 1)]


def due_date(period: Period, due_days: int) -> dt.date:
    return period.end + dt.timedelta(days=due_days)


def local_day(moment: dt.datetime, tz: str | dt.tzinfo) -> dt.date:
    zone = ZoneInfo(tz) if isinstance(tz, str) else tz
    if moment.tzinfo is None:
        raise ValueError("an aware datetime is needed")
    return moment.astimezone(zone).date()


def is_on_time(submitted_at: dt.datetime, due: dt.date, tz: str | dt.tzinfo) -> bool:
    """On time = submitted by the end of the due day, in the local time zone."""
    return local_day(submitted_at, tz) <= due


def lock_date(due: dt.date, expiry_days: int) -> dt.date:
    """The first day on which the period is locked."""
    return due + dt.timedelta(days=expiry_days + 1)


def is_locked(today: dt.date, due: dt.date, expiry_days: int) -> bool:
    return today >= lock_date(due, expiry_days)


def stage_dates(period: Period, due: dt.date) -> dict[str, dt.date]:
    """When each reminder stage starts: the window opens on the period's last day (its data is then
    complete), halfway to the due date, the day before it, and the day after it (overdue)."""
    halfway = period.end + (due - period.end) / 2
    return {
        "opening": period.end,
        "halfway": halfway,
        "day_before": due - dt.timedelta(days=1),
        "overdue": due + dt.timedelta(days=1),
    }


def stage_on(today: dt.date, period: Period, due: dt.date) -> str | None:
    """The reminder stage reached on ``today`` (the latest one whose day has come), or None."""
    current = None
    for stage, day in stage_dates(period, due).items():
        if today >= day:
            current = stage
    return current
