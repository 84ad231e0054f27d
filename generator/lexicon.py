"""The words the home search understands, handed to the page at build time
(theme/assets/aidess/mots.js reads them): the editors' synonyms (content/synonymes.yml,
generator/content/synonyms.py), the places of the territory reference (« Nord », « 59 »,
« Hauts-de-France ») and the stop words. Each expression is folded as the script folds what
the visitor types (generator/content/ranking.py `words_of`)."""

from __future__ import annotations

from typing import Any

from generator.content.ranking import words_of
from generator.content.synonyms import Synonyms
from generator.content.territories import reference

# synonymes.yml group → the search facet (URL name) it sets.
FACETS = {
    "besoins": "besoin",
    "structures": "structure",
    "secteurs": "secteur",
    "natures": "nature",
    "effectifs": "effectif",
}


def _add(
    found: dict[tuple[str, ...], dict[str, list[str]]], text: str, facet: str, value: str
) -> None:
    words = tuple(words_of(text))
    if not words:
        return
    targets = found.setdefault(words, {})
    values = targets.setdefault(facet, [])
    if value not in values:
        values.append(value)


def lexicon(synonyms: Synonyms) -> dict[str, Any]:
    """`{"vides": [...], "expressions": [[words, {facet: [values]}], ...]}`, the longest
    expressions first (the script tries them in this order)."""
    found: dict[tuple[str, ...], dict[str, list[str]]] = {}
    for group, entries in synonyms.groups.items():
        for slug, expressions in entries.items():
            for text in expressions:
                _add(found, text, FACETS[group], slug)
    ref = reference()
    for code, department in ref.departments.items():
        _add(found, department.nom, "departement", code)
        _add(found, code, "departement", code)
    for code, region in ref.regions.items():
        _add(found, region.nom, "region", code)
    stop = sorted({w for text in synonyms.stop_words for w in words_of(text)})
    ordered = sorted(found.items(), key=lambda item: (-len(item[0]), item[0]))
    return {"vides": stop, "expressions": [[list(words), targets] for words, targets in ordered]}
