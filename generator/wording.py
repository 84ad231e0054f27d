"""How an aid's facts are said in French on its page, its card and the listings: amounts,
dates and sessions, the size condition, the counts."""

from __future__ import annotations

import re

from generator.content.model import Session
from generator.content.vocabularies import date_fr
from generator.enrich import AideEntry

# An editor's « 5 000 € » or « 80 % »: a line must not break inside the number or before its
# unit (on a phone, « € » alone at the start of a line).
_THOUSANDS = re.compile(r"(?<=\d) (?=\d{3}(?!\d))")
_UNIT = re.compile(r"(?<=\d) (?=[€%])")


def insecables(text: str) -> str:
    """Free text as written in the content, with its numbers and units held together."""
    return _UNIT.sub("\u00a0", _THOUSANDS.sub("\u202f", text))


def euros(amount: int) -> str:
    return f"{amount:,}".replace(",", "\u202f") + "\u00a0€"


def _plural(n: int, word: str) -> str:
    return word if n <= 1 else " ".join(w + "s" for w in word.split(" "))


def compte_aides(ouvertes: int, a_confirmer: int, qualifier: str = "") -> str:
    """« 103 aides ouvertes ou à venir, 157 aux dates à confirmer »: the aids whose dates are to
    be confirmed are counted apart, never as open (docs/interfaces.md §1). `qualifier` follows
    « aide » (« nationale »)."""
    noun = _plural(ouvertes, f"aide {qualifier}".strip() + " ouverte")
    text = f"{ouvertes} {noun} ou à venir"
    if a_confirmer:
        text += f", {a_confirmer} aux dates à confirmer"
    return text


def echeance(entry: AideEntry) -> str:
    """The dates behind the status badge, in a sentence. Only a `permanente` aid is ever
    called permanent (docs/interfaces.md §1)."""
    aide = entry.data
    if entry.statut == "a-confirmer":
        known = derniere_session(entry)
        suite = f". Dernière session connue : {known}" if known else ""
        return f"Session récurrente, dates à confirmer — {aide.periode}{suite}"
    if entry.statut == "cloturee" and aide.cloture:
        return f"clôturée le {date_fr(aide.cloture)}"
    if entry.statut == "a-venir" and aide.ouverture:
        suite = f", jusqu'au {date_fr(aide.cloture)}" if aide.cloture else ""
        return f"ouverture le {date_fr(aide.ouverture)}{suite}"
    if aide.cloture:
        return f"dépôt jusqu'au {date_fr(aide.cloture)}"
    if aide.recurrence == "permanente":
        return "aide permanente, sans date limite"
    if aide.ouverture:
        return f"session ouverte depuis le {date_fr(aide.ouverture)}"
    return "session ouverte"


def derniere_session(entry: AideEntry) -> str:
    """« du 1er décembre 2025 au 15 mars 2026 » or « clôture le 15 mars 2026 »: the last known
    session of a recurring aid whose current one is not known (its `derniere_session`, or its
    own dates once they have passed); empty when none is dated."""
    aide = entry.data
    sessions = [(aide.cloture, aide.ouverture)] if aide.cloture is not None else []
    if isinstance(aide.derniere_session, Session):
        sessions.append((aide.derniere_session.cloture, aide.derniere_session.ouverture))
    if not sessions:
        return ""
    cloture, ouverture = max(sessions, key=lambda s: s[0])
    if ouverture is not None:
        return f"du {date_fr(ouverture)} au {date_fr(cloture)}"
    return f"clôture le {date_fr(cloture)}"


def calendrier(entry: AideEntry) -> str:
    """How the aid recurs, for the facts list of its page."""
    aide = entry.data
    if aide.recurrence == "recurrente":
        return f"Session récurrente : {aide.periode}"
    if aide.recurrence == "ponctuelle":
        return "Aide ponctuelle : une seule session, avec une date limite"
    if aide.cloture:
        return (
            f"Aide permanente jusqu'au {date_fr(aide.cloture)} : demande possible à tout moment "
            "avant cette date, dans la limite des crédits"
        )
    return "Aide permanente : demande possible toute l'année, dans la limite des crédits"


def montant(entry: AideEntry) -> str:
    m = entry.data.montant
    if m is None:
        return ""
    if m.min is not None and m.max is not None:
        amount = f"de {euros(m.min)} à {euros(m.max)}" if m.min != m.max else euros(m.max)
    elif m.max is not None:
        amount = f"jusqu'à {euros(m.max)}"
    elif m.min is not None:
        amount = f"à partir de {euros(m.min)}"
    else:
        amount = ""
    return " — ".join(part for part in (amount, m.texte or "") if part)


def montant_court(entry: AideEntry, limit: int = 90) -> str:
    """The amount of a result card: the figures when known, else the start of the text."""
    m = entry.data.montant
    if m is None:
        return ""
    full = montant(entry)
    if m.min is None and m.max is None:
        return full if len(full) <= limit else full[: limit - 1].rstrip() + "…"
    return full.split(" — ", 1)[0]


def all_or(values: tuple[str, ...], labels: dict[str, str], everything: str) -> str:
    if len(values) == len(labels):
        return everything
    return ", ".join(labels[v] for v in values)


def taille(entry: AideEntry) -> str:
    """The size condition, both ends of it (an employers-only aid never says « toutes
    tailles »)."""
    low, high = entry.data.effectif_min or 0, entry.data.effectif_max

    def staff(n: int) -> str:
        return f"{n} salarié{'s' if n > 1 else ''}"

    if high == 0:
        return "structures sans salarié (bénévoles seulement)"
    if low and high is not None:
        return f"employeuses, de {staff(low)} à {staff(high)} (ETP)"
    if low:
        return f"employeuses, au moins {staff(low)} (ETP)"
    if high is None:
        return "toutes tailles"
    return f"jusqu'à {staff(high)} (ETP)"
