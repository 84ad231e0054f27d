"""The words people type, mapped to the vocabulary (content/synonymes.yml, kept by editors,
described in CONTRIBUTING.md): « difficultés financières » is the need `tresorerie`, « asso »
the structure `association`. Read and checked here (`aidess validate`: French errors with the
file, line and entry); generator/lexicon.py hands them to the home search."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from generator.content.issues import Issue
from generator.content.vocabularies import BESOINS, EFFECTIFS, NATURES, SECTEURS, STRUCTURES

FILE = "synonymes.yml"
STOP_WORDS = "mots_vides"
# Group of the file → the vocabulary its keys come from (also the search facet it sets).
GROUPS: dict[str, dict[str, str]] = {
    "besoins": BESOINS,
    "structures": STRUCTURES,
    "secteurs": SECTEURS,
    "natures": NATURES,
    "effectifs": EFFECTIFS,
}
MAX_LENGTH = 60


@dataclass(frozen=True)
class Synonyms:
    """Each group's vocabulary slug → the expressions that mean it; and the stop words."""

    groups: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)
    stop_words: tuple[str, ...] = ()


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def _strings(node: yaml.Node, path: Path, where: str, issues: list[Issue]) -> tuple[str, ...]:
    """A list of non-empty short texts, each once."""
    if not isinstance(node, yaml.SequenceNode):
        issues.append(Issue(path, _line(node), where, "doit être une liste d'expressions"))
        return ()
    found: list[str] = []
    for item in node.value:
        text = item.value.strip() if isinstance(item, yaml.ScalarNode) else ""
        if not text:
            issues.append(
                Issue(path, _line(item), where, "expression vide ou qui n'est pas un texte")
            )
        elif len(text) > MAX_LENGTH:
            message = f"« {text[:30]}… » est trop longue (au plus {MAX_LENGTH} caractères)"
            issues.append(Issue(path, _line(item), where, message))
        elif text.casefold() in (f.casefold() for f in found):
            issues.append(Issue(path, _line(item), where, f"« {text} » figure deux fois"))
        else:
            found.append(text)
    return tuple(found)


def parse(text: str, path: Path) -> tuple[Synonyms, list[Issue]]:
    """The synonyms of a synonymes.yml text, and every problem found in it."""
    issues: list[Issue] = []
    try:
        root = yaml.compose(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        return Synonyms(), [Issue(path, line, "-", f"YAML illisible : {exc}")]
    if root is None:
        return Synonyms(), []
    if not isinstance(root, yaml.MappingNode):
        allowed = ", ".join([STOP_WORDS, *GROUPS])
        return Synonyms(), [
            Issue(path, 1, "-", f"le fichier doit contenir les rubriques {allowed}")
        ]
    groups: dict[str, dict[str, tuple[str, ...]]] = {}
    stop: tuple[str, ...] = ()
    for key_node, value in root.value:
        key = str(key_node.value)
        if key == STOP_WORDS:
            stop = _strings(value, path, key, issues)
            continue
        if key not in GROUPS:
            allowed = ", ".join([STOP_WORDS, *GROUPS])
            message = f"rubrique inconnue « {key} » (rubriques possibles : {allowed})"
            issues.append(Issue(path, _line(key_node), key, message))
            continue
        if not isinstance(value, yaml.MappingNode):
            message = "doit associer chaque valeur (ex. « tresorerie: ») à une liste d'expressions"
            issues.append(Issue(path, _line(value), key, message))
            continue
        vocabulary = GROUPS[key]
        entries: dict[str, tuple[str, ...]] = {}
        for slug_node, expressions in value.value:
            slug = str(slug_node.value)
            where = f"{key}.{slug}"
            if slug not in vocabulary:
                allowed = ", ".join(vocabulary)
                message = (
                    f"« {slug} » n'est pas une valeur de {key} (valeurs possibles : {allowed})"
                )
                issues.append(Issue(path, _line(slug_node), where, message))
                continue
            entries[slug] = _strings(expressions, path, where, issues)
        groups[key] = entries
    return Synonyms(groups, stop), issues


def read(content: Path) -> tuple[Synonyms, list[Issue]]:
    """content/synonymes.yml, or no synonyms when the file is absent."""
    path = content / FILE
    if not path.is_file():
        return Synonyms(), []
    return parse(path.read_text(encoding="utf-8"), path)
