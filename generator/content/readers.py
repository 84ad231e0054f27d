"""Read content files: split the YAML front matter (front_matter.py parses it) from the Markdown
body."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from generator.content.front_matter import KeyPath, parse_front_matter
from generator.content.issues import Issue

Kind = Literal["aide", "reseau"]
KIND_DIRS: dict[Kind, str] = {"aide": "aides", "reseau": "reseaux"}
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


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
    # Top-level fields whose YAML is broken (front_matter.py): their syntax error is reported,
    # not a « champ obligatoire manquant » too. `complete` is False once any part was unread.
    unreadable: frozenset[str] = frozenset()
    complete: bool = True

    def line_of(self, loc: KeyPath) -> int:
        """Line of the deepest known key on this path (the front matter's first line if none)."""
        for end in range(len(loc), 0, -1):
            if loc[:end] in self.lines:
                return self.lines[loc[:end]]
        return 1


def read_document(path: Path, kind: Kind) -> tuple[Document | None, list[Issue]]:
    """Parse one file, with the problems found. None when there is no front matter to read;
    one with YAML errors gives the fields that could be read (`complete` False), so they are
    still checked."""
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
    # Front matter starts on file line 2.
    front = parse_front_matter(path, lines[1:end], first_line=2)
    if front is None:
        issues.append(
            Issue(path, 2, "-", "l'en-tête YAML doit être une liste de champs « clé: valeur »")
        )
        return None, issues
    issues += front.issues
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
    doc = Document(
        path,
        kind,
        slug,
        front.data,
        body,
        front.lines,
        body_line=end + 2,
        unreadable=front.unreadable,
        complete=front.complete,
    )
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
