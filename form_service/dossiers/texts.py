"""French words for the dossiers, shared by their page and their mails: dates, phone
numbers, who did what."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Final

from form_service.dossiers.model import (
    ANSWERS,
    ISSUES,
    REQUESTER,
    SERVICE,
    Dossier,
    Event,
    Recipient,
    outcome_parts,
)
from form_service.dossiers.needs import board
from form_service.dossiers.workdays import PARIS
from generator.content.vocabularies import BESOINS, MONTHS

VIA: Final = {
    "routage": "destinataire de la demande",
    "transmission": "dossier transmis par un autre réseau",
    "reroutage": "nouveau destinataire d'un besoin qu'un réseau a décliné",
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


def describe(
    dossier: Dossier,
    event: Event,
    names: dict[str, str] | None = None,
    aides: Mapping[str, str] | None = None,
) -> str:
    """What happened, in a sentence without the free text (shown apart, escaped)."""
    who = actor_name(dossier, event.actor)
    value = event.value or ""
    # The service's steps name the needs they acted on (older events: the whole request).
    needs = needs_list(value.split()) if value else "la demande"
    texts = {
        "prendre": f"{who} prend en charge la demande et rappelle la structure.",
        "decliner": f"{who} décline : ce n'est pas pour ce réseau.",
        "injoignable": f"{who} n'a pas réussi à joindre la structure.",
        "terminer": f"{who} a terminé l'accompagnement : {_outcome(value, aides)}.",
        "noter": f"{who} a écrit une note.",
        "transmettre": f"{who} transmet le dossier à {(names or {}).get(value, value)}.",
        "plus-besoin": "La structure n'a plus besoin d'être rappelée.",
        "effacer": "La structure a effacé ses données.",
        "reroutage": f"Un réseau a décliné {needs} et personne d'autre ne s'en occupe : la "
        "demande est adressée à d'autres réseaux.",
        "relance": f"Personne n'a encore pris en charge {needs} : les réseaux qui en sont "
        "chargés sont relancés.",
        "coordination": f"Personne n'a pris en charge {needs} en 5 jours ouvrés : le "
        "coordinateur de la région le reçoit.",
        "sans-suite": f"Personne n'a pris en charge {needs} en 15 jours ouvrés : sans suite.",
        "resultat": "La structure reçoit la question «\u00a0Avez-vous été rappelé ?\u00a0».",
        "repondre": "À «\u00a0Avez-vous été rappelé ?\u00a0», la structure répond : "
        f"«\u00a0{ANSWERS.get(value, value)}\u00a0».",
    }
    return texts.get(event.action, event.action)


def euros(amount: int) -> str:
    """« 15 000 € », with the narrow no-break spaces of French figures."""
    return f"{amount:,}".replace(",", "\u202f") + "\u00a0€"


def _outcome(value: str, aides: Mapping[str, str] | None) -> str:
    issue, aide, montant = outcome_parts(value)
    said = ISSUES.get(issue or "", issue or "").lower()
    if aide:
        said += f", {(aides or {}).get(aide, aide)}"
    if montant and montant.isdigit():
        said += f" ({euros(int(montant))})"
    return said


def _names(recipients: Sequence[Recipient]) -> str:
    names = [r.nom for r in recipients]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " et " + names[-1]


def need_label(need: str) -> str:
    return BESOINS.get(need, need)


def needs_list(needs: Sequence[str]) -> str:
    """« « Trésorerie… » et « Numérique » »: needs in a sentence."""
    quoted = [f"«\u00a0{need_label(b)}\u00a0»" for b in needs]
    if not quoted:
        return "la demande"
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " et " + quoted[-1]


def who_does_what(dossier: Dossier) -> list[tuple[str, str]]:
    """« Qui s'occupe de quoi », need by need: (the need's French label, who and how)."""
    out = []
    for line in board(dossier):
        if line.status == "prise-en-charge":
            said = f"pris en charge par {_names(line.takers)}"
        elif line.status == "terminee" and line.takers:
            said = f"accompagnement terminé ({_names(line.takers)})"
        elif line.status == "terminee":
            said = "clos : la structure n'a plus besoin d'être rappelée"
        elif line.status == "sans-suite":
            said = "sans suite : personne ne l'a pris en charge en 15 jours ouvrés"
        elif line.waiting:
            said = f"pas encore pris en charge ; reçu par {_names(line.waiting)}"
        else:
            said = "pas encore pris en charge ; le coordinateur de la région le reçoit"
        out.append((need_label(line.need), said))
    return out
