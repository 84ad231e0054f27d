"""The « Proposer une aide » form (templates/proposer_form.html): its French labels and the
content of /contribuer/proposer/ and of its thank-you page. The service renders the same form
with the values and errors of a proposal to correct (form_service/propositions/)."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

from markupsafe import Markup

from generator.content import territories
from generator.content.forms.fields import HONEYPOT
from generator.content.forms.rendering import render
from generator.content.proposal import LISTS, Raw
from generator.content.vocabularies import (
    AGREMENTS,
    BESOINS,
    ETAPES,
    NATURES,
    SECTEURS,
    STRUCTURES,
    TOUS,
)

ACTION = "/propositions"  # routed to the form service on the site's origin, like /alertes
PAGE_PATH = "/contribuer/proposer/"
THANKS_PATH = "/contribuer/proposer/merci/"
HEADING = "Proposer une aide"
START_MARK = "<!--aidess-proposer-->"
END_MARK = "<!--/aidess-proposer-->"
TERRITORY_INPUTS = 4  # blank ones are ignored; a fifth territory goes in the description
EXCLUSION_INPUTS = 2

LABELS: dict[str, str] = {
    "titre": "Nom de l'aide",
    "resume": "Ce que l'aide apporte, en une phrase",
    "pour_qui": "Pour qui : la condition décisive, en une phrase",
    "porteurs": "Qui porte l'aide",
    "natures": "Nature de l'aide",
    "montant_min": "Montant minimum (€)",
    "montant_max": "Montant maximum (€)",
    "montant_texte": "Montant en clair",
    "structures": "Structures éligibles",
    "secteurs": "Secteurs",
    "besoins": "Besoins couverts",
    "etapes": "Étapes du projet",
    "effectif_min": "Salariés au minimum (ETP)",
    "effectif_max": "Salariés au maximum (ETP)",
    "agrements": "Agréments exigés",
    "territoires": "Territoires où l'aide s'applique",
    "exclusions": "Territoires exclus",
    "recurrence": "Quand peut-on la demander ?",
    "periode": "Période habituelle des sessions",
    "ouverture": "Ouverture",
    "cloture": "Date limite",
    "derniere_session_ouverture": "Dernière session connue : ouverture",
    "derniere_session_cloture": "Dernière session connue : date limite",
    "source": "Adresse de la page officielle",
    "demarche": "Adresse où faire la demande",
    "description": "Description",
    "email": "Votre adresse électronique",
    "consentement": "Consentement",
}
REQUIRED = frozenset({"titre", "resume", "pour_qui", "porteurs", "natures", "structures",
                      "secteurs", "besoins", "territoires", "recurrence", "source",
                      "description"})  # fmt: skip
RECURRENCE_LABELS = {
    "ponctuelle": "Une seule fois, avant une date limite",
    "permanente": "Toute l'année",
    "recurrente": "Une session chaque année ou presque",
}


@cache
def territory_names() -> tuple[str, ...]:
    """The suggestions of the territory fields: France, the regions, the departments as
    « Nord (59) »; a commune or an intercommunality is typed by its name."""
    ref = territories.reference()
    regions = sorted(region.nom for region in ref.regions.values())
    departments = [f"{d.nom} ({d.code})" for d in ref.departments.values()]
    return ("France entière", *regions, *departments)


def _given(values: Raw) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, value in values.items():
        if name in LISTS and name != "porteurs":
            out[name] = [value] if isinstance(value, str) else list(value)
        else:
            out[name] = value if isinstance(value, str) else "\n".join(value)
    return out


def form(
    action: str = ACTION,
    values: Raw | None = None,
    errors: Mapping[str, str] | None = None,
) -> str:
    """The <form>, with the values and errors of a proposal to correct."""
    given = _given(values or {})
    for name, count in (("territoires", TERRITORY_INPUTS), ("exclusions", EXCLUSION_INPUTS)):
        typed = [v for v in given.get(name, []) if v.strip()]
        given[name] = typed + [""] * max(count - len(typed), 0)
    return render(
        "proposer_form.html",
        action=action,
        given=given,
        errors=dict(errors or {}),
        labels=LABELS,
        required=REQUIRED,
        honeypot=HONEYPOT,
        natures=NATURES,
        besoins=BESOINS,
        secteurs={TOUS: "Tous les secteurs", **SECTEURS},
        structures=STRUCTURES,
        etapes=ETAPES,
        agrements=AGREMENTS,
        recurrences=RECURRENCE_LABELS,
        territory_names=territory_names(),
    )


def page(
    action: str = ACTION, values: Raw | None = None, errors: Mapping[str, str] | None = None
) -> str:
    """The content of /contribuer/proposer/ (the service swaps it to show errors)."""
    html = render("proposer.html", form=Markup(form(action, values, errors)))
    return f"{START_MARK}{html}{END_MARK}"


def thanks_page() -> str:
    return render("proposer_merci.html")
