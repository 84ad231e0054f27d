"""What a requester is promised, said the same way on the confirmation page, the
acknowledgment and the requester's page (docs/interfaces.md §7, « The requester's side »). It
matches the reminder schedule of form_service/dossiers/reminders.py."""

from __future__ import annotations

from typing import Final

PROMISE: Final = (
    "Un réseau vous rappelle sous 2 jours ouvrés ; sinon, le coordinateur de votre région "
    "prend le relais."
)

MEASURED_MIN: Final = 20  # dossiers in the region over the window before a figure is said
MEASURED_DAYS: Final = 90


def measured(total: int, fast: int) -> str | None:
    """The measured figure said after the promise, once there are enough dossiers: « Ces 90
    derniers jours, 8 demandes sur 10 ont été prises en charge en 2 jours ouvrés. »"""
    if total < MEASURED_MIN:
        return None
    tenths = round(10 * fast / total)
    return (
        f"Ces {MEASURED_DAYS} derniers jours, dans votre région, {tenths} demandes sur 10 ont "
        "été prises en charge en 2 jours ouvrés."
    )
