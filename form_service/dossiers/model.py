"""The dossier of a callback request (docs/interfaces.md §7): recipients, events, and the rules.

Pure functions: a recipient's status and the dossier's state are folds over its events, which
are appended and never edited; which actions are allowed, and what an action sets off (mails,
re-routing), follow from the dossier and the event alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Final

STATUSES: Final = {
    "nouvelle": "Nouvelle",
    "prise-en-charge": "Prise en charge",
    "pas-pour-nous": "Pas pour nous",
    "injoignable": "Structure injoignable",
    "terminee": "Accompagnement terminé",
}
STATES: Final = {
    "en-attente": "En attente d'un réseau",
    "prise-en-charge": "Prise en charge",
    "terminee": "Terminé",
    "sans-suite": "Sans suite",
}
ISSUES: Final = {
    "aide-obtenue": "Aide obtenue",
    "orientee": "Orientée vers un autre interlocuteur",
    "accompagnee": "Accompagnée",
    "sans-suite": "Sans suite",
}
# What a recipient may do, and the status each action sets (None: status unchanged).
NETWORK_ACTIONS: Final[dict[str, str | None]] = {
    "prendre": "prise-en-charge",
    "decliner": "pas-pour-nous",
    "injoignable": "injoignable",
    "terminer": "terminee",
    "noter": None,
    "transmettre": None,
}
REQUESTER_ACTIONS: Final = ("repondre", "plus-besoin", "effacer")
# The requester's answers to « Avez-vous été rappelé ? » (outcome.py).
ANSWERS: Final = {
    "oui-utile": "Oui, et c'était utile",
    "oui-inutile": "Oui, mais cela ne m'a pas aidé",
    "non": "Non, personne ne m'a rappelé",
}
# Recorded by the service itself: re-routing, the reminders of reminders.py, the outcome
# question of outcome.py.
SERVICE_ACTIONS: Final = ("reroutage", "relance", "coordination", "sans-suite", "resultat")
MAX_MONTANT: Final = 100_000_000  # euros: an aid obtained beyond this is a typing error
REQUESTER: Final = "demandeur"
SERVICE: Final = "service"
MAX_NOTE: Final = 3000
MAX_MOTIF: Final = 500


@dataclass(frozen=True)
class Recipient:
    """One network (or the coordinator, or the fallback address) on the dossier."""

    id: str  # short, stable within the dossier: "r1", "r2"…
    role: str  # "reseau", "coordination" or "secours"
    slug: str | None  # the network's slug (None for the fallback address)
    nom: str
    email: str
    added: datetime
    via: str  # "routage", "transmission", "reroutage" or "coordination"
    # The needs it was chosen for or given (needs.py); None: every need of the dossier (the
    # fallback address, and dossiers stored before recipients held needs).
    besoins: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Event:
    """Who did what, when: `actor` is a recipient id, REQUESTER or SERVICE."""

    at: datetime
    actor: str
    action: str
    text: str | None = None  # the motif of `decliner`, the note of `noter`
    value: str | None = None  # the issue of `terminer`, the slug of `transmettre`
    id: int = 0  # its order in storage


@dataclass(frozen=True)
class Dossier:
    id: str
    reference: str  # the short reference shown to people (AID-2026-00042)
    created: datetime
    departement: str
    besoins: tuple[str, ...]
    recipients: tuple[Recipient, ...]
    events: tuple[Event, ...] = ()
    follows: str | None = None  # the earlier dossier of the same structure, if any

    def recipient(self, recipient_id: str) -> Recipient | None:
        return next((r for r in self.recipients if r.id == recipient_id), None)

    def with_event(self, event: Event) -> Dossier:
        return replace(self, events=(*self.events, event))

    def with_recipient(self, recipient: Recipient) -> Dossier:
        return replace(self, recipients=(*self.recipients, recipient))


def status(dossier: Dossier, recipient_id: str) -> str:
    """A recipient's status: the last status-setting action it took, else « nouvelle »."""
    current = "nouvelle"
    for event in dossier.events:
        if event.actor == recipient_id:
            current = NETWORK_ACTIONS.get(event.action) or current
    return current


def statuses(dossier: Dossier) -> dict[str, str]:
    return {r.id: status(dossier, r.id) for r in dossier.recipients}


def closed_by_requester(dossier: Dossier) -> bool:
    return any(e.actor == REQUESTER and e.action == "plus-besoin" for e in dossier.events)


def reopened(dossier: Dossier) -> bool:
    """The requester answered « Non, personne ne m'a rappelé », and nobody took it since."""
    said = [
        n
        for n, e in enumerate(dossier.events)
        if e.actor == REQUESTER and e.action == "repondre" and e.value == "non"
    ]
    if not said:
        return False
    return not any(e.action == "prendre" for e in dossier.events[said[0] + 1 :])


def answered(dossier: Dossier) -> bool:
    return any(e.actor == REQUESTER and e.action == "repondre" for e in dossier.events)


def taken_by(dossier: Dossier) -> list[Recipient]:
    """Recipients that took the dossier and still have it (taken, unreachable or finished)."""
    out = []
    for r in dossier.recipients:
        took = any(e.actor == r.id and e.action == "prendre" for e in dossier.events)
        if took and status(dossier, r.id) != "pas-pour-nous":
            out.append(r)
    return out


