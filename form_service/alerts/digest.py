"""What one subscription's weekly digest holds (docs/interfaces.md §8), as a pure function of its
filters, the catalogue, the content ledger, what earlier digests said, and the clock.

An aid is listed once, under the first reason that applies, in this order:
- `nouvelle`: first seen by the service since the previous digest (or the confirmation);
- `session`: a `recurrente` aid whose session opened since then;
- `dates`: an aid already known whose dates changed since then;
- `cloture`: its deadline falls within the next 30 days, and no digest announced that
  deadline before (each deadline is announced once; a new deadline can be announced again).
Closed aids are never listed. A listed aid whose deadline is within 30 days counts as that
deadline's announcement, whatever its reason.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from form_service.alerts.filters import Aid, Filters
from form_service.alerts.ledger import Seen
from generator.content.status import status

PARIS = ZoneInfo("Europe/Paris")
SOON = timedelta(days=30)
REASONS: dict[str, str] = {
    "nouvelle": "Nouvelles aides",
    "session": "Nouvelle session ouverte",
    "dates": "Dates modifiées",
    "cloture": "Clôture dans moins de 30 jours",
}
MAX_ITEMS = 40  # beyond, the mail links to the search instead

Deadline = tuple[str, date]  # slug, cloture


@dataclass(frozen=True)
class Previous:
    """What the earlier digests of a subscription said."""

    since: float  # Unix time of the previous digest, or of the confirmation
    deadlines: frozenset[Deadline] = frozenset()  # deadlines already announced


@dataclass(frozen=True)
class Item:
    aid: Aid
    reason: str  # a key of REASONS
    closing_soon: bool  # deadline within 30 days, mentioned in the mail


@dataclass(frozen=True)
class Digest:
    items: tuple[Item, ...] = ()
    more: int = 0  # matching items left out beyond MAX_ITEMS
    deadlines: frozenset[Deadline] = field(default_factory=frozenset)  # announced here

    def __bool__(self) -> bool:
        return bool(self.items)

    def sections(self) -> list[tuple[str, list[Item]]]:
        """(French title, items) per reason, in REASONS order, empty ones left out."""
        return [
            (title, [i for i in self.items if i.reason == reason])
            for reason, title in REASONS.items()
            if any(i.reason == reason for i in self.items)
        ]


def local_day(timestamp: float) -> date:
    """The day in Paris at a Unix time (the site's dates are French days)."""
    return datetime.fromtimestamp(timestamp, UTC).astimezone(PARIS).date()


def is_closed(aid: Aid, today: date) -> bool:
    """Closed on the site (a `recurrente` aid past its session is « à confirmer », shown)."""
    return status(aid.ouverture, aid.cloture, aid.recurrence, today) == "cloturee"


def _reason(aid: Aid, seen: Seen | None, previous: Previous, today: date) -> str | None:
    since_day = local_day(previous.since)
    if seen is not None and seen.first_seen > previous.since:
        return "nouvelle"
    if aid.recurrence == "recurrente" and aid.ouverture and since_day < aid.ouverture <= today:
        return "session"
    if seen is not None and seen.dates_changed is not None and seen.dates_changed > previous.since:
        return "dates"
    if _closing_soon(aid, today) and (aid.slug, aid.cloture) not in previous.deadlines:
        return "cloture"
    return None


def _closing_soon(aid: Aid, today: date) -> bool:
    return aid.cloture is not None and today <= aid.cloture <= today + SOON


def select(
    filters: Filters,
    aids: Iterable[Aid],
    ledger: Mapping[str, Seen],
    previous: Previous,
    today: date,
) -> Digest:
    """The digest for one subscription; empty (falsy) when nothing is worth a mail."""
    found: list[Item] = []
    for aid in aids:
        if is_closed(aid, today) or not filters.matches(aid):
            continue
        reason = _reason(aid, ledger.get(aid.slug), previous, today)
        if reason is not None:
            found.append(Item(aid, reason, _closing_soon(aid, today)))
    order = list(REASONS)
    found.sort(
        key=lambda i: (order.index(i.reason), i.aid.cloture or date.max, i.aid.titre, i.aid.slug)
    )
    kept = found[:MAX_ITEMS]
    deadlines = frozenset(
        (i.aid.slug, i.aid.cloture) for i in kept if i.closing_soon and i.aid.cloture
    )
    return Digest(tuple(kept), len(found) - len(kept), deadlines)
