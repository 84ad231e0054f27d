"""The home page, a search page with its results first: the search line (keywords and the
department), the facets with French labels and counts (a side panel, a « Filtres » panel on
phones), the compact guided entry, the results area, and the plain territory links."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from generator import alert_pages, result_cards
from generator.content import territories, urls
from generator.content.reasons import REASONS
from generator.content.vocabularies import (
    AGREMENTS,
    BESOINS,
    EFFECTIFS,
    ETAPES,
    NATURES,
    SECTEURS,
    STATUTS,
    STRUCTURES,
)
from generator.enrich import Site
from generator.lexicon import lexicon
from generator.listings import facet_counts
from generator.pages import COMMUNES_SCRIPT, STATE_SCRIPT, PageSpec, render
from generator.search_terms import acronyms

SCRIPT = "assets/aidess/recherche.js"  # the search, over the parts below (loaded before it)
RANKING = "assets/aidess/classement.js"  # pertinence, sources.js re-ranks with it
WORDS = "assets/aidess/mots.js"  # the visitor's words read with the lexicon
LISTINGS = "assets/aidess/listes.js"  # territory choices without words (generator/listing_files.py)
PROFILE = "assets/aidess/profil.js"  # « Votre structure », kept on the visitor's device
PARTS = (
    STATE_SCRIPT,  # the state in the URL, the callback form's URL
    "assets/aidess/moteur.js",  # Pagefind
    "assets/aidess/sources.js",  # a territory's listing or Pagefind, and the results' order
    "assets/aidess/cartes.js",  # the result cards
    "assets/aidess/facettes.js",  # the form, chips and counts
    "assets/aidess/panneau.js",  # the phone's filter panel, the department type-ahead
    "assets/aidess/alertes.js",  # the alert form takes the search's filters
)
NOJS_ACTION = "/recherche"  # form service: answers with the territory page (no JavaScript)


@dataclass(frozen=True)
class Facet:
    name: str  # URL query name = Pagefind filter name
    label: str
    options: list[tuple[str, str, int]]  # value, French label, count
    hint: str = ""


def _options(labels: dict[str, str], counts: dict[str, int]) -> list[tuple[str, str, int]]:
    return [(slug, label, counts.get(slug, 0)) for slug, label in labels.items()]


def facets(site: Site) -> tuple[list[Facet], list[Facet]]:
    """Select-box facets (territories) and checkbox facets, with build-time counts of the
    aids shown by default (closed ones left out, except in the status facet)."""
    ref = territories.reference()
    counts = facet_counts(site)
    regions = {code: r.nom for code, r in sorted(ref.regions.items(), key=lambda i: i[1].nom)}
    departements = {code: f"{code} – {d.nom}" for code, d in ref.departments.items()}
    selects = [
        Facet("region", "Région", _options(regions, counts["region"])),
        Facet("departement", "Département", _options(departements, counts["departement"])),
    ]  # the department is in the search line, by region (home_page)
    checks = [
        Facet("secteur", "Secteur", _options(SECTEURS, counts["secteur"])),
        Facet("besoin", "Besoin", _options(BESOINS, counts["besoin"])),
        Facet("structure", "Type de structure", _options(STRUCTURES, counts["structure"])),
        Facet("effectif", "Nombre de salariés", _options(EFFECTIFS, counts["effectif"])),
        Facet("etape", "Étape du projet", _options(ETAPES, counts["etape"])),
        Facet("nature", "Nature de l'aide", _options(NATURES, counts["nature"])),
        Facet(
            "statut",
            "État",
            _options(STATUTS, counts["statut"]),
            hint="Sans choix, les aides clôturées sont masquées.",
        ),
    ]
    return selects, checks


def _regions() -> list[dict[str, Any]]:
    ref = territories.reference()
    return [
        {
            "nom": region.nom,
            "url": urls.region(code),
            "departements": [
                {"code": d.code, "nom": d.nom, "url": urls.departement(d.code)}
                for d in ref.departments_of_region(code)
            ],
        }
        for code, region in sorted(ref.regions.items(), key=lambda i: i[1].nom)
    ]


def _departements(site: Site) -> list[tuple[str, str, str, str, int]]:
    """The search line's department options: code, label, name, region and count, the departments
    with the most aids first (then by code). The script jumps to a department as its number or
    name is typed (panneau.js `typeAhead`)."""
    counts = facet_counts(site)["departement"]
    ref = territories.reference()
    options = [
        (code, f"{code} – {d.nom}", d.nom, d.region, counts.get(code, 0))
        for code, d in ref.departments.items()
    ]
    return sorted(options, key=lambda o: (-o[4], o[0]))


def home_page(site: Site) -> PageSpec:
    selects, checks = facets(site)
    sigles = sorted({s for entry in site.aides.values() if entry.open for s in acronyms(entry)})
    guide = [
        ("structure", "Ma structure est", STRUCTURES),
        ("effectif", "Nombre de salariés", EFFECTIFS),
        ("secteur", "Mon secteur", SECTEURS),
        ("besoin", "Mon besoin", BESOINS),
    ]
    profil = [q for q in guide if q[0] != "besoin"]  # « Votre structure » (profil.js)
    html = render(
        "home.html",
        total=sum(1 for a in site.aides.values() if a.open),
        ouvertes=sum(1 for a in site.aides.values() if a.open and a.statut != "a-confirmer"),
        a_confirmer=sum(1 for a in site.aides.values() if a.statut == "a-confirmer"),
        cards=result_cards.first_cards(site),
        regions=_regions(),
        departements=_departements(site),
        guide=guide,
        profil=profil,
        agrements=AGREMENTS,
        privacy_url=urls.PRIVACY_PATH,
        selects=[f for f in selects if f.name != "departement"],
        checks=checks,
        shown_by_default=[s for s in STATUTS if s != "cloturee"],
        sigles=sigles,
        lexique=json.dumps(lexicon(site.synonymes), ensure_ascii=False, separators=(",", ":")),
        raisons=json.dumps(REASONS, ensure_ascii=False, separators=(",", ":")),
        form_url=urls.form(),
        nojs_action=NOJS_ACTION,
        alerte=alert_pages.home(),
    )
    return PageSpec(
        "/",
        "Accueil",
        before=html,
        script=SCRIPT,
        helpers=(COMMUNES_SCRIPT, RANKING, WORDS, LISTINGS, PROFILE, *PARTS),
        hide=("toc",),
    )
