"""Status of an aid on a given day (docs/interfaces.md §1): a pure function of its dates, its
recurrence and the day."""

from datetime import date, timedelta

SOON = timedelta(days=30)


def status(ouverture: date | None, cloture: date | None, recurrence: str, today: date) -> str:
    """`a-venir`, `ouverte`, `cloture-proche` (deadline within 30 days), `cloturee` (a one-off
    or permanent aid past its deadline) or `a-confirmer` (a recurring call with no known
    session, or whose last known session has passed)."""
    if recurrence == "recurrente":
        if ouverture is None and cloture is None:
            return "a-confirmer"
        if cloture is not None and cloture < today:
            return "a-confirmer"
    elif cloture is not None and cloture < today:
        return "cloturee"
    if ouverture is not None and ouverture > today:
        return "a-venir"
    if cloture is not None and cloture - today <= SOON:
        return "cloture-proche"
    return "ouverte"
