"""« Proposer une aide » (docs/interfaces.md §9): a proposal as a visitor sends it (the form's
fields, or the same keys in JSON) turned into an aid's record, checked by the very rules of
`aidess validate` (generator/content/catalog.py) with every error on its form field, and
written as the file an editor commits (`content/aides/<slug>.md`). Pure functions: the
service stores and mails, the CLI imports."""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from email_validator import EmailNotValidError, validate_email

from generator.content import hints, places, territories
from generator.content.catalog import build_catalog
from generator.content.issues import errors as only_errors
from generator.content.model import Aide
from generator.content.readers import Document
from generator.content.slugs import slugify

Raw = Mapping[str, str | list[str]]

# The form's fields, in the order of the form and of the file. Lists may repeat (or be JSON
# arrays); `porteurs` also takes one name per line. An amount and a last session, objects in
# the file, are flat fields here (a form has no objects).
TEXTS = ("titre", "resume", "pour_qui", "periode", "source", "demarche", "montant_texte")
LISTS = ("porteurs", "natures", "besoins", "secteurs", "structures", "etapes", "agrements",
         "territoires", "exclusions")  # fmt: skip
NUMBERS = ("effectif_min", "effectif_max", "montant_min", "montant_max")
DATES = ("ouverture", "cloture", "derniere_session_ouverture", "derniere_session_cloture")
FIELDS = (*TEXTS, *LISTS, *NUMBERS, *DATES, "recurrence", "description", "email",
          "consentement")  # fmt: skip
MAX_DESCRIPTION = 8000


@dataclass(frozen=True)
class Proposal:
    """A proposal that passed every check: its record, its body and the proposer's address."""

    slug: str
    data: dict[str, Any]  # the front matter, in the model's order
    body: str
    email: str | None


def _values(raw: Raw, name: str) -> list[str]:
    value = raw.get(name, [])
    items = [value] if isinstance(value, str) else list(value)
    if name == "porteurs":  # one per line in the form's text area
        items = [line for item in items for line in item.splitlines()]
    return [" ".join(item.split()) for item in items if item.strip()]


def _text(raw: Raw, name: str) -> str:
    found = _values(raw, name)
    return found[0] if found else ""


def territory(value: str) -> tuple[str | None, str | None]:
    """(code, None) for a territory given by its code or its name (« Hauts-de-France »,
    « Nord (59) », « Roubaix (59) », « Métropole Européenne de Lille »), or (None, why)."""
    code = value.strip().upper()
    if territories.is_valid(code):
        return code, None
    found = hints.territory_suggestions(value)
    if len(found) == 1:
        return found[0], None
    commune, reason = places.find_commune(value, typed=True)
    if commune is not None:
        return f"COM-{commune.code}", None
    if len(found) > 1:
        return None, (
            f"Plusieurs territoires correspondent à « {value} » : {hints.suggestion(found)} ; "
            "écrivez celui que vous voulez dire."
        )
    if reason and ("plusieurs" in reason or "Vouliez-vous" in reason):
        return None, reason[:1].upper() + reason[1:] + "."
    return None, (
        f"Territoire inconnu « {value} » : choisissez une région ou un département dans la "
        "liste, ou écrivez une commune avec son département, ex. « Roubaix (59) »."
    )


def _number(text: str) -> int | str:
    compact = re.sub(r"[\s\u202f\u00a0€]", "", text)
    return int(compact) if compact.isdigit() else text


def _record(raw: Raw, today: date) -> tuple[dict[str, Any], dict[str, str]]:
    """The front matter the fields say, and the errors found before the model's checks (a
    territory no name matches)."""
    data: dict[str, Any] = {}
    early: dict[str, str] = {}
    for name in ("titre", "resume", "pour_qui", "porteurs", "natures", "besoins", "secteurs",
                 "structures", "etapes", "effectif_min", "effectif_max", "agrements"):  # fmt: skip
        if name in LISTS:
            if found := _values(raw, name):
                data[name] = found
        elif text := _text(raw, name):
            data[name] = _number(text) if name in NUMBERS else text
    for name in ("territoires", "exclusions"):
        codes = []
        for value in _values(raw, name):
            code, why = territory(value)
            if code is None:
                early.setdefault(name, why or "")
            elif code not in codes:
                codes.append(code)
        if codes:
            data[name] = codes
    montant = {k: _number(_text(raw, f"montant_{k}")) for k in ("min", "max")}
    montant["texte"] = _text(raw, "montant_texte")
    if montant := {k: v for k, v in montant.items() if v != ""}:
        data["montant"] = montant
    for name in ("recurrence", "periode", "ouverture", "cloture", "source", "demarche"):
        if text := _text(raw, name):
            data[name] = text
    data["mise_a_jour"] = today.isoformat()  # the editor sets the day of the check
    session = {k: _text(raw, f"derniere_session_{k}") for k in ("ouverture", "cloture")}
    if session := {k: v for k, v in session.items() if v}:
        data["derniere_session"] = session
    return data, early


