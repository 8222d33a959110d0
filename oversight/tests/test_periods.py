import datetime as dt

import pytest

from oversight.periods import (
    PeriodError,
    due_date,
    is_locked,
    is_on_time,
    lock_date,
    parse_period,
    period_containing,
    periods_of_year,
    stage_on,
)

D = dt.date
TZ = "Asia/Ho_Chi_Minh"


@pytest.mark.parametrize(("key", "start", "end"), [
    ("2025", D(2025, 1, 1), D(2025, 12, 31)),
    ("2025-H1", D(2025, 1, 1), D(2025, 6, 30)),
    ("2025-H2", D(2025, 7, 1), D(2025, 12, 31)),
    ("2025-Q3", D(2025, 7, 1), D(2025, 9, 30)),
    ("2024-02", D(2024, 2, 1), D(2024, 2, 29)),
    ("2025-12", D(2025, 12, 1), D(2025, 12, 31)),
])
def test_calendar_periods(key, start, end):
    period = parse_period(key)
    assert (period.start, period.end) == (start, end)


@pytest.mark.parametrize(("key", "start", "end"), [
    ("2025", D(2024, 12, 15), D(2025, 12, 14)),
    ("2025-H1", D(2024, 12, 15), D(2025, 6, 14)),
    ("2025-H2", D(2025, 6, 15), D(2025, 12, 14)),
    ("2025-Q1", D(2024, 12, 15), D(2025, 3, 14)),
    ("2025-Q3", D(2025, 6, 15), D(2025, 9, 14)),
    ("2025-07", D(2025, 6, 15), D(2025, 7, 14)),
    ("2025-01", D(2024, 12, 15), D(2025, 1, 14)),
])
def test_decree_09_2019_cutoff_periods(key, start, end):
    period = parse_period(key, cutoff="decree-09-2019")
    assert (period.start, period.end) == (start, end)


def test_cutoff_periods_of_a_year_tile_it_without_gaps():
    for kind in ("month", "quarter", "half-year"):
        periods = periods_of_year(2025, kind, "decree-09-2019")
        assert periods[0].start == D(2024, 12, 15)
        assert periods[-1].end == D(2025, 12, 14)
        for a, b in zip(periods, periods[1:], strict=False):
            assert b.start == a.end + dt.timedelta(days=1)


@pytest.mark.parametrize(("day", "kind", "cutoff", "key"), [
    (D(2025, 6, 14), "half-year", "decree-09-2019", "2025-H1"),
    (D(2025, 6, 15), "half-year", "decree-09-2019", "2025-H2"),
    (D(2025, 12, 15), "year", "decree-09-2019", "2026"),
    (D(2025, 12, 15), "year", "calendar", "2025"),
    (D(2025, 12, 20), "month", "decree-09-2019", "2026-01"),
    (D(2025, 9, 14), "quarter", "decree-09-2019", "2025-Q3"),
    (D(2025, 9, 15), "quarter", "decree-09-2019", "2025-Q4"),
    (D(2025, 7, 1), "quarter", "calendar", "2025-Q3"),
])
def test_period_containing_a_day(day, kind, cutoff, key):
    period = period_containing(day, kind, cutoff)
    assert period.key == key
    assert period.contains(day)


def test_next_and_previous():
    period = parse_period("2025-H2", cutoff="decree-09-2019")
    assert period.next().key == "2026-H1"
    assert period.previous().key == "2025-H1"


@pytest.mark.parametrize("key", ["", "25", "2025-H3", "2025-Q5", "2025-13", "2025-7", "2025-00", "abc",
                                 "<script>alert(1)</script>"])
def test_bad_keys_are_refused_with_a_clear_error(key):
    with pytest.raises(PeriodError, match="invalid period key"):
        parse_period(key)


def test_key_must_match_the_form_period_type():
    with pytest.raises(PeriodError, match="half-year"):
        parse_period("2025-07", "half-year")


def test_on_time_is_by_the_end_of_the_due_day_in_local_time():
    period = parse_period("2025-H1")
    due = due_date(period, 10)
    assert due == D(2025, 7, 10)
    utc = dt.UTC
    # 23:59 local on the due day (16:59 UTC) is on time, 00:00 local the next day is late
    assert is_on_time(dt.datetime(2025, 7, 10, 16, 59, tzinfo=utc), due, TZ)
    assert not is_on_time(dt.datetime(2025, 7, 10, 17, 0, tzinfo=utc), due, TZ)


def test_lock_after_expiry():
    due = D(2025, 7, 10)
    assert lock_date(due, 5) == D(2025, 7, 16)
    assert not is_locked(D(2025, 7, 15), due, 5)
    assert is_locked(D(2025, 7, 16), due, 5)


def test_reminder_stages():
    period = parse_period("2025-06")
    due = due_date(period, 10)  # 10/7
    assert stage_on(D(2025, 6, 29), period, due) is None
    assert stage_on(D(2025, 6, 30), period, due) == "opening"
    assert stage_on(D(2025, 7, 5), period, due) == "halfway"
    assert stage_on(D(2025, 7, 9), period, due) == "day_before"
    assert stage_on(D(2025, 7, 10), period, due) == "day_before"
    assert stage_on(D(2025, 7, 11), period, due) == "overdue"
