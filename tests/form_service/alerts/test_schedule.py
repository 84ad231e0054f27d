"""Digests go out on Monday morning in Paris, once per ISO week, across DST changes."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from form_service.alerts.schedule import iso_week, next_run


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(
    ("now", "done", "expected"),
    [
        # Winter (UTC+1): Monday 08:00 in Paris is 07:00 UTC.
        (utc(2026, 12, 2, 10, 0), None, utc(2026, 12, 7, 7, 0)),  # Wednesday → next Monday
        (utc(2026, 12, 7, 6, 59), None, utc(2026, 12, 7, 7, 0)),  # just before
        (utc(2026, 12, 7, 7, 0), None, utc(2026, 12, 7, 7, 0)),  # on time
        (utc(2026, 12, 7, 9, 30), None, utc(2026, 12, 7, 9, 30)),  # started late: now
        (utc(2026, 12, 7, 9, 30), "2026-W50", utc(2026, 12, 14, 7, 0)),  # done this week
        (utc(2026, 12, 7, 11, 0), None, utc(2026, 12, 14, 7, 0)),  # noon in Paris: too late
        (utc(2026, 12, 6, 23, 30), None, utc(2026, 12, 7, 7, 0)),  # Sunday UTC, Monday Paris
        # Summer (UTC+2): 06:00 UTC.
        (utc(2026, 6, 10, 12, 0), None, utc(2026, 6, 15, 6, 0)),
        # Across the change to summer time (Sunday 29 March 2026) and back (25 October).
        (utc(2026, 3, 26, 12, 0), None, utc(2026, 3, 30, 6, 0)),
        (utc(2026, 10, 22, 12, 0), None, utc(2026, 10, 26, 7, 0)),
        # Across the new year: ISO week 53 of 2026, then week 1 of 2027.
        (utc(2026, 12, 29, 12, 0), None, utc(2027, 1, 4, 7, 0)),
    ],
)
def test_next_run(now: datetime, done: str | None, expected: datetime) -> None:
    assert next_run(now, done) == expected


@pytest.mark.parametrize(
    ("now", "week"),
    [
        (utc(2026, 12, 7, 7, 0), "2026-W50"),
        (utc(2026, 12, 6, 22, 59), "2026-W49"),  # Sunday 23:59 in Paris
        (utc(2026, 12, 6, 23, 0), "2026-W50"),  # Monday 00:00 in Paris
        (utc(2026, 12, 31, 12, 0), "2026-W53"),
        (utc(2027, 1, 4, 12, 0), "2027-W01"),
        (utc(2027, 1, 1, 12, 0), "2026-W53"),
    ],
)
def test_iso_week_of_the_paris_day(now: datetime, week: str) -> None:
    assert iso_week(now) == week


def test_naive_times_are_refused() -> None:
    with pytest.raises(ValueError):
        next_run(datetime(2026, 12, 7, 8, 0))
