"""Open data files under /donnees/: the aids in the Etalab `dispositif-aide` table schema
(CSV), the aids and networks as JSON, and the JSON Schemas of both content kinds."""

from __future__ import annotations

import csv
import json
import re
import uuid
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

from generator.content import territories, urls
from generator.content.model import Aide, json_schema
from generator.content.vocabularies import AGREMENTS, ETAPES, SECTEURS, STRUCTURES
from generator.enrich import AideEntry, ReseauEntry, Site

# Columns of etalab/schema-dispositif-aide v0.2.0 (build/schemas/dispositif-aide.json).
CSV_COLUMNS: tuple[str, ...] = (
    "id",
    "titre",
    "promesse",
    "description",
    "eligibilite",
    "types_aides",
    "porteurs",
    "programmes_parents",
    "url_source",
    "cibles",
    "eligibilite_geographique",
    "eligibilite_geographique_exclusions",
    "date_ouverture",
    "date_cloture",
    "date_mise_a_jour",
)
DESCRIPTION_MAX = 5000
# A stable namespace, so an aid keeps its UUID from one build to the next.
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://aidess/aides/")
# Etalab's four target groups; ours map onto two of them.
CIBLES = {
    "association": "associations",
    "fondation": "associations",
    "cooperative": "professionnels",
    "mutuelle": "professionnels",
    "entreprise-sociale": "professionnels",
}


# The schema's pattern (`^[A-Z]+-\d+…`) refuses Corsica's lettered department codes: they are
# written as their region, Corse (REG-94), and named exactly in `eligibilite`.
CORSICA = {"DEP-2A": "REG-94", "DEP-2B": "REG-94"}


def cog(code: str) -> str:
    """Our territory key in the schema's COG notation (France: PAYS-99100; Corsica's
    departments: their region REG-94)."""
    if code == territories.NATIONAL:
        return "PAYS-99100"
    return CORSICA.get(code, code)


def _corsica_note(aide: Aide) -> list[str]:
    """The exact Corsican areas the digit-only codes could not say."""
    ref = territories.reference()
    lines = []
    inside = [ref.name(t) for t in aide.territoires if t in CORSICA]
    if inside:
        lines.append("Territoire exact en Corse : " + ", ".join(inside))
    excluded = [ref.name(t) for t in aide.exclusions if t in CORSICA]
    if excluded:
        lines.append("Sauf : " + ", ".join(excluded))
    return lines


def _join(values: Iterable[str]) -> str:
    return "|".join(dict.fromkeys(values))


def _datetime(day: date | None) -> str:
    return f"{day.isoformat()}T00:00:00Z" if day else ""


def _plain(markdown: str) -> str:
    """Body text without the most visible Markdown marks, within the schema's size limit."""
    text = re.sub(r"^#+\s*", "", markdown, flags=re.MULTILINE)
    text = re.sub(r"\[([^\]]+)\]\([^)]+\)", r"\1", text)
    text = re.sub(r"[*_`]", "", text).strip()
    return text if len(text) <= DESCRIPTION_MAX else text[: DESCRIPTION_MAX - 1] + "…"


def eligibilite(entry: AideEntry) -> str:
    aide = entry.data
    lines = [
        "Structures : " + ", ".join(STRUCTURES[s] for s in aide.structures),
        "Secteurs : "
        + (
            "tous"
            if len(entry.secteurs) == len(SECTEURS)
            else ", ".join(SECTEURS[s] for s in entry.secteurs)
        ),
        "Étapes : "
        + (
            "toutes"
            if len(entry.etapes) == len(ETAPES)
            else ", ".join(ETAPES[e] for e in entry.etapes)
        ),
    ]
    if aide.agrements:
        lines.append("Agréments requis : " + ", ".join(AGREMENTS[a] for a in aide.agrements))
    if aide.effectif_min is not None:
        lines.append(f"Effectif minimum : {aide.effectif_min} ETP")
    if aide.effectif_max is not None:
        lines.append(f"Effectif maximum : {aide.effectif_max} ETP")
    lines += _corsica_note(aide)
    return "\n".join(f"• {line}" for line in lines)


def csv_row(entry: AideEntry) -> dict[str, str]:
    aide = entry.data
    return {
        "id": str(uuid.uuid5(NAMESPACE, entry.slug)),
        "titre": aide.titre,
        "promesse": aide.resume,
        "description": _plain(entry.record.body) or aide.resume,
        "eligibilite": eligibilite(entry),
        "types_aides": _join(aide.natures),
        "porteurs": json.dumps([{"nom": p} for p in aide.porteurs], ensure_ascii=False),
        "programmes_parents": "",
        "url_source": aide.source,
        "cibles": _join(CIBLES[s] for s in aide.structures),
        "eligibilite_geographique": _join(cog(t) for t in aide.territoires),
        # An excluded Corsican department cannot be written (REG-94 would exclude both):
        # it is said in `eligibilite`.
        "eligibilite_geographique_exclusions": _join(
            cog(t) for t in aide.exclusions if t not in CORSICA
        ),
        "date_ouverture": _datetime(aide.ouverture),
        "date_cloture": _datetime(aide.cloture),
        "date_mise_a_jour": _datetime(aide.mise_a_jour),
    }


def aide_json(entry: AideEntry) -> dict[str, Any]:
    return {
        "slug": entry.slug,
        "url": urls.aide(entry.slug),
        **entry.data.model_dump(mode="json", exclude_none=True),
        "description": entry.record.body,
        "statut": entry.statut,
        "departements_couverts": list(entry.departements),
        "regions_couvertes": list(entry.regions),
    }


def reseau_json(entry: ReseauEntry) -> dict[str, Any]:
    # The address that receives callback requests stays private (spam, misuse).
    data = entry.data.model_dump(mode="json", exclude_none=True, exclude={"demandes"})
    return {
        "slug": entry.slug,
        "url": urls.reseau(entry.slug),
        **data,
        "description": entry.record.body,
        "recoit_demandes": entry.data.demandes is not None,
        "departements_couverts": list(entry.departements),
        "aides": list(entry.aides),
    }


def _dump(path: Path, data: Any) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def _dump_list(path: Path, items: Iterable[Any]) -> None:
    """A JSON list written one item per line: the whole list and its text never sit in memory
    at once (~160 MB at 10,000 aids), and each item goes through the C encoder (an indented
    dump is pure Python: 1.8 s at 10,000 aids, against 0.3 s)."""
    with path.open("w", encoding="utf-8") as handle:
        handle.write("[")
        separator = "\n"
        for item in items:
            handle.write(separator + json.dumps(item, ensure_ascii=False))
            separator = ",\n"
        handle.write("\n]\n" if separator != "\n" else "]\n")


def write_exports(site: Site, out: Path) -> None:
    """Write the open-data files into `out` (the /donnees/ folder of the built site)."""
    out.mkdir(parents=True, exist_ok=True)
    with (out / "aides.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=CSV_COLUMNS)
        writer.writeheader()
        writer.writerows(csv_row(entry) for entry in site.aides.values())
    _dump_list(out / "aides.json", (aide_json(e) for e in site.aides.values()))
    _dump_list(out / "reseaux.json", (reseau_json(e) for e in site.reseaux.values()))
    for kind in ("aide", "reseau"):
        _dump(out / f"schema-{kind}.json", json_schema(kind))
