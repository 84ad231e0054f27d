"""Status of an aid on a given day (PRODUCT.md §1), a pure function of its dates."""

from datetime import date, timedelta

SOON = timedelta(days=30)


def status(ouverture: date | None, cloture: date | None, today: date) -> str:
    """`a-venir`, `ouverte`, `cloture-proche` (deadline within 30 days) or `cloturee`."""
    if cloture is not None and cloture < today:
        return "cloturee"
    if ouverture is not None and ouverture > today:
        return "a-venir"
    if cloture is not None and cloture - today <= SOON:
        return "cloture-proche"
    return "ouverte"
