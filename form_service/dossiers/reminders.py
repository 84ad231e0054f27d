"""The reminder schedule of a dossier (docs/interfaces.md §7), as a function of its events and the
calendar: what is due now, each step once (a step already recorded is never due again).

Every step acts on the needs nobody took (needs.py), even when another need was taken:
- 2 working days: recipients still « nouvelle » holding such a need get a reminder;
- 5: the coordinator gets the dossier for those needs, and the requester is told they are
  still being handled;
- 15: those needs become « sans-suite » (the dossier too when no need was taken), with an
  honest mail to the requester.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Final

from form_service.dossiers.model import (
    REQUESTER,
    SERVICE,
    Dossier,
    Mail,
    closed_by_requester,
    state,
    status,
)
from form_service.dossiers.needs import held, untaken
from form_service.dossiers.workdays import IsWorkday, add_workdays, is_workday


@dataclass(frozen=True)
class Step:
    action: str  # the event recorded when it is done
    days: int  # working days after the request


STEPS: Final = (Step("relance", 2), Step("coordination", 5), Step("sans-suite", 15))


def deadline(dossier: Dossier, step: Step, workday: IsWorkday = is_workday) -> datetime:
    return add_workdays(dossier.created, step.days, workday)


def done(dossier: Dossier, step: Step) -> bool:
    return any(e.actor == SERVICE and e.action == step.action for e in dossier.events)


def due(dossier: Dossier, now: datetime, workday: IsWorkday = is_workday) -> list[Step]:
    """The steps to run now, in order. Nothing once every need was taken, or the dossier is
    closed. A 2-day reminder that comes so late that the 5-day step is due too is skipped
    (the coordinator's mail says more)."""
    if not waiting(dossier):
        return []
    passed = [s for s in STEPS if deadline(dossier, s, workday) <= now]
    steps = [s for s in passed if not done(dossier, s)]
    if any(s.action == "coordination" for s in steps):
        steps = [s for s in steps if s.action != "relance"]
    return steps


def waiting(dossier: Dossier) -> tuple[str, ...]:
    """The needs the schedule acts on: nobody took them, and the dossier is still open."""
    if closed_by_requester(dossier) or state(dossier) == "terminee":
        return ()
    return untaken(dossier)


def mails(dossier: Dossier, step: Step) -> list[Mail]:
    """The mails a step sends (the coordinator's own mail is sent when it is added)."""
    if step.action == "relance":
        open_needs = set(waiting(dossier))
        return [
            Mail("relance", r.id)
            for r in dossier.recipients
            if status(dossier, r.id) == "nouvelle" and open_needs & set(held(dossier, r))
        ]
    if step.action == "coordination":
        return [Mail("suivi-demandeur", REQUESTER)]
    return [Mail("sans-suite-demandeur", REQUESTER)]


def next_deadline(dossier: Dossier, workday: IsWorkday = is_workday) -> datetime | None:
    """When the next step falls due, for the page (« prochaine relance le … »)."""
    if not waiting(dossier):
        return None
    pending = [deadline(dossier, s, workday) for s in STEPS if not done(dossier, s)]
    return min(pending) if pending else None
