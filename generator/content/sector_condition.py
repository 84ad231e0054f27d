"""When an aid's sector is a condition, not a topic (docs/interfaces.md §5 « Order »).

An aid's `secteurs` say what it is about: a prevention call tagged `social-sante` may go to a
sports club that runs a workshop for older people. Only when the record's decisive sentence,
`pour_qui`, names its beneficiaries by that sector (« Associations sportives affiliées… »,
« Clubs de la Somme… », « Associations de solidarité internationale… ») is the sector a
condition: a structure of another sector sees the aid under « Probablement pas pour vous ».

The reading is deliberately narrow, so that it never puts an aid a structure can get apart:
`pour_qui` must *begin* with one of the phrases below, the phrase must not open a list of
kinds (« Associations culturelles, d'éducation populaire ou autres structures »), and no other
kind of beneficiary may follow (« … ou structures menant un projet avec les habitants »,
« … et autres organismes »). Anything else is read as a topic.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from generator.content.ranking import fold

# (sector, the phrase that begins `pour_qui`), on text folded as ranking.fold does.
PHRASES: tuple[tuple[str, str], ...] = (
    ("sport", r"(?:clubs?|associations?|comites?)(?: et associations?)? sporti(?:f|ve)s?\b"),
    ("sport", r"clubs?\b"),
    (
        "culture",
        r"(?:associations?|structures?|lieux|acteurs?) (?:artistiques et )?culturel(?:le)?s?\b",
    ),
    ("culture", r"employeurs du spectacle\b"),
    ("culture", r"organisateurs de festivals\b"),
    ("solidarite-internationale", r"associations?(?: loi 1901)? de solidarite internationale\b"),
    ("insertion", r"structures? d'insertion par l'activite economique\b"),
)
_BEGINS = [(sector, re.compile(r"(?:les )?" + phrase)) for sector, phrase in PHRASES]
# What opens a list right after the phrase: « Associations culturelles, d'… », « … ou … »
# (not « Employeurs du spectacle, dont les associations »).
_LIST = re.compile(r"\s*(?:,(?!\s*dont\b)|\bou\b|\bet\b)")
# Another kind of beneficiary named after it: « … ou structures menant… », « et autres organismes ».
_OTHER = re.compile(
    r"\b(?:ou|et)\s+(?:d'|les |des |autres |les autres )?"
    r"(?:autres|structures?|organismes?|associations?|acteurs?|collectivites?|artistes)\b"
)


def required_sectors(secteurs: Sequence[str], pour_qui: str) -> list[str]:
    """The sectors an aid's `pour_qui` makes a condition (a subset of its `secteurs`, empty
    for a topic or for `tous`)."""
    text = fold(pour_qui).replace("’", "'").strip()
    for sector, phrase in _BEGINS:
        found = phrase.match(text)
        if not found or sector not in secteurs:
            continue
        rest = text[found.end() :]
        if _LIST.match(rest) or _OTHER.search(rest):
            return []
        return [sector]
    return []
