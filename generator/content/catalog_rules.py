"""The rules a record must follow beyond its model: an aid's cross-field rules (dates,
amounts, territories, recurrence), the rules of every record (its update date), and a
network's (its request address). Each returns its issues; none stops the others."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TypeVar

from pydantic import TypeAdapter, ValidationError

from generator.content import matching, territories
from generator.content.issues import Issue, Severity
from generator.content.model import Montant, Reseau, Session
from generator.content.readers import Document
from generator.content.types import Day, TerritoryCode

T = TypeVar("T")
STALE_AFTER = timedelta(days=365)
PLACEHOLDER_DOMAIN = ".example"


def _valid(adapter: TypeAdapter[T], value: object) -> T | None:
    """The value if it is valid on its own (its own error is reported by the model)."""
    try:
        return adapter.validate_python(value)
    except ValidationError:
        return None


_DAY: TypeAdapter[date | None] = TypeAdapter(Day | None)
_MONTANT: TypeAdapter[Montant | None] = TypeAdapter(Montant | None)
_SESSION: TypeAdapter[Session | None] = TypeAdapter(Session | None)
_CODES: TypeAdapter[list[TerritoryCode]] = TypeAdapter(list[TerritoryCode])


def aide_rules(doc: Document, today: date) -> list[Issue]:
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
    low, high = data.get("effectif_min"), data.get("effectif_max")
    if isinstance(low, int) and isinstance(high, int) and low > high:
        issues.append(
            Issue(
                doc.path,
                line(("effectif_min",)),
                "effectif_min",
                f"l'effectif minimum ({low}) dépasse l'effectif maximum ({high})",
            )
        )
    session = _valid(_SESSION, data.get("derniere_session"))
    if session and session.ouverture and session.cloture < session.ouverture:
        issues.append(
            Issue(
                doc.path,
                line(("derniere_session", "cloture")),
                "derniere_session.cloture",
                f"la clôture ({session.cloture}) précède l'ouverture ({session.ouverture})",
            )
        )
    if session and session.cloture >= today:
        issues.append(
            Issue(
                doc.path,
                line(("derniere_session", "cloture")),
                "derniere_session.cloture",
                f"cette session n'est pas passée (clôture le {session.cloture:%d/%m/%Y}) : c'est "
                "la session en cours ou à venir, indiquez ses dates dans « ouverture » et "
                "« cloture »",
                Severity.WARNING,
                kind="session-a-venir",
            )
        )
    if data.get("derniere_session") is not None and data.get("recurrence") != "recurrente":
        issues.append(
            Issue(
                doc.path,
                line(("derniere_session",)),
                "derniere_session",
                "« derniere_session » ne sert qu'aux aides récurrentes : retirez-la, ou passez à "
                "« recurrence: recurrente »",
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
    for index, key in enumerate(exclusions):
        if codes and not any(matching.overlaps(key, code) for code in codes):
            issues.append(
                Issue(
                    doc.path,
                    line(("exclusions", index)),
                    f"exclusions[{index}]",
                    f"{key} n'est pas dans les territoires de l'aide",
                )
            )
    if (
        codes
        and exclusions
        and not (
            matching.remaining(codes, exclusions)
            and matching.covered_departments(codes, exclusions)
        )
    ):
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
    if (
        recurrence == "recurrente"
        and data.get("ouverture") is None
        and data.get("cloture") is None
        and data.get("derniere_session") is None
    ):
        issues.append(
            Issue(
                doc.path,
                line(("recurrence",)),
                "derniere_session",
                "une aide récurrente sans dates de session en cours doit dire sa dernière session "
                "connue : indiquez la dernière session connue : derniere_session: {ouverture: "
                "AAAA-MM-JJ, cloture: AAAA-MM-JJ} (seulement « cloture » si seule la date limite "
                "est connue ; « derniere_session: inconnue » si la source ne date aucune session)",
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


def common_rules(doc: Document, today: date) -> list[Issue]:
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


def reseau_rules(doc: Document, reseau: Reseau) -> list[Issue]:
    issues = []
    if reseau.demandes and reseau.demandes.email.endswith(PLACEHOLDER_DOMAIN):
        issues.append(
            Issue(
                doc.path,
                doc.line_of(("demandes", "email")),
                "demandes.email",
                f"adresse provisoire « {reseau.demandes.email} » (domaine réservé .example) : "
                "à remplacer par l'adresse réelle du réseau avant la mise en ligne",
                Severity.WARNING,
                kind="email-provisoire",
            )
        )
    # docs/interfaces.md §1: a network coordinates regions or departments (it takes their requests
    # nobody took, §7), never an intercommunality or a commune.
    for index, key in enumerate(reseau.coordination):
        if territories.level(key) > territories.Level.DEPARTMENT:
            departments = " ou ".join(f"« DEP-{d} »" for d in territories.departments_of(key))
            issues.append(
                Issue(
                    doc.path,
                    doc.line_of(("coordination", index)),
                    f"coordination[{index}]",
                    f"la coordination se fait par région ou département, pas pour "
                    f"« {key} » ({territories.reference().name(key)}) : écrivez {departments}",
                )
            )
    return issues
