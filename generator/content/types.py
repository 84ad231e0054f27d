"""The field types of the content model (generator/content/model.py): each one's French
error, and what it adds to the JSON Schema editors use."""

from __future__ import annotations

import difflib
import re
from datetime import date
from typing import Annotated, Any
from urllib.parse import urlsplit

from email_validator import EmailNotValidError, validate_email
from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    WithJsonSchema,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import PydanticCustomError, core_schema

from generator.content import hints, territories
from generator.content.schema import TERRITORY_MARK
from generator.content.vocabularies import (
    AGREMENTS,
    BESOINS,
    EFFECTIFS,
    ETAPES,
    FAMILLES,
    NATURES,
    RECURRENCES,
    SECTEURS,
    STRUCTURES,
    TOUS,
)


def suggest(value: str, choices: list[str]) -> str:
    """« vouliez-vous dire … ? » when a close choice exists."""
    close = difflib.get_close_matches(value, choices, n=1, cutoff=0.6)
    return f" ; vouliez-vous dire « {close[0]} » ?" if close else ""


class Vocabulary:
    """Annotation restricting a string to one vocabulary, with a French error and an `enum`
    in the JSON Schema so editors get completion."""

    def __init__(self, name: str, labels: dict[str, str], extra: tuple[str, ...] = ()) -> None:
        self.name = name
        self.choices = [*labels, *extra]
        self.labels = labels

    def check(self, value: str) -> str:
        if value not in self.choices:
            raise PydanticCustomError(
                "vocabulaire",
                "valeur inconnue « {value} » pour {name}{hint} (valeurs possibles : {choices})",
                {
                    "value": value,
                    "name": self.name,
                    "hint": suggest(value, self.choices),
                    "choices": ", ".join(self.choices),
                },
            )
        return value

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_after_validator_function(
            self.check, core_schema.str_schema(strict=True)
        )

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        described = "; ".join(f"{k}: {v}" for k, v in self.labels.items())
        return {"type": "string", "enum": self.choices, "description": described}


def _https_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme != "https" or not parts.netloc or " " in value:
        raise PydanticCustomError(
            "url_https",
            "adresse web invalide « {value} » : une URL complète en https:// est attendue",
            {"value": value},
        )
    return value


def _territory(value: str) -> str:
    if not territories.is_valid(value):
        meant = hints.territory_suggestions(value)
        if meant:
            raise PydanticCustomError(
                "territoire",
                "code de territoire inconnu « {value} » : écrivez {meant}",
                {"value": value, "meant": hints.suggestion(meant)},
            )
        raise PydanticCustomError(
            "territoire",
            "code de territoire inconnu « {value} » : FR, REG-<code région> (ex. REG-32), "
            "DEP-<code département> (ex. DEP-59, DEP-2A, DEP-971), EPCI-<SIREN> "
            "(ex. EPCI-200093201) ou COM-<code Insee de la commune> (ex. COM-59512)",
            {"value": value},
        )
    return value


def _email(value: str) -> str:
    try:
        return validate_email(value, check_deliverability=False).normalized
    except EmailNotValidError as exc:
        raise PydanticCustomError(
            "email",
            "adresse électronique invalide « {value} » ({reason})",
            {"value": value, "reason": str(exc)},
        ) from exc


def _non_empty(value: str) -> str:
    if not value.strip():
        raise PydanticCustomError("texte_vide", "le texte est vide", {})
    return value


# The `json_schema_extra` patterns are for editors' tooling (generator/content/schema.py):
# looser than the validators beside them, never stricter, so a schema error is always a
# `validate` error.
Text = Annotated[
    str, Field(strict=True, json_schema_extra={"pattern": r"\S"}), AfterValidator(_non_empty)
]
HttpsUrl = Annotated[
    str,
    Field(strict=True, json_schema_extra={"format": "uri", "pattern": r"^https://[^\s/?#]+"}),
    AfterValidator(_https_url),
]
TerritoryCode = Annotated[
    str,
    Field(strict=True, json_schema_extra={TERRITORY_MARK: True}),  # the 120 real codes
    AfterValidator(_territory),
]
Email = Annotated[
    str,
    Field(
        strict=True,
        json_schema_extra={"format": "email", "pattern": r"^[^@\s]+@[^@\s]+\.[^@\s]+$"},
    ),
    AfterValidator(_email),
]
Nature = Annotated[str, Vocabulary("natures", NATURES)]
Besoin = Annotated[str, Vocabulary("besoins", BESOINS)]
Secteur = Annotated[str, Vocabulary("secteurs", SECTEURS, extra=(TOUS,))]
Structure = Annotated[str, Vocabulary("structures", STRUCTURES)]
Etape = Annotated[str, Vocabulary("etapes", ETAPES)]
Famille = Annotated[str, Vocabulary("famille", FAMILLES)]
Effectif = Annotated[str, Vocabulary("effectifs", EFFECTIFS)]
Recurrence = Annotated[str, Vocabulary("recurrence", RECURRENCES)]
Agrement = Annotated[str, Vocabulary("agrements", AGREMENTS)]
Slug = Annotated[str, Field(strict=True, pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]


def _list(description: str) -> Any:
    """A required, non-empty list."""
    return Field(min_length=1, description=description)


def _iso_date(value: object) -> object:
    """Accept only YYYY-MM-DD text (or a date): no timestamps, no other formats."""
    if isinstance(value, str):
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
            meant = hints.iso_date(value)
            if meant:
                raise PydanticCustomError(
                    "date_format",
                    "date invalide « {value} » : écrivez « {meant} » (format AAAA-MM-JJ : "
                    "année, mois, jour)",
                    {"value": value, "meant": meant},
                )
            raise PydanticCustomError(
                "date_format",
                "date invalide « {value} » : format AAAA-MM-JJ attendu (ex. 2026-03-31)",
                {"value": value},
            )
        try:
            return date.fromisoformat(value.strip())
        except ValueError as exc:
            raise PydanticCustomError(
                "date_impossible",
                "date impossible « {value} » : ce jour n'existe pas",
                {"value": value},
            ) from exc
    if isinstance(value, date):
        return value
    raise PydanticCustomError(
        "date_format", "date invalide : format AAAA-MM-JJ attendu (ex. 2026-03-31)", {}
    )


Day = Annotated[
    date,
    BeforeValidator(_iso_date),
    WithJsonSchema({"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}),
]
