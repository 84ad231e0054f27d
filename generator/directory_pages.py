"""The pages a visitor expects besides the search: every aid (/aides/) and every network
(/reseaux/) as plain grouped links, and the coverage map (/couverture/): for each department
and need, the networks that take such callback requests, gaps shown."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any

from generator.content import territories, urls
from generator.content.vocabularies import BESOINS, FAMILLES, STATUTS
from generator.enrich import AideEntry, ReseauEntry, Site
from generator.pages import PageSpec, render

# Column headings of the coverage grid (the full label is in each heading's title row).
BESOINS_COURTS: dict[str, str] = {
    "tresorerie": "Trésorerie",
    "financer-projet": "Projet, investissement",
    "emploi": "Emploi",
    "benevolat": "Bénévolat",
    "gouvernance": "Gouvernance",
    "modele-economique": "Modèle économique",
    "formation": "Se former",
    "numerique": "Numérique",
    "administratif": "Démarches, dossier",
    "locaux": "Locaux, matériel",
    "transition-ecologique": "Transition écologique",
    "cooperation": "Coopérer",
    "creation": "Création",
}


def initial(title: str) -> str:
    """The letter an aid is filed under: « Éco… » under E, « 1 jeune… » under 0-9, « « Santé
    vous bien » » under S (quotes and punctuation before the first word do not count)."""
    letters = [c for c in unicodedata.normalize("NFD", title) if c.isalnum()]
    first = letters[0].upper() if letters else ""
    if first.isdigit():
        return "0-9"
    return first if "A" <= first <= "Z" else "Autres"


def _aid_link(entry: AideEntry) -> dict[str, str]:
    aide = entry.data
    return {
        "url": urls.aide(entry.slug),
        "titre": aide.titre,
        "statut": entry.statut,
        "statut_label": STATUTS[entry.statut],
        "territoire": territories.describe(aide.territoires, aide.exclusions),
    }


def aides_page(site: Site) -> PageSpec:
    """Every aid, by initial letter; closed aids last, in their own section."""
    letters: dict[str, list[dict[str, str]]] = {}
    closed = []
    for entry in site.aides.values():  # by title
        if entry.open:
            letters.setdefault(initial(entry.data.titre), []).append(_aid_link(entry))
        else:
            closed.append(_aid_link(entry))
    html = render(
        "aides.html",
        lettres=dict(sorted(letters.items())),
        cloturees=closed,
        total=sum(len(v) for v in letters.values()),
        search_url=urls.search({}),
    )
    return PageSpec(urls.AIDES_PATH, "Toutes les aides", before=html)


def reseaux_page(site: Site) -> PageSpec:
    """Every network, by family, with its territory."""
    familles: dict[str, list[dict[str, str]]] = {f: [] for f in FAMILLES}
    for entry in site.reseaux.values():  # by name
        familles[entry.data.famille].append(
            {
                "url": urls.reseau(entry.slug),
                "nom": entry.data.nom,
                "territoire": territories.describe(entry.data.territoires),
                "rappel": "oui" if entry.data.demandes else "",
            }
        )
    groups = [(FAMILLES[f], items) for f, items in familles.items() if items]
    html = render("reseaux.html", familles=groups, total=len(site.reseaux), form_url=urls.form())
    return PageSpec(urls.RESEAUX_PATH, "Tous les réseaux d'accompagnement", before=html)


@dataclass(frozen=True)
class Coverage:
    """Networks that take callback requests, per department and need (docs/interfaces.md §3: they
    have `demandes`, cover the department and list the need)."""

    cells: dict[str, dict[str, list[ReseauEntry]]]  # department code → need → networks

    def count(self, departement: str, besoin: str) -> int:
        return len(self.cells[departement][besoin])

    def gaps(self) -> int:
        return sum(1 for needs in self.cells.values() for nets in needs.values() if not nets)


def coverage(site: Site) -> Coverage:
    ref = territories.reference()
    cells: dict[str, dict[str, list[ReseauEntry]]] = {
        code: {b: [] for b in BESOINS} for code in ref.departments
    }
    for entry in site.reseaux.values():
        if entry.data.demandes is None:
            continue
        # A network of a city or an EPCI leaves its department's cell a gap: it takes only
        # the requests naming one of its communes (docs/interfaces.md §3).
        for code in entry.entiers:
            for besoin in entry.data.besoins:
                cells[code][besoin].append(entry)
    return Coverage(cells)


def heat(count: int) -> str:
    """Class of a grid cell: none, one, two, three or more networks."""
    return f"aidess-heat--{min(count, 3)}"


def couverture_page(site: Site) -> PageSpec:
    ref = territories.reference()
    cover = coverage(site)
    regions: list[dict[str, Any]] = []
    for code, region in sorted(ref.regions.items(), key=lambda i: i[1].nom):
        rows = []
        for dep in ref.departments_of_region(code):
            needs = cover.cells[dep.code]
            rows.append(
                {
                    "code": dep.code,
                    "nom": dep.nom,
                    "url": urls.departement(dep.code),
                    "cells": [(b, len(needs[b]), heat(len(needs[b]))) for b in BESOINS],
                    "manques": [BESOINS[b] for b in BESOINS if not needs[b]],
                    "reseaux": [
                        (
                            BESOINS[b],
                            [{"url": urls.reseau(r.slug), "nom": r.data.nom} for r in needs[b]],
                        )
                        for b in BESOINS
                    ],
                }
            )
        regions.append({"nom": region.nom, "rows": rows})
    empty = [
        f"{d.nom} ({d.code})"
        for d in ref.departments.values()
        if not any(cover.cells[d.code].values())
    ]
    html = render(
        "couverture.html",
        regions=regions,
        besoins=BESOINS,
        courts=BESOINS_COURTS,
        cases=len(ref.departments) * len(BESOINS),
        manques=cover.gaps(),
        vides=empty,
        form_url=urls.form(),
    )
    return PageSpec(urls.COUVERTURE_PATH, "Couverture des réseaux d'accompagnement", before=html)


def directory_pages(site: Site) -> list[PageSpec]:
    return [aides_page(site), reseaux_page(site), couverture_page(site)]
