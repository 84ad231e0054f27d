"""Why an aid is listed apart, said in French (the twin of theme/assets/aidess/cartes.js
`apart`): the reason code `ranking.standing` gives, and the values it names."""

from __future__ import annotations

from collections.abc import Iterable

from generator.content.vocabularies import AGREMENTS, SECTEURS, STRUCTURES

# « agrément(s) requis : … » as the aid page's « Agréments requis » says it: the labels are of
# both genders (« reconnaissance d'utilité publique »), the category noun is not.
REASONS = {
    "structure": "réservée aux structures : {}",
    "employeur": "réservée aux structures employeuses",
    "effectif": "pas pour votre nombre de salariés",
    "agrement": "agrément requis : {}",
    "agrements": "agréments requis : {}",
    "secteur": "réservée au secteur : {}",
    "territoire": "pas sur votre territoire",
    "partie": "une partie du territoire seulement",
}
# Each code names values of its own vocabulary (« sport » is an agreement and a sector).
LABELS = {"agrement": AGREMENTS, "secteur": SECTEURS, "structure": STRUCTURES}


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def reason(code: str, values: Iterable[str]) -> str:
    """Why an aid is listed apart (« réservée aux structures : coopérative (SCOP, SCIC, CAE…) »);
    a label is lower-cased at its first letter only, keeping its acronyms."""
    if not code:
        return ""
    labels = LABELS.get(code, {})
    named = [_lower_first(labels.get(v, v)) for v in values]
    wording = REASONS["agrements" if code == "agrement" and len(named) > 1 else code]
    return wording.format(", ".join(named))
