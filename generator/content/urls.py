"""Public URL scheme of the site, shared by the generator and the form service's emails."""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import urlencode

from generator.content.slugs import slugify
from generator.content.territories import reference

FORM_PATH = "/demande/"
CONFIRMATION_PATH = "/demande/envoyee/"
DATA_PATH = "/donnees/"
FRANCE_PATH = "/territoires/france/"  # national aids and networks, listed once
AIDES_PATH = "/aides/"  # every aid, grouped, plain links
RESEAUX_PATH = "/reseaux/"  # every network, by family
COUVERTURE_PATH = "/couverture/"  # department × need → networks taking such requests
PRIVACY_PATH = "/donnees-personnelles/"  # « Données personnelles »


def aide(slug: str) -> str:
    return f"/aides/{slug}/"


def reseau(slug: str) -> str:
    return f"/reseaux/{slug}/"


def france(besoin: str | None = None) -> str:
    """The national listing, or its page for one need (BESOINS slug)."""
    return FRANCE_PATH + (f"{besoin}/" if besoin else "")


def region(code: str) -> str:
    return f"/territoires/{slugify(reference().regions[code].nom)}/"


def departement(code: str) -> str:
    dep = reference().departments[code]
    return f"{region(dep.region)}{slugify(dep.nom)}/"


# The visitor's answers under their three names (docs/interfaces.md §5, « the answers
# travel »): the search's query (and the alert form's fields) → the callback form's fields.
# The build writes it into the pages whose scripts carry the answers (generator/pages.py
# `PageSpec.answers`): theme/assets/aidess/parcours.js and etat.js `callbackUrl` read it there.
SEARCH_TO_FORM: dict[str, str] = {
    "departement": "departement",
    "commune": "commune",
    "structure": "forme",
    "effectif": "effectif",
    "secteur": "secteur",
    "besoin": "besoins",
    "etape": "etape",
}


def form(
    aide_slug: str | None = None,
    departement: str | None = None,
    besoins: Sequence[str] = (),
) -> str:
    """The callback form, with the aid it comes from preselected and, when known, the
    department and the aid's needs ticked (the form reads them from its query string)."""
    pairs = [(k, v) for k, v in (("aide", aide_slug), ("departement", departement)) if v]
    pairs += [("besoins", b) for b in besoins]
    return FORM_PATH + (f"?{urlencode(pairs)}" if pairs else "")


def search(filters: dict[str, list[str]]) -> str:
    """Home page with search filters set (the same query string the home page reads)."""
    pairs = [(name, value) for name, values in filters.items() for value in values]
    return "/" + (f"?{urlencode(pairs)}" if pairs else "")
