"""Territory pages, the no-JavaScript path: each department and region lists the open aids and
networks specific to it; national ones are listed once, on /territoires/france/ and one page
per need, which every territory page links to with their counts."""

from __future__ import annotations

from typing import Any

from generator import alert_pages, calendars
from generator.content import matching, territories, urls
from generator.content.vocabularies import BESOINS, FAMILLES
from generator.listings import Listing, Listings
from generator.pages import PageSpec, render


def _counts(france: Listing) -> dict[str, int]:
    return {besoin: len(aides) for besoin, aides in france.by_besoin.items()}


def place_note(territoires: list[str], exclusions: list[str], area: str) -> str:
    """« Roubaix seulement » for an item inside the area without covering it (an EPCI, a
    commune; a department of a region), else "" (docs/interfaces.md §2)."""
    inside = matching.places_in(territoires, exclusions, area)
    if not inside:
        return ""
    ref = territories.reference()
    return ", ".join(ref.name(key) for key in inside) + " seulement"


def _territory(
    url: str,
    titre: str,
    listing: Listing,
    france: Listing,
    search: dict[str, list[str]],
    area: str,
    **extra: Any,
) -> PageSpec:
    # The items covering the area first, then those inside it, each with its place.
    lieux: dict[str, str] = {}
    for aides in listing.by_besoin.values():
        for a in aides:  # an aid is under each of its needs: its note is found once
            if a.slug not in lieux:
                lieux[a.slug] = place_note(a.data.territoires, a.data.exclusions, area)
    lieux_reseaux = {r.slug: place_note(r.data.territoires, [], area) for r in listing.reseaux}
    by_besoin = {
        besoin: sorted(aides, key=lambda a: bool(lieux[a.slug]))
        for besoin, aides in listing.by_besoin.items()
    }
    reseaux = sorted(listing.reseaux, key=lambda r: bool(lieux_reseaux[r.slug]))
    html = render(
        "territoire.html",
        titre=titre,
        listing=listing,
        by_besoin=by_besoin,
        reseaux=reseaux,
        lieux=lieux,
        lieux_reseaux=lieux_reseaux,
        national=_counts(france),
        national_total=france.count,
        france=france,
        national_reseaux=len(france.reseaux),
        besoins=BESOINS,
        familles=FAMILLES,
        search_url=urls.search(search),
        form_url=urls.form(),
        **extra,
    )
    return PageSpec(url, titre, before=html)


def region_page(code: str, listings: Listings) -> PageSpec:
    ref = territories.reference()
    enfants = [
        {"url": urls.departement(d.code), "nom": f"{d.nom} ({d.code})"}
        for d in ref.departments_of_region(code)
    ]
    nom = ref.regions[code].nom
    return _territory(
        urls.region(code),
        f"Aides et réseaux en région {nom}",
        listings.region(code),
        listings.france,
        {"region": [code]},
        f"REG-{code}",
        enfants=enfants if len(enfants) > 1 else [],
        alerte=alert_pages.territory(region=code),
    )


def departement_page(code: str, listings: Listings) -> PageSpec:
    ref = territories.reference()
    dep = ref.departments[code]
    parent = {"url": urls.region(dep.region), "nom": ref.regions[dep.region].nom}
    return _territory(
        urls.departement(code),
        f"Aides et réseaux : {dep.nom} ({code})",
        listings.departement(code),
        listings.france,
        {"departement": [code]},
        f"DEP-{code}",
        parent=parent,
        alerte=alert_pages.territory(departement=code),
        agenda=calendars.departement_url(code),
    )


def france_page(france: Listing) -> PageSpec:
    ref = territories.reference()
    regions = [
        {"url": urls.region(code), "nom": r.nom}
        for code, r in sorted(ref.regions.items(), key=lambda i: i[1].nom)
    ]
    titre = "Aides et réseaux nationaux (France entière)"
    html = render(
        "france.html",
        titre=titre,
        listing=france,
        besoins=BESOINS,
        familles=FAMILLES,
        regions=regions,
        form_url=urls.form(),
    )
    return PageSpec(urls.france(), titre, before=html)


def _exclusions(codes: list[str]) -> str:
    ref = territories.reference()
    return "sauf " + ", ".join(ref.name(c) for c in codes) if codes else ""


def france_besoin_page(besoin: str, france: Listing) -> PageSpec:
    titre = f"Aides nationales : {BESOINS[besoin]}"
    aides = [
        {"url": urls.aide(a.slug), "titre": a.data.titre, "note": _exclusions(a.data.exclusions)}
        for a in france.by_besoin.get(besoin, [])
    ]
    html = render(
        "france_besoin.html",
        titre=titre,
        aides=aides,
        search_url=urls.search({"besoin": [besoin]}),
        form_url=urls.form(),
    )
    return PageSpec(urls.france(besoin), titre, before=html)


def territory_pages(listings: Listings) -> list[PageSpec]:
    """France, its per-need pages (every need, so links never break), regions, departments."""
    ref = territories.reference()
    pages = [france_page(listings.france)]
    pages += [france_besoin_page(besoin, listings.france) for besoin in BESOINS]
    pages += [region_page(code, listings) for code in ref.regions]
    pages += [departement_page(code, listings) for code in ref.departments]
    return pages
