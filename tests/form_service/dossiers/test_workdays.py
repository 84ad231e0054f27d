from __future__ import annotations

from datetime import date, datetime

import pytest

from form_service.dossiers.workdays import PARIS, add_workdays, is_workday, working_hours


def paris(*args: int) -> datetime:
    return datetime(*args, tzinfo=PARIS)  # type: ignore[misc]


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 12, 1), True),  # a Tuesday
        (date(2026, 12, 5), False),  # Saturday
        (date(2026, 12, 6), False),  # Sunday
        (date(2026, 12, 25), False),  # Christmas, a Friday
        (date(2026, 5, 14), False),  # Ascension, a Thursday
        (date(2026, 5, 25), False),  # Pentecost Monday
        (date(2026, 7, 14), False),
        (date(2026, 7, 15), True),
    ],
)
def test_working_days_skip_weekends_and_french_public_holidays(day: date, expected: bool) -> None:
    assert is_workday(day) is expected


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        (paris(2026, 12, 1, 10), 2, paris(2026, 12, 3, 10)),  # Tue → Thu
        (paris(2026, 12, 4, 15), 2, paris(2026, 12, 8, 15)),  # Fri → Tue
        (paris(2026, 12, 5, 10), 2, paris(2026, 12, 8, 10)),  # Sat → Tue
        (paris(2026, 12, 23, 9), 2, paris(2026, 12, 28, 9)),  # Wed, Christmas Friday → Mon
        (paris(2026, 5, 13, 9), 2, paris(2026, 5, 18, 9)),  # Ascension Thursday, then Fri
        (paris(2026, 12, 1, 10), 5, paris(2026, 12, 8, 10)),
        (paris(2026, 12, 1, 10), 15, paris(2026, 12, 22, 10)),
        (paris(2026, 12, 14, 10), 15, paris(2027, 1, 6, 10)),  # Christmas and New Year
    ],
)
def test_deadlines_in_working_days(start: datetime, days: int, expected: datetime) -> None:
    assert add_workdays(start, days) == expected


def test_deadline_keeps_paris_time_across_a_change_of_hour() -> None:
    start = paris(2026, 10, 23, 14)  # Friday, summer time; clocks go back on Sunday 25
    assert add_workdays(start, 1) == paris(2026, 10, 26, 14)


@pytest.mark.parametrize(
    ("start", "end", "hours"),
    [
        (paris(2026, 12, 1, 10), paris(2026, 12, 1, 13), 3.0),
        (paris(2026, 12, 4, 18), paris(2026, 12, 7, 9), 0.0),  # Fri 18 h → Mon 9 h
        (paris(2026, 12, 4, 16), paris(2026, 12, 7, 10), 3.0),  # Fri 16 h → Mon 10 h
        (paris(2026, 12, 1, 7), paris(2026, 12, 1, 23), 9.0),  # a whole working day
        (paris(2026, 12, 24, 12), paris(2026, 12, 28, 10), 7.0),  # Christmas, weekend skipped
        (paris(2026, 12, 5, 10), paris(2026, 12, 6, 10), 0.0),  # a weekend
        (paris(2026, 12, 2, 10), paris(2026, 12, 1, 10), 0.0),
    ],
)
def test_working_hours(start: datetime, end: datetime, hours: float) -> None:
    assert working_hours(start, end) == pytest.approx(hours)
