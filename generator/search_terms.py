"""What a search for an aid matches on besides its own text: the French labels of its
vocabulary values, its carriers' acronyms and the names of its territories, so that people
find aids with the words they type (« difficultés financières », « Somme », « ANS »)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from generator.content import territories
from generator.content.vocabularies import BESOINS, NATURES, SECTEURS, STRUCTURES, TOUS
from generator.enrich import AideEntry

# Acronyms of carriers whose content names them in full only. An acronym typed in capitals
# becomes a filter on these (theme/assets/aidess/moteur.js), so « ANS » finds the
# Agence nationale du Sport, not every aid « sur trois ans ».
CARRIER_ACRONYMS: dict[str, str] = {
    "agence nationale du sport": "ANS",
    "agence de services et de paiement": "ASP",
    "direction générale des finances publiques": "DGFIP",
}

# Two to eight capitals (digits after the first allowed), a whole word: FDVA, DLA, SCIC…
ACRONYM = re.compile(r"(?<![\w-])([A-Z][A-Z0-9]{1,7})(?![\w-])")
# Capitalised words of content that are not acronyms people search by.
NOT_ACRONYMS = frozenset({"FR", "DEP", "REG", "II", "III", "IV"})
TAG = re.compile(r"<[^>]+>")


def acronyms(entry: AideEntry, body_html: str = "") -> tuple[str, ...]:
    """Acronyms an aid is found by: those written in its title, summary, carriers and body,
    and those of its carriers (CARRIER_ACRONYMS), in a stable order."""
    aide = entry.data
    text = " ".join([aide.titre, aide.resume, *aide.porteurs, TAG.sub(" ", body_html)])
    found = {m for m in ACRONYM.findall(text) if m not in NOT_ACRONYMS and not m.isdigit()}
    for porteur in aide.porteurs:
        folded = porteur.casefold()
        found.update(sigle for name, sigle in CARRIER_ACRONYMS.items() if name in folded)
    return tuple(sorted(found))


def labels(entry: AideEntry) -> list[str]:
    """French labels of the aid's needs, kinds, structure types and sectors."""
    aide = entry.data
    secteurs = (
        ["tous les secteurs"] if TOUS in aide.secteurs else [SECTEURS[s] for s in entry.secteurs]
    )
    return [
        *(BESOINS[b] for b in aide.besoins),
        *(NATURES[n] for n in aide.natures),
        *(STRUCTURES[s] for s in aide.structures),
        *secteurs,
    ]


def territory_names(codes: Iterable[str]) -> list[str]:
    """Names a place is typed as: a department by name and number, a region by name and the
    names of its departments (a regional aid is found by « Somme »), France by itself."""
    ref = territories.reference()
    names: list[str] = []
    for key in codes:
        kind, _, code = key.partition("-")
        if key == territories.NATIONAL:
            names.append("France entière")
        elif kind == "REG" and code in ref.regions:
            names.append(ref.regions[code].nom)
            names += [d.nom for d in ref.departments_of_region(code)]
        elif kind == "DEP" and code in ref.departments:
            names.append(f"{ref.departments[code].nom} {code}")
    return list(dict.fromkeys(names))


def single_department(entry: AideEntry) -> str:
    """The department code when the aid covers exactly one (the callback form is then
    pre-filled with it), else an empty string."""
    return entry.departements[0] if len(entry.departements) == 1 else ""


def deadline_key(entry: AideEntry) -> str:
    """Sort key of « date limite la plus proche » : the deadline, ISO-dated; aids without one
    (permanent, or a recurring call whose dates are to be confirmed) come last."""
    cloture = entry.data.cloture
    if cloture is not None and entry.statut != "a-confirmer":
        return cloture.isoformat()
    return "9999-12-31"
