"""Validate documents into a catalog: per-file model checks, cross-field rules and
cross-file rules, every problem collected with its file, line and field."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Generic, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from generator.content import catalog_rules as rules
from generator.content.issues import Issue
from generator.content.model import MODELS, Aide, Reseau
from generator.content.placeholders import open_choices, placeholder_issues
from generator.content.readers import Document, read_tree
from generator.content.synonyms import Synonyms
from generator.content.synonyms import read as read_synonyms
from generator.content.types import suggest

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class Record(Generic[M]):
    """A validated content file: its model, its slug and its Markdown body."""

    slug: str
    path: Path
    body: str
    data: M


@dataclass
class Catalog:
    aides: dict[str, Record[Aide]] = field(default_factory=dict)
    reseaux: dict[str, Record[Reseau]] = field(default_factory=dict)
    synonymes: Synonyms = field(default_factory=Synonyms)  # content/synonymes.yml


_MESSAGES: dict[str, str] = {
    "missing": "champ obligatoire manquant",
    "string_type": "doit être un texte (mettez la valeur entre guillemets si besoin)",
    "int_type": "doit être un nombre entier (sans espace ni symbole €)",
    "int_parsing": "doit être un nombre entier (sans espace ni symbole €)",
    "int_from_float": "doit être un nombre entier",
    "greater_than_equal": "doit être positif ou nul",
    "list_type": "doit être une liste (une ligne « - valeur » par élément, ou [a, b])",
    "too_short": "la liste ne doit pas être vide",
    "model_type": "doit contenir des sous-champs (ex. « email: … » à la ligne suivante, indenté)",
    "dict_type": "doit contenir des sous-champs",
    "string_pattern_mismatch": "identifiant invalide : minuscules sans accents, chiffres et tirets",
}


def _message(error: ErrorDetails, allowed: list[str]) -> str:
    kind = error["type"]
    if kind == "extra_forbidden":
        key = str(error["loc"][-1])
        return f"clé inconnue « {key} »{suggest(key, allowed)}"
    if kind == "string_too_long" or (kind == "too_long" and isinstance(error["input"], str)):
        limit = (error.get("ctx") or {}).get("max_length")
        return f"trop long : {limit} caractères au plus (actuellement {len(error['input'])})"
    return _MESSAGES.get(kind, error["msg"])


def _field_name(loc: tuple[str | int, ...]) -> str:
    parts = [str(p) if isinstance(p, str) else f"[{p}]" for p in loc]
    return ".".join(parts).replace(".[", "[") or "-"


def _model_issues(doc: Document, exc: ValidationError) -> list[Issue]:
    model = MODELS[doc.kind]
    issues = []
    # A choice still « À choisir » has its own message (placeholders.py), not a second one.
    skipped = set(open_choices(doc))
    for error in exc.errors():
        loc = tuple(error["loc"])
        if loc and loc[0] in skipped:
            continue
        allowed = list(model.model_fields)
        if len(loc) > 1 and loc[0] in ("montant", "demandes"):
            sub = model.model_fields[str(loc[0])].annotation
            allowed = list(getattr(sub, "model_fields", {})) or [
                name
                for arg in getattr(sub, "__args__", ())
                for name in getattr(arg, "model_fields", {})
            ]
        issues.append(Issue(doc.path, doc.line_of(loc), _field_name(loc), _message(error, allowed)))
    return issues


def _readable(doc: Document, issues: list[Issue]) -> list[Issue]:
    """The issues of the fields that could be read: a field whose YAML is broken has its
    syntax error, not « champ obligatoire manquant » or a rule that needs its value."""
    return [i for i in issues if re.split(r"[.\[]", i.field)[0] not in doc.unreadable]


def _folded(slug: str) -> str:
    return unicodedata.normalize("NFKD", slug).encode("ascii", "ignore").decode().lower()


def build_catalog(documents: list[Document], today: date) -> tuple[Catalog, list[Issue]]:
    """Validate every document; return what is valid and every problem found."""
    catalog = Catalog()
    issues: list[Issue] = []
    seen: dict[tuple[str, str], Path] = {}
    for doc in documents:
        key = (doc.kind, _folded(doc.slug))
        if key in seen:
            issues.append(
                Issue(doc.path, 1, "-", f"identifiant « {doc.slug} » déjà utilisé par {seen[key]}")
            )
            continue
        seen[key] = doc.path
        found = rules.common_rules(doc, today) + placeholder_issues(doc)
        if doc.kind == "aide":
            found += rules.aide_rules(doc, today)
        try:
            model = MODELS[doc.kind].model_validate(doc.data)
        except ValidationError as exc:
            issues += _readable(doc, found + _model_issues(doc, exc))
            continue
        if isinstance(model, Reseau):
            found += rules.reseau_rules(doc, model)
        issues += _readable(doc, found)
        if not doc.complete:  # its YAML errors are reported: never a record read in part
            continue
        if isinstance(model, Aide):
            catalog.aides[doc.slug] = Record(doc.slug, doc.path, doc.body, model)
        elif isinstance(model, Reseau):
            catalog.reseaux[doc.slug] = Record(doc.slug, doc.path, doc.body, model)
    known = sorted(d.slug for d in documents if d.kind == "reseau")
    for doc in documents:
        linked = doc.data.get("reseaux") if doc.kind == "aide" else None
        for index, slug in enumerate(linked if isinstance(linked, list) else []):
            # A network whose file exists but is invalid was already reported there.
            if isinstance(slug, str) and slug not in known:
                where = doc.line_of(("reseaux", index))
                issues.append(
                    Issue(
                        doc.path,
                        where,
                        f"reseaux[{index}]",
                        f"réseau inconnu « {slug} »{suggest(slug, known)} : il faut "
                        f"un fichier reseaux/{slug}.md",
                    )
                )
    return catalog, issues


def load(content: Path, today: date) -> tuple[Catalog, list[Issue]]:
    """Read and validate a content tree (the `aidess validate` pipeline)."""
    documents, issues = read_tree(content)
    catalog, more = build_catalog(documents, today)
    catalog.synonymes, words = read_synonyms(content)
    return catalog, sorted(issues + more + words, key=lambda i: (str(i.path), i.line))
