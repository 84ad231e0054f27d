"""`aidess new`: a valid skeleton file an editor then completes."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from generator.content.readers import KIND_DIRS, Kind
from generator.content.slugs import slugify


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def skeleton(kind: Kind, title: str, today: date) -> str:
    if kind == "aide":
        return f"""---
titre: {_quoted(title)}
resume: "À compléter : ce que l'aide apporte, en une phrase."
pour_qui: "À compléter : la condition décisive, en une phrase."
porteurs:
  - "À compléter : organisme qui porte l'aide"
natures: [subvention]
besoins: [financer-projet]
secteurs: [tous]
structures: [association]
territoires: [FR]
# recurrence : ponctuelle (une seule session : ajoutez « cloture: AAAA-MM-JJ »),
# permanente (demande possible toute l'année) ou recurrente (une session chaque année :
# ajoutez « periode: "chaque année, de décembre à mars" » et ouverture/cloture si connues,
# sinon « derniere_session: {{ouverture: AAAA-MM-JJ, cloture: AAAA-MM-JJ}} »)
recurrence: permanente
source: "https://www.example.org/a-remplacer-par-la-page-officielle"
mise_a_jour: {today.isoformat()}
---
## Ce que l'aide finance

À compléter.

## Pour qui

À compléter.

## Comment la demander

À compléter.
"""
    return f"""---
nom: {_quoted(title)}
resume: "À compléter : ce que le réseau fait pour les structures, en une phrase."
famille: autre
territoires: [FR]
besoins: [administratif]
secteurs: [tous]
mise_a_jour: {today.isoformat()}
---
## Ce que fait le réseau

À compléter.

## Comment le contacter

À compléter.
"""


def create(content: Path, kind: Kind, title: str, today: date) -> Path:
    """Write the skeleton; refuse to overwrite an existing file."""
    slug = slugify(title)
    if not slug:
        raise ValueError(f"impossible de tirer un nom de fichier du titre « {title} »")
    path = content / KIND_DIRS[kind] / f"{slug}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8") as handle:
            handle.write(skeleton(kind, title, today))
    except FileExistsError:
        raise FileExistsError(f"{path} existe déjà : rien n'a été écrit") from None
    return path
