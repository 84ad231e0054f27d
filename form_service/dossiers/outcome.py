"""The outcome loop (docs/interfaces.md §7): 10 working days after the first « prendre », the
requester is asked once « Avez-vous été rappelé ? »; its answer is an event every recipient
sees, and « Non » re-opens the dossier to the coordinator. Pure functions, table-tested."""

from __future__ import annotations

from datetime import datetime
from typing import Final

from form_service.dossiers.model import (
    ANSWERS,
    REQUESTER,
    SERVICE,
    Dossier,
    closed_by_requester,
    first_taken,
)
from form_service.dossiers.workdays import IsWorkday, add_workdays, is_workday

ASK_AFTER: Final = 10  # working days after the first « prendre »
STEP: Final = "resultat"  # the service's event when the question is mailed


def answer(dossier: Dossier) -> str | None:
    """The requester's answer, if it gave one (the first counts)."""
    return next(
        (e.value for e in dossier.events if e.actor == REQUESTER and e.action == "repondre"),
        None,
    )


def asked(dossier: Dossier) -> bool:
    return any(e.actor == SERVICE and e.action == STEP for e in dossier.events)


def due(dossier: Dossier, now: datetime, workday: IsWorkday = is_workday) -> bool:
    """Whether the question is to be mailed now: once, 10 working days after the first
    « prendre », unless the requester answered already or no longer needs a call."""
    taken = first_taken(dossier)
    if taken is None or asked(dossier) or answer(dossier) is not None:
        return False
    if closed_by_requester(dossier):
        return False
    return add_workdays(taken, ASK_AFTER, workday) <= now


__all__ = ["ANSWERS", "ASK_AFTER", "STEP", "answer", "asked", "due"]
