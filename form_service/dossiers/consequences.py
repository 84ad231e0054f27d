"""What recording an event sets off (docs/interfaces.md §7), as a pure function of the dossier
before it and the event: the mails, the needs to route again, erasure. effects.py and
actions.py carry it out in the event's transaction."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from form_service.dossiers.model import (
    REQUESTER,
    Dossier,
    Event,
    Mail,
    closed_by_requester,
)
from form_service.dossiers.needs import orphaned

INJOIGNABLE_MAIL_AFTER: Final = 2  # « injoignable » from one network before the requester hears


@dataclass(frozen=True)
class Effects:
    mails: tuple[Mail, ...] = ()
    # The needs a decline left with nobody: routed again, those only (effects.reroute).
    reroute: tuple[str, ...] = ()
    erase: bool = False  # the requester's personal data go now
    # « Non, personne ne m'a rappelé »: the coordinator gets the dossier again (effects.py).
    reopen: bool = False


def effects(before: Dossier, event: Event) -> Effects:
    """What recording `event` on `before` sets off."""
    after = before.with_event(event)
    others = [r.id for r in after.recipients if r.id != event.actor]
    action = event.action
    if action == "prendre":
        # Told once per network: taking it again after a decline (or a flip back and forth)
        # does not mail anyone again.
        again = any(e.actor == event.actor and e.action == "prendre" for e in before.events)
        if again:
            return Effects()
        mails = [Mail("pris-demandeur", REQUESTER)]
        mails += [Mail("pris-reseau", rid) for rid in others]
        return Effects(tuple(mails))
    if action == "noter":
        return Effects(tuple(Mail("note", rid) for rid in others))
    if action == "injoignable":
        count = sum(1 for e in after.events if e.actor == event.actor and e.action == action)
        if count == INJOIGNABLE_MAIL_AFTER:
            return Effects((Mail("injoignable-demandeur", REQUESTER),))
        return Effects()
    if action == "decliner":
        if closed_by_requester(after):
            return Effects()
        return Effects(reroute=orphaned(after, event.actor))
    if action == "plus-besoin":
        return Effects(tuple(Mail("plus-besoin", r.id) for r in after.recipients))
    if action == "effacer":
        return Effects(erase=True)
    if action == "repondre":
        # Every recipient sees the answer; « Non » re-opens the dossier to the coordinator.
        told = tuple(Mail("reponse", r.id) for r in after.recipients)
        return Effects(told, reopen=event.value == "non")
    return Effects()
