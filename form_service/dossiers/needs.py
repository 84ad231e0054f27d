"""Needs, not only networks (docs/interfaces.md §7): which recipient holds which of the
requested needs, and each need's status, derived from the events like everything else.

A recipient holds the needs it was chosen for (routing's reasons), or those it was given
(passed the dossier, the coordinator). The coordinator (and the fallback address) also holds
the needs the 5-day step handed over, and any need that no network holds any more: it is
where a need nobody carries ends up. A need is
« prise-en-charge » while a recipient holding it took the dossier and still has it,
« terminee » once every such taker finished, « sans-suite » when the 15-day step closed it
untaken, else « nouvelle ». Pure functions, table-tested.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from form_service.dossiers.model import (
    SERVICE,
    Dossier,
    Recipient,
    closed_by_requester,
    status,
    taken_by,
)

NEED_STATUSES: Final = {
    "nouvelle": "Pas encore pris en charge",
    "prise-en-charge": "Pris en charge",
    "terminee": "Accompagnement terminé",
    "sans-suite": "Sans suite",
}
CATCH_ALL: Final = ("coordination", "secours")  # roles that hold the needs nobody else holds
ACTIVE: Final = ("nouvelle", "prise-en-charge", "injoignable", "terminee")  # not a decline


def given(dossier: Dossier, r: Recipient) -> tuple[str, ...]:
    """The needs a recipient was given (every need for a dossier stored before needs were)."""
    return dossier.besoins if r.besoins is None else r.besoins


def unheld(dossier: Dossier) -> tuple[str, ...]:
    """Needs no recipient that has not declined was given."""
    active = [r for r in dossier.recipients if status(dossier, r.id) in ACTIVE]
    return tuple(b for b in dossier.besoins if not any(b in given(dossier, r) for r in active))


def held(dossier: Dossier, r: Recipient) -> tuple[str, ...]:
    """The needs a recipient holds now, in the dossier's order."""
    mine = set(given(dossier, r))
    if r.role in CATCH_ALL:
        mine |= set(unheld(dossier)) | handed_over(dossier)
    return tuple(b for b in dossier.besoins if b in mine)


def holders(dossier: Dossier, need: str) -> list[Recipient]:
    return [r for r in dossier.recipients if need in held(dossier, r)]


def _listed(dossier: Dossier, action: str) -> set[str]:
    """The needs the service's `action` events acted on (they list them; an older event
    without the list acted on every need)."""
    out: set[str] = set()
    for e in dossier.events:
        if e.actor == SERVICE and e.action == action:
            out |= set(e.value.split()) if e.value else set(dossier.besoins)
    return out


def handed_over(dossier: Dossier) -> set[str]:
    """Needs the 5-day step gave the coordinator."""
    return _listed(dossier, "coordination")


def closed_untaken(dossier: Dossier) -> set[str]:
    """Needs the 15-day step closed « sans suite »."""
    return _listed(dossier, "sans-suite")


def need_status(dossier: Dossier, need: str) -> str:
    """nouvelle, prise-en-charge, terminee or sans-suite."""
    if closed_by_requester(dossier):
        return "terminee"
    takers = [r for r in taken_by(dossier) if need in held(dossier, r)]
    if any(status(dossier, r.id) != "terminee" for r in takers):
        return "prise-en-charge"
    if takers:
        return "terminee"
    if need in closed_untaken(dossier):
        return "sans-suite"
    return "nouvelle"


def need_statuses(dossier: Dossier) -> dict[str, str]:
    return {b: need_status(dossier, b) for b in dossier.besoins}


def untaken(dossier: Dossier) -> tuple[str, ...]:
    """The needs nobody took, that the reminders, the coordinator and « sans-suite » act on."""
    return tuple(b for b, s in need_statuses(dossier).items() if s == "nouvelle")


def orphaned(dossier: Dossier, decliner: str) -> tuple[str, ...]:
    """What a decline leaves alone: the needs `decliner` was given that no other recipient
    (that has not declined) was given — routed again, those only."""
    me = dossier.recipient(decliner)
    if me is None:
        return ()
    others = [r for r in dossier.recipients if r.id != decliner and status(dossier, r.id) in ACTIVE]
    return tuple(b for b in given(dossier, me) if not any(b in given(dossier, r) for r in others))


@dataclass(frozen=True)
class NeedLine:
    """One line of « qui s'occupe de quoi »."""

    need: str
    status: str
    takers: tuple[Recipient, ...]  # took it and still have it
    waiting: tuple[Recipient, ...]  # hold it, have not taken it nor declined


def board(dossier: Dossier) -> list[NeedLine]:
    """Who does what, need by need, in the dossier's order."""
    taken = {r.id for r in taken_by(dossier)}
    lines = []
    for need in dossier.besoins:
        mine = holders(dossier, need)
        lines.append(
            NeedLine(
                need,
                need_status(dossier, need),
                tuple(r for r in mine if r.id in taken),
                tuple(
                    r
                    for r in mine
                    if r.id not in taken and status(dossier, r.id) in ("nouvelle", "injoignable")
                ),
            )
        )
    return lines
