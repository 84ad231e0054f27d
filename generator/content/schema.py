"""What the published JSON Schemas (`aidess schema`, /donnees/schema-*.json) add to the one
pydantic derives from generator/content/model.py, so that an editor's tooling catches what
JSON Schema can express: real territory codes with their names (the shape of an EPCI's or a
commune's), the recurrence rules, a
non-empty amount.
What it cannot express (cross-file links, comparisons between fields, the day of the check)
stays with `aidess validate`: tests/generator/test_schema_corpus.py lists it."""

from __future__ import annotations

from typing import Any

from generator.content import territories

DIALECT = "https://json-schema.org/draft/2020-12/schema"
TITLES = {"aide": "Aide AidESS", "reseau": "Réseau AidESS"}
# model.py marks the territory code type with this key; the published schema refers to one
# shared definition instead (120 codes with their names, written once, and the shapes of the
# EPCI and commune codes).
TERRITORY_MARK = "x-aidess-territoire"
TERRITORY_DEF = "Territoire"

# docs/interfaces.md §1 and generator/content/catalog.py: a one-off call has a deadline, a
# recurring one says when its sessions run, and only a recurring one has a period.
RECURRENCE_RULES: list[dict[str, Any]] = [
    {
        "if": {"properties": {"recurrence": {"const": "ponctuelle"}}, "required": ["recurrence"]},
        "then": {"required": ["cloture"], "properties": {"cloture": {"type": "string"}}},
        "description": "Une aide ponctuelle a une date limite (cloture).",
    },
    {
        "if": {"properties": {"recurrence": {"const": "recurrente"}}, "required": ["recurrence"]},
        "then": {"required": ["periode"], "properties": {"periode": {"type": "string"}}},
        "description": "Une aide récurrente dit quand ses sessions ont lieu (periode).",
    },
    {
        "if": {
            "properties": {"recurrence": {"enum": ["ponctuelle", "permanente"]}},
            "required": ["recurrence"],
        },
        "then": {"properties": {"periode": {"type": "null"}}},
        "description": "« periode » ne sert qu'aux aides récurrentes.",
    },
]


# The communes and EPCI are too many to list (34,875 and 1,255): the schema checks their
# shape, `aidess validate` that they exist.
LOCAL_PATTERNS = [
    {
        "type": "string",
        "pattern": "^EPCI-[0-9]{9}$",
        "title": "Intercommunalité : EPCI-<SIREN> (ex. EPCI-200093201)",
    },
    {
        "type": "string",
        "pattern": "^COM-[0-9][0-9AB][0-9]{3}$",
        "title": "Commune : COM-<code Insee> (ex. COM-59512)",
    },
]


def territory_definition() -> dict[str, Any]:
    ref = territories.reference()
    codes = [
        territories.NATIONAL,
        *(region.key for region in ref.regions.values()),
        *(department.key for department in ref.departments.values()),
    ]
    return {
        "type": "string",
        "title": "Code de territoire",
        "description": "FR (France entière), REG-<code région> (ex. REG-32), "
        "DEP-<code département> (ex. DEP-59, DEP-2A, DEP-971), EPCI-<SIREN> "
        "(ex. EPCI-200093201) ou COM-<code Insee> (ex. COM-59512), codes officiels "
        "géographiques",
        "anyOf": [{"const": code, "title": ref.name(code)} for code in codes] + LOCAL_PATTERNS,
    }


def _refer_territories(node: Any) -> Any:
    """Replace each marked territory type by a reference to the shared definition."""
    if isinstance(node, dict):
        if node.get(TERRITORY_MARK):
            return {"$ref": f"#/$defs/{TERRITORY_DEF}"}
        return {key: _refer_territories(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_refer_territories(item) for item in node]
    return node


def published(kind: str, generated: dict[str, Any]) -> dict[str, Any]:
    """The schema editors get, from pydantic's `model_json_schema()` of the kind."""
    schema: dict[str, Any] = {"$schema": DIALECT, **_refer_territories(generated)}
    schema["title"] = TITLES[kind]
    definitions = schema.setdefault("$defs", {})
    definitions[TERRITORY_DEF] = territory_definition()
    if "Montant" in definitions:
        definitions["Montant"]["minProperties"] = 1  # « indiquez au moins min, max ou texte »
    if kind == "aide":
        schema["allOf"] = RECURRENCE_RULES
    return schema
