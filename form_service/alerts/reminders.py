"""« Me prévenir 15 jours avant la clôture » (docs/interfaces.md §8): which deadlines a
subscription that asked for them is reminded of on a given day, as a pure function of its
filters, the aids, the reminders already sent and the day.

A deadline is reminded once it is 15 days away or less and not passed: an aid published, or a
subscription confirmed, 5 days before a deadline still gets its mail. Only a known deadline
(the aid's `cloture`) is reminded, never a session whose dates are to be confirmed. Each
(aid, deadline) once per subscription: a deadline that moves is a new deadline, reminded again.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from form_service.alerts.filters import Aid, Filters
from generator.content.deadlines import next_deadline

NOTICE = timedelta(days=15)

Reminded = tuple[str, date]  # slug, deadline


@dataclass(frozen=True)
class Reminder:
    aid: Aid
    deadline: date

    @property
    def key(self) -> Reminded:
        return (self.aid.slug, self.deadline)

    def days_left(self, today: date) -> int:
        return (self.deadline - today).days


def known_deadline(aid: Aid, today: date) -> date | None:
    """The aid's deadline still to come on `today`, when its date is known."""
    deadline = next_deadline(aid.ouverture, aid.cloture, aid.recurrence, None, today)
    return None if deadline is None or deadline.expected else deadline.day


def upcoming(aids: Iterable[Aid], today: date) -> list[Reminder]:
    """Each aid's known deadline within the notice on `today`, computed once for every
    subscription."""
    found = []
    for aid in aids:
        deadline = known_deadline(aid, today)
        if deadline is not None and deadline - NOTICE <= today:
            found.append(Reminder(aid, deadline))
    return found


def due(
    filters: Filters, upcoming: Iterable[Reminder], sent: frozenset[Reminded]
) -> list[Reminder]:
    """The reminders to send for one subscription, of the `upcoming` deadlines, soonest
    deadline first."""
    if not filters.echeances:
        return []
    found = [r for r in upcoming if r.key not in sent and filters.matches(r.aid)]
    return sorted(found, key=lambda r: (r.deadline, r.aid.titre, r.aid.slug))
