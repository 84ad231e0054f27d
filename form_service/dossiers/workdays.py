"""Working days (Monday–Friday, French public holidays excluded), in Paris time.

The dossiers' deadlines (docs/interfaces.md §7) are counted in working days from the request; their
statistics in working hours. Public holidays come from the `holidays` library (metropolitan
France: the overseas departments' own days are not taken into account).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

import holidays

PARIS = ZoneInfo("Europe/Paris")

IsWorkday = Callable[[date], bool]


@cache
def _french_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("FR", years=year))


def is_workday(day: date) -> bool:
    """Monday to Friday, and not a French public holiday."""
    return day.weekday() < 5 and day not in _french_holidays(day.year)


def add_workdays(start: datetime, count: int, workday: IsWorkday = is_workday) -> datetime:
    """The moment `count` working days after `start`, at the same Paris time of day.

    A request sent on a Friday at 15:00 is 2 working days old on Tuesday at 15:00; one sent
    on a Saturday, on Tuesday at the same hour too (Monday is its first working day)."""
    local = start.astimezone(PARIS)
    day, left = local.date(), count
    while left > 0:
        day += timedelta(days=1)
        if workday(day):
            left -= 1
    return datetime.combine(day, local.timetz().replace(tzinfo=None), PARIS)


OPENS, CLOSES = time(9), time(18)  # the working hours of a working day


def working_hours(start: datetime, end: datetime, workday: IsWorkday = is_workday) -> float:
    """Working hours between `start` and `end`: Monday–Friday 9:00–18:00, Paris time, French
    public holidays excluded (docs/interfaces.md §7): a request sent on Friday evening and
    taken on Monday at 10 h waited one working hour."""
    if end <= start:
        return 0.0
    a, b = start.astimezone(PARIS), end.astimezone(PARIS)
    total = 0.0
    day = a.date()
    while day <= b.date():
        if workday(day):
            lo = max(a, datetime.combine(day, OPENS, PARIS))
            hi = min(b, datetime.combine(day, CLOSES, PARIS))
            total += max(0.0, (hi - lo).total_seconds())
        day += timedelta(days=1)
    return total / 3600
