"""On a phone and on a desktop: no sideways scrolling, and screenshots for reviewers."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page

from generator.content import urls
from tests.e2e.conftest import Product
from tests.e2e.helpers import no_horizontal_scroll, results

pytestmark = pytest.mark.e2e

SCREENS = {
    "accueil-complet-filtre": "/?departement=59",  # full pages; test_home.py: the first screen
    "accueil-complet": "/",
    "aide": urls.aide("postes-fonjep"),
    # a recurring call with no known session: « Dates à confirmer », « Faire la demande »
    "aide-recurrente": urls.aide("fdva-2-fonctionnement-projets-innovants-nord"),
    "aide-cloturee": urls.aide("urgencess"),
    "reseau": urls.reseau("dla-nord"),
    "departement": urls.departement("59"),
    "region": urls.region("53"),
    "france": urls.france(),
    "france-besoin": urls.france("emploi"),
    "formulaire": urls.form("postes-fonjep"),
    "confirmation": urls.CONFIRMATION_PATH,
    "contribuer": "/contribuer/",
    "toutes-les-aides": urls.AIDES_PATH,
    "reseaux": urls.RESEAUX_PATH,
    "couverture": urls.COUVERTURE_PATH,
    "donnees": urls.DATA_PATH,
    "introuvable": "/cette-page-n-existe-pas/",
}


def show(page: Page, product: Product, name: str) -> None:
    page.goto(product.url + SCREENS[name])
    if name.startswith("accueil"):
        results(page)
    if name == "formulaire":
        page.wait_for_selector("#aide-choisie:not([hidden])")


@pytest.mark.parametrize("name", list(SCREENS))
def test_phone_has_no_horizontal_scroll(
    phone: Page, product: Product, screenshots: Path, name: str
) -> None:
    show(phone, product, name)
    phone.screenshot(path=screenshots / f"{name}-telephone.png", full_page=True)
    assert no_horizontal_scroll(phone)


@pytest.mark.parametrize("name", list(SCREENS))
def test_desktop_screenshots(page: Page, product: Product, screenshots: Path, name: str) -> None:
    show(page, product, name)
    path = screenshots / f"{name}-bureau.png"
    page.screenshot(path=path, full_page=True)
    assert path.stat().st_size > 10_000  # a real rendering, not a blank page
    assert no_horizontal_scroll(page)
