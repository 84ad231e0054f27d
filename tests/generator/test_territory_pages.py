from __future__ import annotations

from datetime import date

from generator.content import urls
from generator.content.vocabularies import BESOINS
from generator.enrich import enrich
from generator.listings import Listings, territory_listings
from generator.territory_pages import (
    departement_page,
    france_besoin_page,
    france_page,
    region_page,
    territory_pages,
)
from tests.generator.test_enrich import aide, catalog, reseau

TODAY = date(2026, 3, 1)


def _listings() -> Listings:
    site = enrich(
        catalog(
            {
                "nat-emploi": aide(titre="Nationale", besoins=["emploi"]),
                "nat-sauf": aide(titre="Sauf Nord", besoins=["emploi"], exclusions=["DEP-59"]),
                "nord": aide(titre="Du Nord", besoins=["locaux"], territoires=["DEP-59"]),
                "hdf": aide(titre="Des Hauts", besoins=["emploi"], territoires=["REG-32"]),
            },
            {"nat": reseau(nom="Réseau national", territoires=["FR"]), "dla": reseau()},
        ),
        TODAY,
    )
    return territory_listings(site)


def test_department_page_lists_its_own_aids_and_links_national_needs() -> None:
    listings = territory_listings(enrich(catalog({}), TODAY))
    assert "Aucune aide ouverte" in departement_page("59", listings).before
    listings = _listings()
    html = departement_page("59", listings).before
    assert urls.aide("nord") in html and urls.aide("hdf") in html
    assert urls.aide("nat-emploi") not in html
    assert f'<a href="{urls.france("emploi")}">+ 2 aides nationales pour ce besoin</a>' in html
    assert urls.france("locaux") not in html  # no national aid for that need
    assert urls.reseau("dla") in html and urls.reseau("nat") not in html
    assert "+ 1 réseau national" in html


def test_region_page_lists_its_departments_aids() -> None:
    html = region_page("32", _listings()).before
    assert urls.aide("nord") in html and urls.aide("hdf") in html
    assert urls.departement("59") in html


def test_france_pages_list_national_aids_and_networks() -> None:
    listings = _listings()
    france = france_page(listings.france)
    assert france.url == "/territoires/france/"
    assert f'<a href="{urls.france("emploi")}">' in france.before
    assert urls.reseau("nat") in france.before and urls.reseau("dla") not in france.before
    emploi = france_besoin_page("emploi", listings.france)
    assert emploi.url == "/territoires/france/emploi/"
    assert urls.aide("nat-emploi") in emploi.before and urls.aide("hdf") not in emploi.before
    assert "Sauf Nord</a> (sauf Nord (59))" in emploi.before


def test_every_need_has_a_national_page() -> None:
    pages = territory_pages(_listings())
    found = {p.url for p in pages}
    assert {urls.france(b) for b in BESOINS} <= found and urls.france() in found
    assert len(found) == 1 + len(BESOINS) + 18 + 101


def test_a_department_page_lists_its_local_aids_and_networks_after_with_their_place() -> None:
    site = enrich(
        catalog(
            {
                "a-roubaix": aide(
                    titre="A de Roubaix", besoins=["emploi"], territoires=["COM-59512"]
                ),
                "z-nord": aide(titre="Z du Nord", besoins=["emploi"], territoires=["DEP-59"]),
            },
            {"tourcoing": reseau(nom="Maison de Tourcoing", territoires=["COM-59599"])},
        ),
        TODAY,
    )
    listings = territory_listings(site)
    html = departement_page("59", listings).before
    assert html.index("Z du Nord") < html.index("A de Roubaix")  # covering Nord first
    assert 'A de Roubaix</a> <span class="aidess-lieu">— Roubaix seulement</span>' in html
    assert "— Tourcoing seulement" in html
    region = region_page("32", listings).before
    assert 'Z du Nord</a> <span class="aidess-lieu">— Nord (59) seulement</span>' in region
