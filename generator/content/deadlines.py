"""The next deadline of an aid on a given day (docs/interfaces.md §5, « échéances »): its own
`cloture` while it is still ahead, or, for a recurring aid whose current session is not known,
the deadline its last known session suggests a year on (« dates à confirmer »). A pure function
of the aid's dates and the day, shared by the calendar feeds and the deadline alerts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from generator.content.model import Session
from generator.content.status import status


@dataclass(frozen=True)
class Deadline:
    day: date  # the (expected) deadline
    opening: date | None  # the (expected) opening, when known
    # True when projected from a past session: the dates are to be confirmed.
    expected: bool = False
    known: date | None = None  # the past deadline an expected one was projected from


def years_later(day: date, years: int) -> date:
    """The same day `years` later; 29 February falls on the 28th in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def last_session(
    ouverture: date | None, cloture: date | None, derniere: Session | str | None
) -> tuple[date | None, date] | None:
    """The latest dated session of a recurring aid, as (opening, deadline): its own dates or
    its `derniere_session`, whichever closes last; None when none is dated."""
    sessions = [(ouverture, cloture)] if cloture is not None else []
    if isinstance(derniere, Session):
        sessions.append((derniere.ouverture, derniere.cloture))
    return max(sessions, key=lambda s: s[1]) if sessions else None


def next_deadline(
    ouverture: date | None,
    cloture: date | None,
    recurrence: str,
    derniere: Session | str | None,
    today: date,
) -> Deadline | None:
    """The deadline to keep, or None (a closed aid, a permanent one without an end date, a
    recurring one with no dated session)."""
    if status(ouverture, cloture, recurrence, today) == "cloturee":
        return None
    if cloture is not None and cloture >= today:
        return Deadline(cloture, ouverture)
    if recurrence != "recurrente":
        return None
    last = last_session(ouverture, cloture, derniere)
    if last is None:
        return None
    opening, known = last
    # A next session announced without its deadline closes after it opens.
    announced = ouverture if ouverture is not None and ouverture >= today else None
    after = max(today, announced or today)
    years = max(1, after.year - known.year)
    while years_later(known, years) < after:
        years += 1
    if announced is None and opening is not None:
        announced = years_later(opening, years)
    return Deadline(years_later(known, years), announced, expected=True, known=known)