# validate's words for an editor, said to a visitor filling a form.
_PLAIN = {
    "champ obligatoire manquant": "Ce champ est obligatoire.",
    "la liste ne doit pas être vide": "Choisissez au moins une valeur.",
}


def _form_field(issue_field: str) -> str:
    """validate's field (« montant.min », « territoires[2] », « corps ») as the form's."""
    root, _, rest = issue_field.partition(".")
    root = re.split(r"\[", root)[0]
    if root in ("montant", "derniere_session"):
        sub = re.split(r"[.\[]", rest)[0] if rest else ("texte" if root == "montant" else "")
        return f"{root}_{sub or 'cloture'}"
    return {"corps": "description", "-": "titre"}.get(root, root)


# The recurrence rules, said without YAML (they start as validate's messages do).
_RECURRENCE = (
    ("une aide ponctuelle doit avoir une date limite",
     "Une aide ponctuelle a une date limite : indiquez-la (ou choisissez « permanente » si on "
     "peut la demander toute l'année)."),
    ("une aide récurrente doit dire quand",
     "Dites quand ont lieu les sessions, par exemple « chaque année, de décembre à mars »."),
    ("une aide récurrente sans dates de session",
     "Indiquez les dates de la session en cours ou à venir, ou celles de la dernière session "
     "connue (au moins sa date limite)."),
    ("« periode » ne sert qu'aux aides récurrentes",
     "La période ne sert qu'aux aides récurrentes : videz ce champ, ou choisissez « récurrente »."),
    ("« derniere_session » ne sert qu'aux aides récurrentes",
     "La dernière session ne sert qu'aux aides récurrentes : videz ces dates, ou choisissez "
     "« récurrente »."),
)  # fmt: skip


_MISSING_LIST = {
    "porteurs": "Indiquez au moins un organisme.",
    "territoires": "Indiquez au moins un territoire.",
}


def _sentence(field: str, message: str) -> str:
    if message == "champ obligatoire manquant" and field in LISTS:
        return _MISSING_LIST.get(field, "Cochez au moins une case.")
    message = _PLAIN.get(message, message)
    for start, said in _RECURRENCE:
        if message.startswith(start):
            return said
    return message[:1].upper() + message[1:]


def check(
    raw: Raw, today: date, existing: Collection[str] = ()
) -> tuple[Proposal | None, dict[str, str]]:
    """The proposal, or one French message per form field: the rules of `aidess validate`
    (errors only: a warning is for the editor who imports it), plus what a form adds (the
    description, an aid already in the directory)."""
    data, errors = _record(raw, today)
    slug = slugify(str(data.get("titre", "")))
    body = "\n".join(line.rstrip() for line in _raw_text(raw, "description").splitlines())
    body = body.strip() + "\n"
    path = Path("content") / "aides" / f"{slug or 'proposition'}.md"
    document = Document(path, "aide", slug or "proposition", data, body)
    _, issues = build_catalog([document], today)
    for issue in only_errors(issues):
        field = _form_field(issue.field)
        errors.setdefault(field, _sentence(field, issue.message))
    if not body.strip():
        errors.setdefault(
            "description", "Décrivez l'aide : ce qu'elle finance, pour qui, comment la demander."
        )
    elif len(body) > MAX_DESCRIPTION:
        errors.setdefault("description", f"{MAX_DESCRIPTION} caractères au plus.")
    if "titre" in data and not slug:
        errors.setdefault("titre", "Le titre doit contenir des lettres ou des chiffres.")
    elif slug in existing:
        errors.setdefault(
            "titre",
            f"Cette aide est déjà dans l'annuaire (/aides/{slug}/) : pour la corriger, utilisez "
            "« Signaler une erreur » sur sa page.",
        )
    email = _text(raw, "email") or None
    if email and not _text(raw, "consentement"):
        errors.setdefault(
            "consentement", "Cochez la case pour que nous puissions vous écrire à cette adresse."
        )
    if email:
        try:
            email = validate_email(email, check_deliverability=False).normalized
        except EmailNotValidError:
            errors["email"] = "Adresse électronique invalide (exemple : nom@association.fr)."
    if errors:
        return None, errors
    return Proposal(slug, data, body, email), {}


def _raw_text(raw: Raw, name: str) -> str:
    value = raw.get(name, "")
    return value if isinstance(value, str) else "\n".join(value)


def _yaml_value(key: str, value: Any) -> Any:
    if key in ("ouverture", "cloture", "mise_a_jour"):
        return date.fromisoformat(value)  # written bare: 2026-03-31
    if key == "derniere_session":
        return {k: date.fromisoformat(v) for k, v in value.items()}
    return value


def to_file(proposal: Proposal) -> str:
    """The ready-to-commit file: front matter in the model's order, then the description."""
    ordered = {
        key: _yaml_value(key, proposal.data[key])
        for key in Aide.model_fields
        if key in proposal.data
    }
    front = yaml.safe_dump(ordered, allow_unicode=True, sort_keys=False, width=100)
    return f"---\n{front}---\n{proposal.body}"
