"""Search and filters on the home page, in Chromium, on the real content."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.e2e.conftest import Product
from tests.e2e.helpers import expected, results

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("words", ["bénévoles", "benevoles"])
def test_text_search_finds_the_fdva_aids(page: Page, product: Product, words: str) -> None:
    page.goto(f"{product.url}/?q={words}")
    found = results(page)
    fdva = {url for url in found if "fdva-1" in url}
    assert len(fdva) >= 2, found


def test_department_filter_shows_national_regional_and_own_aids(
    page: Page, product: Product
) -> None:
    page.goto(f"{product.url}/?departement=59")
    found = set(results(page))
    assert found == expected(product.catalog, departement="59")
    assert "/aides/fdva-2-fonctionnement-projets-innovants-nord/" in found
    assert "/aides/fdva-2-fonctionnement-projets-innovants-somme/" not in found
    assert not {url for url in found if "bretagne" in url}


def test_region_filter_includes_its_departments_aids(page: Page, product: Product) -> None:
    page.goto(f"{product.url}/?region=53")
    found = set(results(page))
    assert found == expected(product.catalog, region="53")
    assert "/aides/fdva-2-fonctionnement-projets-innovants-finistere/" in found
    assert not {url for url in found if url.endswith("-nord/")}


def test_sector_filter_keeps_aids_for_every_sector_and_survives_reload(
    page: Page, product: Product
) -> None:
    page.goto(f"{product.url}/")
    page.check("#f-secteur-culture")
    page.wait_for_url("**/?secteur=culture")
    found = set(results(page))
    assert found == expected(product.catalog, secteur="culture")
    assert "/aides/dispositif-local-d-accompagnement/" in found  # secteurs: [tous]
    page.reload()
    assert page.locator("#f-secteur-culture").is_checked()
    assert set(results(page)) == found


def test_closed_aids_only_when_asked(page: Page, with_closed: Product) -> None:
    product = with_closed
    closed = expected(product.catalog, closed=True)
    assert closed, "le contenu de test compte une aide clôturée"
    page.goto(f"{product.url}/")
    page.fill("#q", "emploi")
    page.keyboard.press("Enter")
    assert not set(results(page)) & closed
    page.check("#f-statut-cloturee")
    page.wait_for_url("**statut=cloturee**")
    assert set(results(page)) & closed


def test_guided_entry_sets_the_filters(page: Page, product: Product) -> None:
    page.goto(f"{product.url}/")
    page.select_option("#f-departement", "35")
    page.wait_for_url("**departement=35**")
    page.click("#guide-zone summary")
    page.select_option("#guide-structure", "association")
    page.select_option("#guide-besoin", "emploi")
    page.click("#guide button[type=submit]")
    page.wait_for_url("**besoin=emploi**")
    assert "structure=association" in page.url and "departement=35" in page.url
    assert page.locator("#f-departement").input_value() == "35"
    assert page.locator("#f-besoin-emploi").is_checked()
    found = set(results(page))
    assert "/aides/postes-fonjep/" in found
    assert found <= expected(product.catalog, departement="35")