def state(dossier: Dossier) -> str:
    """en-attente, prise-en-charge, terminee or sans-suite (docs/interfaces.md §7)."""
    if closed_by_requester(dossier):
        return "terminee"
    if reopened(dossier):
        return "en-attente"
    current = statuses(dossier).values()
    done = all(s in ("terminee", "pas-pour-nous") for s in current)
    if current and done and "terminee" in current:
        return "terminee"
    if taken_by(dossier):
        return "prise-en-charge"
    if any(e.actor == SERVICE and e.action == "sans-suite" for e in dossier.events):
        return "sans-suite"
    return "en-attente"


def allowed(dossier: Dossier, actor: str) -> tuple[str, ...]:
    """The actions `actor` may take now, in the order the page offers them."""
    if actor == REQUESTER:
        if closed_by_requester(dossier):
            return ("effacer",)
        can_answer = first_taken(dossier) is not None and not answered(dossier)
        return tuple(a for a in REQUESTER_ACTIONS if a != "repondre" or can_answer)
    if dossier.recipient(actor) is None:
        return ()
    if closed_by_requester(dossier):
        return ("noter",)
    by_status = {
        "nouvelle": ("prendre", "decliner", "injoignable", "noter", "transmettre"),
        "prise-en-charge": ("injoignable", "terminer", "decliner", "noter", "transmettre"),
        "injoignable": ("prendre", "injoignable", "terminer", "decliner", "noter", "transmettre"),
        "pas-pour-nous": ("prendre", "noter"),
        "terminee": ("noter", "transmettre"),
    }
    return by_status[status(dossier, actor)]


class Refused(ValueError):
    """An action that cannot be recorded, with the French reason shown to the person."""


def check(
    dossier: Dossier, actor: str, action: str, text: str | None, value: str | None
) -> tuple[str | None, str | None]:
    """The cleaned text and value of an action, or Refused with the French reason."""
    if action not in allowed(dossier, actor):
        raise Refused(
            "Cette action n'est pas possible pour vous sur ce dossier, ou plus maintenant."
        )
    text = (text or "").strip() or None
    value = (value or "").strip() or None
    if action == "decliner":
        if text is None:
            raise Refused("Indiquez le motif : pourquoi ce dossier n'est pas pour vous.")
        if len(text) > MAX_MOTIF:
            raise Refused(f"Le motif est trop long : {MAX_MOTIF} caractères au plus.")
        return text, None
    if action == "noter":
        if text is None:
            raise Refused("La note est vide.")
        if len(text) > MAX_NOTE:
            raise Refused(f"La note est trop longue : {MAX_NOTE} caractères au plus.")
        return text, None
    if action == "terminer":
        issue, aide, montant = outcome_parts(value)
        if issue not in ISSUES:
            raise Refused("Choisissez l'issue de l'accompagnement.")
        if (aide or montant) and issue != "aide-obtenue":
            raise Refused("L'aide et le montant ne se précisent que pour « Aide obtenue ».")
        if montant is not None and not (montant.isdigit() and 0 < int(montant) <= MAX_MONTANT):
            raise Refused("Indiquez le montant obtenu en euros, en chiffres (ex. 15000).")
        return None, value
    if action == "repondre":
        if value not in ANSWERS:
            raise Refused("Choisissez une des trois réponses.")
        return None, value
    if action == "transmettre":
        if value is None:
            raise Refused("Choisissez le réseau à qui transmettre le dossier.")
        if any(r.slug == value for r in dossier.recipients):
            raise Refused("Ce réseau est déjà destinataire du dossier.")
        return None, value
    return None, None


def outcome_parts(value: str | None) -> tuple[str | None, str | None, str | None]:
    """The issue of `terminer`, and for « aide-obtenue » the aid's slug and the amount in
    euros: stored in the event's value as « issue aide montant », « - » for one not given."""
    if not value:
        return None, None, None
    parts = [*value.split(), "-", "-"][:3]
    issue, aide, montant = (None if p == "-" else p for p in parts)
    return issue, aide, montant


def outcome_value(issue: str, aide: str | None, montant: str | None) -> str:
    """The value `terminer` stores: the issue alone, or with the aid and the amount."""
    aide = (aide or "").strip() or None
    montant = (montant or "").replace(" ", "").replace("\u202f", "").strip() or None
    if aide is None and montant is None:
        return issue.strip()
    return f"{issue.strip()} {aide or '-'} {montant or '-'}"


@dataclass(frozen=True)
class Mail:
    """A mail an event sets off: its kind (dossier_mails.py) and who gets it."""

    kind: str
    to: str  # a recipient id, or REQUESTER


def requester_view(dossier: Dossier) -> list[Event]:
    """The timeline the requester sees: never the notes, nor the motifs of a decline."""
    shown = (
        "prendre", "terminer", "plus-besoin", "transmettre", "coordination", "sans-suite",
        "repondre",
    )  # fmt: skip
    return [e for e in dossier.events if e.action in shown]


def first_taken(dossier: Dossier) -> datetime | None:
    return next((e.at for e in dossier.events if e.action == "prendre"), None)


def excluded_networks(dossier: Dossier) -> set[str]:
    """Networks that routing again must skip: every network already on the dossier."""
    return {r.slug for r in dossier.recipients if r.slug}


def next_recipient_id(recipients: Sequence[Recipient]) -> str:
    return f"r{len(recipients) + 1}"
