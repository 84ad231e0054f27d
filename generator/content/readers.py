"""Read content files: split the YAML front matter from the Markdown body, keep key lines."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml

from generator.content import hints
from generator.content.issues import Issue

Kind = Literal["aide", "reseau"]
KIND_DIRS: dict[Kind, str] = {"aide": "aides", "reseau": "reseaux"}
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

# A key path as pydantic reports it: ("montant", "min") or ("natures", 2).
KeyPath = tuple[str | int, ...]


# libyaml's parser when available: the pure-Python one costs ~1 ms a file, which dominates
# the build of a large directory.
_Base: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_Base):  # type: ignore[valid-type,misc]
    """Safe loader that keeps dates as text, so an impossible date such as 2026-02-30 is a
    field error reported by the model rather than a crash of the whole file."""


_Loader.yaml_implicit_resolvers = {
    ch: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for ch, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _parse(text: str) -> tuple[yaml.Node | None, Any]:
    """Parse once: the node tree (for key lines) and the data built from it."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        return node, (loader.construct_document(node) if node is not None else None)
    finally:
        loader.dispose()


@dataclass
class Document:
    """One content file as read from disk, before validation."""

    path: Path
    kind: Kind
    slug: str
    data: dict[str, Any]
    body: str
    lines: dict[KeyPath, int] = field(default_factory=dict)  # 1-based line in the file
    body_line: int = 1  # file line where the Markdown body starts

    def line_of(self, loc: KeyPath) -> int:
        """Line of the deepest known key on this path (the front matter's first line if none)."""
        for end in range(len(loc), 0, -1):
            if loc[:end] in self.lines:
                return self.lines[loc[:end]]
        return 1


def _key_lines(node: yaml.Node, offset: int, prefix: KeyPath = ()) -> dict[KeyPath, int]:
    lines: dict[KeyPath, int] = {}
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            path = (*prefix, str(key_node.value))
            lines[path] = key_node.start_mark.line + offset
            lines.update(_key_lines(value_node, offset, path))
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            path = (*prefix, index)
            lines[path] = item.start_mark.line + offset
            lines.update(_key_lines(item, offset, path))
    return lines


def _yaml_issue(path: Path, exc: yaml.YAMLError, front: list[str]) -> Issue:
    """The parser's error in French, on the line where the editor must look."""
    problem = str(getattr(exc, "problem", None) or exc)
    context = str(getattr(exc, "context", None) or "")
    mark = getattr(exc, "problem_mark", None)
    start = getattr(exc, "context_mark", None)
    # An unclosed quote or a key without « : » is where it starts, not where parsing gave up.
    if start is not None and ("quoted scalar" in context or "simple key" in context):
        mark = start
    index = mark.line if mark is not None else 0
    text = front[index] if 0 <= index < len(front) else ""
    field, message = hints.yaml_message(problem, context, text)
    # Front matter starts on file line 2; yaml marks are 0-based.
    return Issue(path, index + 2, field or "-", f"YAML invalide : {message}")


def read_document(path: Path, kind: Kind) -> tuple[Document | None, list[Issue]]:
    """Parse one file; on unreadable front matter return None and the problems found."""
    text = path.read_text(encoding="utf-8")
    issues: list[Issue] = []
    slug = path.stem
    if not SLUG_RE.fullmatch(slug):
        issues.append(
            Issue(
                path,
                1,
                "-",
                "nom de fichier invalide : minuscules sans accents, chiffres et "
                "tirets seulement (ex. « fdva-formation-benevoles.md »)",
            )
        )
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        issues.append(
            Issue(
                path,
                1,
                "-",
                "en-tête YAML manquant : le fichier doit commencer par une ligne « --- »",
            )
        )
        return None, issues
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() == "---"), None)
    if end is None:
        issues.append(
            Issue(
                path, 1, "-", "en-tête YAML non fermé : ajoutez une ligne « --- » après les champs"
            )
        )
        return None, issues
    front = "".join(lines[1:end])
    try:
        node, data = _parse(front)
    except yaml.YAMLError as exc:
        issues.append(_yaml_issue(path, exc, lines[1:end]))
        return None, issues
    if not isinstance(data, dict) or node is None:
        issues.append(
            Issue(path, 2, "-", "l'en-tête YAML doit être une liste de champs « clé: valeur »")
        )
        return None, issues
    body = "".join(lines[end + 1 :])
    if not body.strip():
        what = (
            "ce que l'aide finance, pour qui et comment la demander"
            if kind == "aide"
            else "ce que fait le réseau et comment le contacter"
        )
        issues.append(
            Issue(path, end + 1, "corps", f"le texte sous l'en-tête est vide : décrivez {what}")
        )
    # Front matter starts on file line 2; yaml marks are 0-based.
    doc = Document(path, kind, slug, data, body, _key_lines(node, offset=2), body_line=end + 2)
    return doc, issues


def read_tree(content: Path) -> tuple[list[Document], list[Issue]]:
    """Read every aid and network under `content`, collecting all problems."""
    documents: list[Document] = []
    issues: list[Issue] = []
    for kind, folder in KIND_DIRS.items():
        directory = content / folder
        if not directory.is_dir():
            issues.append(Issue(directory, 1, "-", f"dossier « {folder} » introuvable"))
            continue
        for path in sorted(directory.iterdir()):
            if path.suffix != ".md" or path.name.startswith("."):
                continue
            doc, found = read_document(path, kind)
            issues.extend(found)
            if doc is not None:
                documents.append(doc)
    return documents, issues
