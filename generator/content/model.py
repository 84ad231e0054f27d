"""The content model of docs/interfaces.md §1: one pydantic model per kind, the single source of
truth for `aidess validate`, the build and the JSON Schemas editors use. Its field types are in
generator/content/types.py."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictInt

from generator.content.schema import published
from generator.content.types import (
    Agrement,
    Besoin,
    Day,
    Effectif,
    Email,
    Etape,
    Famille,
    HttpsUrl,
    Nature,
    Recurrence,
    Secteur,
    Slug,
    Structure,
    TerritoryCode,
    Text,
    _list,
)


class _Content(BaseModel):
    # Unknown keys are errors: a typo ("secteur:") must not silently drop a filter.
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Montant(_Content):
    min: StrictInt | None = Field(None, ge=0, description="Montant minimum en euros")
    max: StrictInt | None = Field(None, ge=0, description="Montant maximum en euros")
    texte: Text | None = Field(None, max_length=300, description="Montant en clair")


class Session(_Content):
    # Many past calls are known only by their deadline: the opening is then left out.
    ouverture: Day | None = Field(
        None, description="Ouverture de la session (AAAA-MM-JJ), si elle est connue"
    )
    cloture: Day = Field(description="Date limite de la session (AAAA-MM-JJ)")


# A recurring aid whose sources give no dated session at all says so explicitly.
UNKNOWN_SESSION = "inconnue"


class Demandes(_Content):
    email: Email = Field(description="Adresse qui reçoit les demandes de rappel")


class Aide(_Content):
    """Une aide : un fichier de content/aides/."""

    titre: Text = Field(max_length=180, description="Nom de l'aide")
    # 180: the `promesse` limit of Etalab's dispositif-aide schema (/donnees/aides.csv).
    resume: Text = Field(max_length=180, description="Promesse en une phrase (listes)")
    porteurs: list[Text] = _list(description="Organisations qui portent l'aide")
    natures: list[Nature] = _list(description="Natures de l'aide")
    besoins: list[Besoin] = _list(description="Besoins couverts")
    secteurs: list[Secteur] = _list(description="Secteurs, ou [tous]")
    structures: list[Structure] = _list(description="Formes juridiques éligibles")
    etapes: list[Etape] | None = Field(None, min_length=1, description="Absent = toutes")
    effectif_min: StrictInt | None = Field(
        None, ge=0, description="Effectif minimum en ETP (1 = employeurs seulement)"
    )
    effectif_max: StrictInt | None = Field(None, ge=0, description="Effectif maximum en ETP")
    agrements: list[Agrement] = Field(
        default_factory=list, description="Agréments que la structure doit tous détenir"
    )
    pour_qui: Text = Field(
        max_length=160,
        description="La condition décisive, en une phrase (« Associations employeuses de "
        "moins de 30 salariés »), affichée sur chaque carte",
    )
    territoires: list[TerritoryCode] = _list(description="Où l'aide s'applique")
    exclusions: list[TerritoryCode] = Field(default_factory=list, description="Territoires exclus")
    montant: Montant | None = None
    recurrence: Recurrence = Field(
        description="ponctuelle (date limite obligatoire), permanente (toute l'année) ou "
        "recurrente (une session par an ou presque : periode obligatoire)"
    )
    periode: Text | None = Field(
        None,
        max_length=200,
        description="Pour une aide récurrente : quand les sessions ont lieu d'habitude "
        "(ex. « chaque année, de décembre à mars »)",
    )
    ouverture: Day | None = Field(
        None, description="Ouverture de l'aide ou de sa session en cours ou à venir (AAAA-MM-JJ)"
    )
    cloture: Day | None = Field(
        None, description="Date limite de l'aide ou de sa session en cours ou à venir"
    )
    source: HttpsUrl = Field(description="Page officielle (https)")
    demarche: HttpsUrl | None = Field(
        None, description="Page où l'on fait la demande (Le Compte Asso, portail régional…)"
    )
    mise_a_jour: Day = Field(description="Dernière vérification auprès de la source")
    derniere_session: Session | Literal["inconnue"] | None = Field(
        None,
        description="Aide récurrente : dernière session connue, quand la prochaine ne l'est pas "
        "({ouverture, cloture}, ou seulement cloture) ; « inconnue » si aucune session datée "
        "n'a été trouvée",
    )
    reseaux: list[Slug] = Field(
        default_factory=list, description="Réseaux qui aident à monter le dossier"
    )


class Reseau(_Content):
    """Un réseau d'accompagnement : un fichier de content/reseaux/."""

    nom: Text = Field(max_length=180, description="Nom du réseau")
    resume: Text = Field(max_length=300, description="Présentation en une phrase")
    famille: Famille
    territoires: list[TerritoryCode] = _list(description="Territoires couverts")
    besoins: list[Besoin] = _list(description="Besoins accompagnés")
    secteurs: list[Secteur] = _list(description="Secteurs, ou [tous]")
    structures: list[Structure] | None = Field(None, min_length=1, description="Absent = toutes")
    etapes: list[Etape] | None = Field(None, min_length=1, description="Absent = toutes")
    effectifs: list[Effectif] | None = Field(
        None, min_length=1, description="Tailles accompagnées ; absent = toutes"
    )
    site: HttpsUrl | None = None
    telephone: Text | None = Field(None, max_length=40)
    adresse: Text | None = Field(None, max_length=300)
    demandes: Demandes | None = Field(None, description="Absent = listé, jamais destinataire")
    coordination: list[TerritoryCode] = Field(
        default_factory=list,
        description="Territoires dont le réseau coordonne les demandes restées sans réponse",
    )
    mise_a_jour: Day = Field(description="Dernière vérification")


MODELS: dict[str, type[_Content]] = {"aide": Aide, "reseau": Reseau}


def json_schema(kind: str) -> dict[str, Any]:
    """JSON Schema of one content kind, for editors' tooling and the open-data page."""
    return published(kind, MODELS[kind].model_json_schema())
