"""Validate documents into a catalog: per-file model checks, cross-field rules and
cross-file rules, every problem collected with its file, line and field."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Generic, TypeVar

from pydantic import BaseModel, TypeAdapter, ValidationError
from pydantic_core import ErrorDetails

from generator import territories
from generator.issues import Issue, Severity
from generator.model import MODELS, Aide, Day, Montant, Reseau, TerritoryCode, suggest
from generator.placeholders import placeholder_issues
from generator.readers import Document, read_tree

M = TypeVar("M", bound=BaseModel)
T = TypeVar("T")
STALE_AFTER = timedelta(days=365)
PLACEHOLDER_DOMAIN = ".example"


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
    if kind == "string_too_long":
        limit = (error.get("ctx") or {}).get("max_length")
        return f"trop long : {limit} caractères au plus (actuellement {len(error['input'])})"
    return _MESSAGES.get(kind, error["msg"])


def _field_name(loc: tuple[str | int, ...]) -> str:
    parts = [str(p) if isinstance(p, str) else f"[{p}]" for p in loc]
    return ".".join(parts).replace(".[", "[") or "-"


def _model_issues(doc: Document, exc: ValidationError) -> list[Issue]:
    model = MODELS[doc.kind]
    issues = []
    for error in exc.errors():
        loc = tuple(error["loc"])
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


def _valid(adapter: TypeAdapter[T], value: object) -> T | None:
    """The value if it is valid on its own (its own error is reported by the model)."""
    try:
        return adapter.validate_python(value)
    except ValidationError:
        return None


_DAY: TypeAdapter[date | None] = TypeAdapter(Day | None)
_MONTANT: TypeAdapter[Montant | None] = TypeAdapter(Montant | None)
_CODES: TypeAdapter[list[TerritoryCode]] = TypeAdapter(list[TerritoryCode])


def _aide_rules(doc: Document, today: date) -> list[Issue]:
    """Cross-field rules of one aid, run on each field that is valid by itself, so they are
    reported even when another field of the file is wrong."""
    issues: list[Issue] = []
    line, data = doc.line_of, doc.data
    ouverture, cloture = _valid(_DAY, data.get("ouverture")), _valid(_DAY, data.get("cloture"))
    if ouverture and cloture and cloture < ouverture:
        issues.append(
            Issue(
                doc.path,
                line(("cloture",)),
                "cloture",
                f"la clôture ({cloture}) précède l'ouverture ({ouverture})",
            )
        )
    montant = _valid(_MONTANT, data.get("montant"))
    if (
        montant
        and montant.min is not None
        and montant.max is not None
        and montant.min > montant.max
    ):
        issues.append(
            Issue(
                doc.path,
                line(("montant", "min")),
                "montant.min",
                f"le minimum ({montant.min} €) dépasse le maximum ({montant.max} €)",
            )
        )
    if montant and montant.min is None and montant.max is None and montant.texte is None:
        issues.append(
            Issue(doc.path, line(("montant",)), "montant", "indiquez au moins min, max ou texte")
        )
    codes = _valid(_CODES, data.get("territoires")) or []
    exclusions = _valid(_CODES, data.get("exclusions")) or []
    covered = territories.covered_departments(codes)
    for index, key in enumerate(exclusions):
        if codes and not territories.covered_departments([key]) & covered:
            issues.append(
                Issue(
                    doc.path,
                    line(("exclusions", index)),
                    f"exclusions[{index}]",
                    f"{key} n'est pas dans les territoires de l'aide",
                )
            )
    if codes and exclusions and not territories.covered_departments(codes, exclusions):
        issues.append(
            Issue(
                doc.path,
                line(("exclusions",)),
                "exclusions",
                "les exclusions retirent tout le territoire de l'aide",
            )
        )
    issues += _recurrence_rules(doc, cloture, today)
    return issues


def _recurrence_rules(doc: Document, cloture: date | None, today: date) -> list[Issue]:
    """What each recurrence requires: a deadline for a one-off call, a period for a
    recurring one, and the warnings that tell an editor a date needs updating."""
    line, data = doc.line_of, doc.data
    recurrence = data.get("recurrence")
    periode = data.get("periode")
    issues: list[Issue] = []
    if recurrence == "ponctuelle" and data.get("cloture") is None:
        issues.append(
            Issue(
                doc.path,
                line(("recurrence",)),
                "cloture",
                "une aide ponctuelle doit avoir une date limite : ajoutez « cloture: AAAA-MM-JJ »"
                " (ou choisissez « recurrence: permanente » si elle est ouverte toute l'année)",
            )
        )
    if recurrence == "recurrente" and periode is None:
        issues.append(
            Issue(
                doc.path,
                line(("recurrence",)),
                "periode",
                "une aide récurrente doit dire quand ses sessions ont lieu : ajoutez par exemple "
                '« periode: "chaque année, de décembre à mars" »',
            )
        )
    if periode is not None and recurrence in ("ponctuelle", "permanente"):
        issues.append(
            Issue(
                doc.path,
                line(("periode",)),
                "periode",
                f"« periode » ne sert qu'aux aides récurrentes (ici « recurrence: {recurrence} ») :"
                " retirez-la, ou passez à « recurrence: recurrente »",
            )
        )
    if cloture and cloture < today:
        if recurrence == "recurrente":
            message = (
                f"la session connue s'est terminée le {cloture:%d/%m/%Y} : l'aide est affichée "
                "« Dates à confirmer » ; indiquez les dates de la prochaine session dès qu'elles "
                "sont publiées"
            )
        else:
            message = (
                f"aide clôturée depuis le {cloture:%d/%m/%Y} : elle reste publiée mais cachée "
                "par défaut"
            )
        kind = "session-passee" if recurrence == "recurrente" else "cloturee"
        issues.append(
            Issue(doc.path, line(("cloture",)), "cloture", message, Severity.WARNING, kind)
        )
    return issues


def _common_rules(doc: Document, today: date) -> list[Issue]:
    mise_a_jour = _valid(_DAY, doc.data.get("mise_a_jour"))
    where = doc.line_of(("mise_a_jour",))
    if mise_a_jour is None:
        return []
    if mise_a_jour > today:
        return [
            Issue(
                doc.path,
                where,
                "mise_a_jour",
                f"date dans le futur ({mise_a_jour}) : indiquez le jour de la vérification",
            )
        ]
    if today - mise_a_jour > STALE_AFTER:
        return [
            Issue(
                doc.path,
                where,
                "mise_a_jour",
                f"vérifiée il y a plus de 12 mois ({mise_a_jour:%d/%m/%Y}) : "
                "revérifiez auprès de la source",
                Severity.WARNING,
                kind="a-reverifier",
            )
        ]
    return []


def _reseau_rules(doc: Document, reseau: Reseau) -> list[Issue]:
    if reseau.demandes and reseau.demandes.email.endswith(PLACEHOLDER_DOMAIN):
        return [
            Issue(
                doc.path,
                doc.line_of(("demandes", "email")),
                "demandes.email",
                f"adresse provisoire « {reseau.demandes.email} » (domaine réservé .example) : "
                "à remplacer par l'adresse réelle du réseau avant la mise en ligne",
                Severity.WARNING,
                kind="email-provisoire",
            )
        ]
    return []


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
        issues += _common_rules(doc, today)
        issues += placeholder_issues(doc)
        if doc.kind == "aide":
            issues += _aide_rules(doc, today)
        try:
            model = MODELS[doc.kind].model_validate(doc.data)
        except ValidationError as exc:
            issues.extend(_model_issues(doc, exc))
            continue
        if isinstance(model, Aide):
            catalog.aides[doc.slug] = Record(doc.slug, doc.path, doc.body, model)
        elif isinstance(model, Reseau):
            issues += _reseau_rules(doc, model)
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
    return catalog, sorted(issues + more, key=lambda i: (str(i.path), i.line))
