"""The skeleton's placeholders (« À compléter », « À choisir », example.org addresses) left in a
file: errors, so a file made by `aidess new` cannot be published before it is filled and each
of its choices made."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

from generator.content.front_matter import KeyPath
from generator.content.hints import fold
from generator.content.issues import Issue, Severity
from generator.content.readers import Document, Kind
from generator.content.vocabularies import (
    BESOINS,
    FAMILLES,
    NATURES,
    SECTEURS,
    STRUCTURES,
    TOUS,
)

PLACEHOLDER = "a completer"  # « À compléter », folded
CHOICE = "À choisir"  # the value of each choice the skeleton leaves open

_TERRITORIES = (
    "FR (toute la France), REG-<code> (une région, ex. REG-32), DEP-<code> (un département, "
    "ex. DEP-59), EPCI-<SIREN> (une intercommunalité) ou COM-<code Insee> (une commune)"
)


def _slugs(labels: dict[str, str], *extra: str) -> str:
    return ", ".join([*labels, *extra])


# What each choice of the skeleton means, for its comment and for validate's message.
CHOICES: dict[Kind, dict[str, str]] = {
    "aide": {
        "natures": f"une ou plusieurs natures parmi : {_slugs(NATURES)}",
        "besoins": f"un ou plusieurs besoins parmi : {_slugs(BESOINS)}",
        "secteurs": f"un ou plusieurs secteurs parmi : {_slugs(SECTEURS)} ; ou {TOUS} "
        "si l'aide ne dépend pas du secteur",
        "structures": f"une ou plusieurs formes de structure parmi : {_slugs(STRUCTURES)}",
        "territoires": f"le ou les territoires où l'aide s'applique : {_TERRITORIES}",
        "recurrence": "ponctuelle (une seule session : ajoutez « cloture: AAAA-MM-JJ »), "
        "permanente (demande possible toute l'année) ou recurrente (une session chaque année "
        "ou presque : ajoutez « periode »)",
    },
    "reseau": {
        "famille": f"une famille parmi : {_slugs(FAMILLES)}",
        "territoires": f"le ou les territoires couverts : {_TERRITORIES}",
        "besoins": f"un ou plusieurs besoins accompagnés parmi : {_slugs(BESOINS)}",
        "secteurs": f"un ou plusieurs secteurs parmi : {_slugs(SECTEURS)} ; ou {TOUS}",
    },
}
EXAMPLE_DOMAINS = ("example.org", "example.com", "example.net")
URL_FIELDS = ("source", "site", "demarche")


def _strings(value: object, loc: KeyPath = ()) -> Iterator[tuple[KeyPath, str]]:
    if isinstance(value, str):
        yield loc, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, (*loc, str(key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, (*loc, index))


def _field(loc: KeyPath) -> str:
    return ".".join(str(p) if isinstance(p, str) else f"[{p}]" for p in loc).replace(".[", "[")


def _host(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


def is_example_url(url: str) -> bool:
    """example.org & co: the addresses of documentation and of the skeleton."""
    host = _host(url)
    return any(host == d or host.endswith("." + d) for d in EXAMPLE_DOMAINS)


def open_choices(doc: Document) -> list[str]:
    """The fields whose value is still the skeleton's « À choisir » (alone or in a list)."""
    found = []
    for key in CHOICES[doc.kind]:
        value = doc.data.get(key)
        values = value if isinstance(value, list) else [value]
        if any(isinstance(v, str) and fold(v) == fold(CHOICE) for v in values):
            found.append(key)
    return found


def _choice_issues(doc: Document) -> list[Issue]:
    return [
        Issue(
            doc.path,
            doc.line_of((key,)),
            key,
            f"choix à faire : remplacez « {CHOICE} » par {CHOICES[doc.kind][key]}",
            kind="a-choisir",
        )
        for key in open_choices(doc)
    ]


def placeholder_issues(doc: Document) -> list[Issue]:
    issues = _choice_issues(doc)
    for loc, text in _strings(doc.data):
        if PLACEHOLDER in fold(text):
            issues.append(
                Issue(
                    doc.path,
                    doc.line_of(loc),
                    _field(loc),
                    "texte provisoire « À compléter » : remplacez-le par l'information lue sur "
                    "la page officielle (ou retirez ce champ s'il est facultatif)",
                    kind="a-completer",
                )
            )
        elif len(loc) == 1 and loc[0] in URL_FIELDS and _host(text).endswith(".example"):
            issues.append(
                Issue(
                    doc.path,
                    doc.line_of(loc),
                    _field(loc),
                    f"adresse provisoire « {text} » (domaine réservé .example) : à remplacer "
                    "par l'adresse réelle avant la mise en ligne",
                    Severity.WARNING,
                    kind="adresse-provisoire",
                )
            )
        elif len(loc) == 1 and loc[0] in URL_FIELDS and is_example_url(text):
            issues.append(
                Issue(
                    doc.path,
                    doc.line_of(loc),
                    _field(loc),
                    f"adresse d'exemple « {text} » : indiquez l'adresse https:// de la page "
                    "officielle",
                    kind="adresse-exemple",
                )
            )
    # One fold of the whole body, line by line only when it holds the placeholder: a line's
    # fold is a part of the body's, and a large directory has a million lines.
    lines = doc.body.splitlines() if PLACEHOLDER in fold(doc.body) else []
    for offset, line in enumerate(lines):
        if PLACEHOLDER in fold(line):
            issues.append(
                Issue(
                    doc.path,
                    doc.body_line + offset,
                    "corps",
                    "texte provisoire « À compléter » dans la description : écrivez ce que "
                    "disent les pages officielles, ou retirez la section",
                    kind="a-completer",
                )
            )
    return issues
