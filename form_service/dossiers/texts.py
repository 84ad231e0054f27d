"""French words for the dossiers, shared by their page and their mails: dates, phone
numbers, who did what."""

from __future__ import annotations

from datetime import datetime
from typing import Final

from form_service.dossiers.model import ISSUES, REQUESTER, SERVICE, Dossier, Event
from form_service.dossiers.workdays import PARIS
from generator.content.vocabularies import MONTHS

VIA: Final = {
    "routage": "destinataire de la demande",
    "transmission": "dossier transmis par un autre réseau",
    "reroutage": "nouveau destinataire, les premiers ayant décliné",
    "coordination": "coordination régionale",
}


def day(moment: datetime) -> str:
    local = moment.astimezone(PARIS)
    first = "1er" if local.day == 1 else str(local.day)
    return f"{first} {MONTHS[local.month - 1]} {local.year}"


def when(moment: datetime) -> str:
    """« 1er décembre 2026 à 10 h 05 », Paris time."""
    local = moment.astimezone(PARIS)
    return f"{day(local)} à {local.hour} h {local.minute:02d}"


def actor_name(dossier: Dossier, actor: str) -> str:
    if actor == REQUESTER:
        return "La structure"
    if actor == SERVICE:
        return "AidESS"
    recipient = dossier.recipient(actor)
    return recipient.nom if recipient else "Un ancien destinataire"


def describe(dossier: Dossier, event: Event, names: dict[str, str] | None = None) -> str:
    """What happened, in a sentence without the free text (shown apart, escaped)."""
    who = actor_name(dossier, event.actor)
    value = event.value or ""
    texts = {
        "prendre": f"{who} prend en charge la demande et rappelle la structure.",
        "decliner": f"{who} décline : ce n'est pas pour ce réseau.",
        "injoignable": f"{who} n'a pas réussi à joindre la structure.",
        "terminer": f"{who} a terminé l'accompagnement : {ISSUES.get(value, value).lower()}.",
        "noter": f"{who} a écrit une note.",
        "transmettre": f"{who} transmet le dossier à {(names or {}).get(value, value)}.",
        "plus-besoin": "La structure n'a plus besoin d'être rappelée.",
        "effacer": "La structure a effacé ses données.",
        "reroutage": "Tous les réseaux ont décliné : la demande est adressée à d'autres réseaux.",
        "relance": "Personne n'a encore pris la demande : les réseaux sont relancés.",
        "coordination": "Personne n'a pris la demande en 5 jours ouvrés : le coordinateur "
        "de la région la reçoit.",
        "sans-suite": "Personne n'a pris la demande en 15 jours ouvrés : elle est close sans "
        "suite.",
    }
    return texts.get(event.action, event.action)
