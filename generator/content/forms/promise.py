"""What a requester is promised, said the same way on the confirmation page, the
acknowledgment and the requester's page (docs/interfaces.md §7, « The requester's side »). It
matches the reminder schedule of form_service/dossiers/reminders.py."""

from __future__ import annotations

from typing import Final

PROMISE: Final = (
    "Un réseau vous rappelle sous 2 jours ouvrés ; sinon, le coordinateur de votre région "
    "prend le relais."
)
