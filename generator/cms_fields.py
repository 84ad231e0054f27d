"""Decap CMS fields derived from the content model (generator/content/model.py), so the admin's
forms
can never drift from `aidess validate`: every vocabulary a select with its French labels,
territories a multi-select with their names, dates as date widgets, sub-models as objects."""

from __future__ import annotations

import types
from datetime import date
from typing import Annotated, Any, Union, get_args, get_origin

from annotated_types import MaxLen, MinLen
from pydantic import AfterValidator, BaseModel
from pydantic.fields import FieldInfo

from generator.content import territories
from generator.content import types as field_types
from generator.content.vocabularies import TOUS

Widget = dict[str, Any]

# French labels of the fields (the model's descriptions become the hints). A field missing
# here still gets a widget; tests/generator/test_cms.py fails until it has its label.
LABELS: dict[str, str] = {
    "titre": "Titre",
    "resume": "Résumé",
    "porteurs": "Porteurs",
    "natures": "Natures de l'aide",
    "besoins": "Besoins",
    "secteurs": "Secteurs",
    "structures": "Structures éligibles",
    "etapes": "Étapes du projet",
    "effectif_min": "Effectif minimum (ETP ; 1 = employeurs seulement)",
    "effectif_max": "Effectif maximum (ETP)",
    "agrements": "Agréments exigés",
    "pour_qui": "Pour qui (la condition décisive, en une phrase)",
    "derniere_session": "Dernière session connue",
    "effectifs": "Tailles de structure accompagnées",
    "territoires": "Territoires",
    "exclusions": "Territoires exclus",
    "montant": "Montant",
    "min": "Minimum (€)",
    "max": "Maximum (€)",
    "texte": "En clair",
    "recurrence": "Récurrence",
    "periode": "Période des sessions",
    "ouverture": "Ouverture",
    "cloture": "Clôture (date limite)",
    "source": "Source officielle (https)",
    "demarche": "Faire la demande (https)",
    "mise_a_jour": "Vérifiée le",
    "reseaux": "Réseaux qui aident à monter le dossier",
    "nom": "Nom",
    "famille": "Famille",
    "site": "Site web (https)",
    "telephone": "Téléphone",
    "adresse": "Adresse",
    "demandes": "Demandes de rappel",
    "email": "Adresse qui reçoit les demandes",
    "coordination": "Coordination (territoires)",
}
EXTRA_LABELS = {TOUS: "Tous les secteurs"}
LONG_TEXT = 180  # longer limits get a multi-line text box


def territory_options() -> list[dict[str, str]]:
    """FR, the regions, the departments and the 1,255 EPCI (« Métropole Européenne de Lille
    (EPCI, 59) »), not the 34,875 communes: Decap's select has no search worth that list, and
    the admin's config would grow by megabytes. An item coded at a commune is edited in its
    file (`aidess validate` names the code of a commune written by name or postcode)."""
    ref = territories.reference()
    keys = [territories.NATIONAL, *(r.key for r in ref.regions.values())]
    keys += [d.key for d in ref.departments.values()]
    options = [{"label": ref.name(key), "value": key} for key in keys]
    order = {code: index for index, code in enumerate(ref.departments)}
    epcis = sorted(
        territories.communes().epcis.values(),
        key=lambda e: (order[e.departements[0]] if e.departements else 0, e.nom),
    )
    options += [
        {"label": f"{e.nom} (EPCI, {', '.join(e.departements)})", "value": e.key} for e in epcis
    ]
    return options


def _unwrap(annotation: Any, metadata: list[Any]) -> tuple[Any, list[Any], bool]:
    """Strip Optional and Annotated: (bare type, all metadata, optional?)."""
    optional = False
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation, *more = get_args(annotation)
            metadata = [*metadata, *more]
        elif origin in (Union, types.UnionType):
            args = [a for a in get_args(annotation) if a is not type(None)]
            optional = optional or len(args) < len(get_args(annotation))
            annotation = args[0]
        else:
            return annotation, metadata, optional


def _limits(metadata: list[Any]) -> tuple[int | None, int | None]:
    low = high = None
    for item in metadata:
        if isinstance(item, FieldInfo):
            low, high = (_limits(item.metadata)[0] or low), (_limits(item.metadata)[1] or high)
        if isinstance(item, MinLen):
            low = item.min_length
        if isinstance(item, MaxLen):
            high = item.max_length
    return low, high


def _validators(metadata: list[Any]) -> set[Any]:
    return {m.func for m in metadata if isinstance(m, AfterValidator)}


def _vocabulary(metadata: list[Any]) -> field_types.Vocabulary | None:
    return next((m for m in metadata if isinstance(m, field_types.Vocabulary)), None)


def _value_widget(annotation: Any, metadata: list[Any], name: str) -> Widget:
    """The widget of one value (a list's item, or a field's value)."""
    vocabulary = _vocabulary(metadata)
    if vocabulary is not None:
        labels = {**vocabulary.labels, **EXTRA_LABELS}
        options = [{"label": labels[c], "value": c} for c in vocabulary.choices]
        return {"widget": "select", "options": options}
    checks = _validators(metadata)
    if field_types._territory in checks:
        return {"widget": "select", "options": territory_options()}
    if annotation is date:
        return {
            "widget": "datetime",
            "format": "YYYY-MM-DD",
            "date_format": "DD/MM/YYYY",
            "time_format": False,
            "picker_utc": True,
        }
    if annotation is int:
        return {"widget": "number", "value_type": "int", "min": 0}
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return {"widget": "object", "collapsed": False, "fields": fields_of(annotation)}
    widget: Widget = {"widget": "string"}
    _, high = _limits(metadata)
    if field_types._https_url in checks:
        widget["pattern"] = ["^https://\\S+$", "une adresse complète en https:// est attendue"]
    elif field_types._email in checks:
        widget["pattern"] = ["^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", "adresse électronique invalide"]
    elif high is not None:
        widget["widget"] = "text" if high > LONG_TEXT else "string"
        widget["pattern"] = [f"^[\\s\\S]{{1,{high}}}$", f"{high} caractères au plus"]
    return widget


def field_widget(name: str, info: FieldInfo) -> Widget:
    annotation, metadata, optional = _unwrap(info.annotation, list(info.metadata))
    required = info.is_required() and not optional
    base: Widget = {"name": name, "label": LABELS.get(name, name.replace("_", " ").capitalize())}
    if info.description:
        base["hint"] = info.description
    if get_origin(annotation) is list:
        item, item_meta, _ = _unwrap(get_args(annotation)[0], [])
        low, _ = _limits(metadata)
        if name == "reseaux":  # slugs of networks: pick them among the network files
            widget: Widget = {
                "widget": "relation",
                "collection": "reseaux",
                "value_field": "{{slug}}",
                "search_fields": ["nom"],
                "display_fields": ["nom"],
                "multiple": True,
            }
        else:
            inner = _value_widget(item, item_meta, name)
            if inner["widget"] == "select":
                widget = {**inner, "multiple": True}
                if low:
                    widget["min"] = low
            else:
                widget = {
                    "widget": "list",
                    "field": {"name": name, "label": base["label"], **inner},
                }
                if low:
                    widget["min"] = low
    else:
        widget = _value_widget(annotation, metadata, name)
    return {**base, **widget, "required": required}


def fields_of(kind: type[BaseModel]) -> list[Widget]:
    return [field_widget(name, info) for name, info in kind.model_fields.items()]
