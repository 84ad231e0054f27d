"""The alert subscription form (templates/alertes_form.html) as each page shows it, and the
content of the two pages of its own: /alertes/ (every filter) and /alertes/envoyee/
(« check your inbox »).

The form service renders the same template, with values and errors, and reuses these pages as
the frame of the pages it answers itself (form_service/alerts/pages.py): their content lies
between START_MARK and END_MARK.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any

from markupsafe import Markup, escape

from generator.content import territories
from generator.content.forms.fields import HONEYPOT
from generator.content.forms.rendering import render
from generator.content.vocabularies import BESOINS, EFFECTIFS, SECTEURS, STRUCTURES

ACTION = "/alertes"  # routed to the form service on the site's origin, like its links
PAGE_PATH = "/alertes/"
SENT_PATH = "/alertes/envoyee/"
START_MARK = "<!--aidess-alertes-->"
END_MARK = "<!--/aidess-alertes-->"
HEADING = "Recevoir les nouvelles aides par courriel"
INTRO = (
    "Chaque lundi, un courriel avec les aides nouvelles, les sessions qui rouvrent et les "
    "dates limites qui approchent, seulement quand il y a du nouveau ; si vous le demandez, "
    "un rappel 15 jours avant chaque date limite. Gratuit, sans compte ; un lien dans chaque "
    "courriel pour se désabonner."
)
LABELS: dict[str, str] = {
    "email": "Adresse électronique",
    "departement": "Département",
    "commune": "Commune",
    "region": "Région",
    "secteur": "Secteur",
    "besoin": "Besoins",
    "structure": "Type de structure",
    "effectif": "Nombre de salariés",
    "echeances": "Dates limites",
    "consentement": "Consentement",
}
Values = Mapping[str, str | list[str]]


@cache
def _regions() -> tuple[tuple[str, str, tuple[tuple[str, str], ...]], ...]:
    """(code, name, ((department code, name), …)) by region name."""
    ref = territories.reference()
    return tuple(
        (code, region.nom, tuple((d.code, d.nom) for d in ref.departments_of_region(code)))
        for code, region in sorted(ref.regions.items(), key=lambda i: i[1].nom)
    )


@cache
def departement_options(selected: str, everything: str) -> Markup:
    """The department <option>s, grouped by region, rendered once per selection (every aid
    page has the select: the build renders it thousands of times)."""
    out = [f'<option value="">{escape(everything)}</option>']
    for _, nom, departements in _regions():
        out.append(f'<optgroup label="{escape(nom)}">')
        for code, name in departements:
            chosen = " selected" if code == selected else ""
            out.append(f'<option value="{code}"{chosen}>{code} – {escape(name)}</option>')
        out.append("</optgroup>")
    return Markup("".join(out))


@cache
def region_options(selected: str) -> Markup:
    out = ['<option value="">Toutes</option>']
    for code, nom, _ in _regions():
        chosen = " selected" if code == selected else ""
        out.append(f'<option value="{code}"{chosen}>{escape(nom)}</option>')
    return Markup("".join(out))


def _lists(values: Values) -> dict[str, Any]:
    """Form values with the repeated fields as lists, as the template reads them."""
    out: dict[str, Any] = {}
    for name, value in values.items():
        if name in ("secteur", "besoin", "structure", "effectif"):
            out[name] = [value] if isinstance(value, str) else list(value)
        else:
            out[name] = value if isinstance(value, str) else (value[0] if value else "")
    return out


def context(
    *,
    full: bool = False,
    action: str = ACTION,
    choose_departement: bool = True,
    hidden: Sequence[tuple[str, str]] = (),
    summary: str = "",
    copy_filters: bool = False,
    values: Values | None = None,
    errors: Mapping[str, str] | None = None,
    key: str | None = None,
    with_email: bool = True,
    heading: str = HEADING,
    intro: str = INTRO,
    submit: str = "Recevoir les alertes",
) -> dict[str, Any]:
    lists = _lists(values or {})
    return {
        "full": full,
        "action": action,
        "choose_departement": choose_departement or full,
        "hidden": list(hidden),
        "summary": summary,
        "copy_filters": copy_filters,
        "given": lists,
        "errors": dict(errors or {}),
        "key": key,
        "with_email": with_email,
        "heading": heading,
        "intro": intro,
        "submit": submit,
        "labels": LABELS,
        "honeypot": HONEYPOT,
        "departement_options": departement_options(
            str(lists.get("departement", "")), "Tous" if full else "Toute la France"
        ),
        "region_options": region_options(str(lists.get("region", ""))),
        "vocabularies": {
            "besoin": BESOINS,
            "secteur": SECTEURS,
            "structure": STRUCTURES,
            "effectif": EFFECTIFS,
        },
    }


def form_html(alerte: dict[str, Any]) -> Markup:
    return Markup(render("alertes_form.html", alerte=alerte))


def framed(html: str) -> str:
    return f"{START_MARK}{html}{END_MARK}"


def sent_page() -> str:
    """The content of /alertes/envoyee/ (« check your inbox »)."""
    return framed(render("alertes_envoyee.html"))


def page(values: Values | None = None, errors: Mapping[str, str] | None = None) -> str:
    """The content of /alertes/: every filter (the service shows it again with errors)."""
    form = form_html(context(full=True, values=values, errors=errors, heading="", intro=""))
    return framed(render("alertes.html", form=form))
