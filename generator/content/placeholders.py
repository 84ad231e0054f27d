"""The skeleton's placeholders (« À compléter », example.org addresses) left in a file: errors,
so a file made by `aidess new` cannot be published before it is filled."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

from generator.content.hints import fold
from generator.content.issues import Issue, Severity
from generator.content.readers import Document, KeyPath

PLACEHOLDER = "a completer"  # « À compléter », folded
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


def placeholder_issues(doc: Document) -> list[Issue]:
    issues = []
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
    for offset, line in enumerate(doc.body.splitlines()):
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
