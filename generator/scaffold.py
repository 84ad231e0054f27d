"""`aidess new`: a skeleton file an editor then completes. Every text to write says
« À compléter » and every choice « À choisir », each explained by a comment: validate refuses
the file until each is replaced (generator/content/placeholders.py)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from generator.content.placeholders import CHOICE, CHOICES
from generator.content.readers import KIND_DIRS, Kind
from generator.content.slugs import slugify


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _comment(text: str, width: int = 96) -> str:
    """`text` as YAML comment lines of at most `width` characters."""
    lines, line = [], "#"
    for word in text.split():
        if len(line) + 1 + len(word) > width:
            lines.append(line)
            line = "#"
        line += " " + word
    return "\n".join([*lines, line])


def _choices(kind: Kind) -> str:
    """One commented « À choisir » per choice: lists in brackets, a single value bare."""
    single = {"recurrence", "famille"}
    return "\n".join(
        f"{_comment(f'{key} : {hint}.')}\n"
        + (f"{key}: {CHOICE}" if key in single else f"{key}: [{CHOICE}]")
        for key, hint in CHOICES[kind].items()
    )


def skeleton(kind: Kind, title: str, today: date) -> str:
    if kind == "aide":
        return f"""---
titre: {_quoted(title)}
resume: "À compléter : ce que l'aide apporte, en une phrase."
pour_qui: "À compléter : la condition décisive, en une phrase."
porteurs:
  - "À compléter : organisme qui porte l'aide"
# Remplacez chaque « {CHOICE} » par la ou les valeurs dites juste au-dessus (plusieurs
# valeurs entre crochets, séparées par des virgules : [culture, sport]).
{_choices(kind)}
# Aide récurrente : ajoutez aussi « periode: "chaque année, de décembre à mars" » et
# ouverture/cloture si elles sont connues, sinon
# « derniere_session: {{ouverture: AAAA-MM-JJ, cloture: AAAA-MM-JJ}} ».
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
# Remplacez chaque « {CHOICE} » par la ou les valeurs dites juste au-dessus (plusieurs
# valeurs entre crochets, séparées par des virgules : [culture, sport]).
{_choices(kind)}
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
