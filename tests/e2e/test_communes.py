"""The commune (docs/interfaces.md §2, §5): a search from a commune lists the aids covering it,
its field suggests communes by name or postcode, and the callback form takes it — with and
without JavaScript."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Page

from generator.content import matching, urls
from generator.content.status import status
from tests.e2e.conftest import Product
from tests.e2e.helpers import results, wait_ready

pytestmark = pytest.mark.e2e

ROUBAIX_FUND = urls.aide("roubaix-fonds-de-participation-des-habitants")


def covering(product: Product, insee: str) -> set[str]:
    """The open aids covering the commune, from the content (docs/interfaces.md §2)."""
    found = set()
    for slug, record in product.catalog.aides.items():
        aide = record.data
        if status(aide.ouverture, aide.cloture, aide.recurrence, date.today()) == "cloturee":
            continue
        if matching.covers_commune(aide.territoires, aide.exclusions, insee):
            found.add(urls.aide(slug))
    return found


@pytest.mark.parametrize(("insee", "listed"), [("59183", False), ("59512", True)])
def test_a_search_from_a_commune_lists_the_aids_covering_it(
    page: Page, product: Product, insee: str, listed: bool
) -> None:
    """From Dunkerque, not Roubaix's fund; from Roubaix, it is there."""
    page.goto(f"{product.url}/?commune={insee}")
    found = set(results(page))
    assert found == covering(product, insee)
    assert (ROUBAIX_FUND in found) is listed
    assert page.input_value("#f-departement") == "59"
    page.wait_for_function("() => document.getElementById('f-commune').value !== ''")
    name = "Roubaix (59)" if listed else "Dunkerque (59)"
    assert page.input_value("#f-commune") == name
    assert page.locator("#filtres-actifs button", has_text=name).count() == 1
    # Each card of an aid for this place says why it fits (docs/interfaces.md §5).
    assert f"Pour vous : {name}" in page.locator("#resultats li").first.inner_text()


def test_the_commune_field_suggests_and_searches(
    page: Page, product: Product, screenshots: Path
) -> None:
    page.goto(f"{product.url}/")
    page.fill("#f-commune", "59100")
    page.wait_for_function(
        "() => [...document.querySelectorAll('#f-commune-suggestions option')]"
        ".some(o => o.value === '59100 Roubaix')"
    )
    page.fill("#f-commune", "roub")
    page.wait_for_function(
        "() => [...document.querySelectorAll('#f-commune-suggestions option')]"
        ".some(o => o.value === 'Roubaix (59)')"
    )
    page.screenshot(path=str(screenshots / "commune-accueil-bureau.png"))
    page.fill("#f-commune", "Roubaix (59)")
    page.keyboard.press("Enter")
    page.wait_for_url("**commune=59512**")
    found = set(results(page))
    assert ROUBAIX_FUND in found
    assert "departement=59" in page.url
    # A commune typed wrong: a French message by the field.
    page.fill("#f-commune", "Roubiax")
    page.keyboard.press("Enter")
    page.wait_for_selector("#f-commune-erreur")
    assert "Commune : commune inconnue : « Roubiax »" in page.inner_text("#f-commune-erreur")


def test_the_commune_field_on_a_phone(phone: Page, product: Product, screenshots: Path) -> None:
    phone.goto(f"{product.url}/?commune=59512")
    wait_ready(phone)
    phone.wait_for_function("() => document.getElementById('f-commune').value !== ''")
    assert phone.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1")
    phone.screenshot(path=str(screenshots / "commune-accueil-telephone.png"))


def test_the_callback_form_takes_a_commune(page: Page, product: Product, screenshots: Path) -> None:
    page.goto(product.url + urls.FORM_PATH + "?commune=59599&forme=association&besoins=benevolat")
    page.wait_for_function("() => document.getElementById('commune').value !== ''")
    assert page.input_value("#commune") == "Tourcoing (59)"
    assert page.input_value("#departement") == "59"
    page.select_option("#effectif", "0")
    page.select_option("#secteur", "culture")
    page.wait_for_selector("#apercu:not([hidden])")
    tourcoing = product.catalog.reseaux["maison-des-associations-de-tourcoing"].data.nom
    page.wait_for_function(
        "name => document.getElementById('apercu').textContent.includes(name)", arg=tourcoing
    )
    page.locator("#commune").scroll_into_view_if_needed()
    page.screenshot(path=str(screenshots / "commune-formulaire-bureau.png"))
    # Another commune of Nord: not the Maison des associations of Tourcoing.
    page.fill("#commune", "Dunkerque")
    page.dispatch_event("#commune", "change")
    page.wait_for_function(
        "name => !document.getElementById('apercu').textContent.includes(name)", arg=tourcoing
    )


def test_the_callback_form_without_javascript_names_the_commune_error(
    nojs: Page, product: Product, screenshots: Path
) -> None:
    nojs.set_viewport_size({"width": 390, "height": 844})
    nojs.goto(product.url + urls.FORM_PATH)
    nojs.fill("#structure", "Les Amis de Roubaix")
    nojs.select_option("#forme", "association")
    nojs.select_option("#effectif", "0")
    nojs.select_option("#departement", "59")
    nojs.fill("#commune", "Roubiax")
    nojs.select_option("#secteur", "culture")
    nojs.check("#besoins-benevolat")
    nojs.fill("#nom", "Nadia Benali")
    nojs.fill("#email", "nadia.commune@exemple.fr")
    nojs.fill("#telephone", "03 20 12 34 56")
    nojs.check("#consentement")
    nojs.click("form.aidess-form button[type=submit]")
    nojs.wait_for_selector("#erreurs")
    assert "Commune : commune inconnue : « Roubiax ». Vouliez-vous dire Roubaix (59) ?" in (
        nojs.inner_text("#erreurs")
    )
    assert nojs.input_value("#commune") == "Roubiax"
    nojs.locator("#commune").scroll_into_view_if_needed()
    nojs.screenshot(path=str(screenshots / "commune-formulaire-erreur-telephone.png"))
    before = len(product.sink.received)
    nojs.fill("#commune", "59100")  # a postcode typed: Roubaix
    nojs.check("#consentement")
    nojs.click("form.aidess-form button[type=submit]")
    nojs.wait_for_url("**/dossiers/**")
    mails = product.sink.wait_for(before + 2, timeout=20)[before:]
    networks = [m for m in mails if "nadia.commune@exemple.fr" not in m.recipients]
    text = networks[0].message.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
    assert "Roubaix" in text


def test_an_alert_for_a_commune(page: Page, product: Product, screenshots: Path) -> None:
    """The home's alert form takes the search's commune; /alertes/ takes one typed."""
    page.goto(f"{product.url}/?commune=59512")
    page.wait_for_function("() => document.getElementById('alerte-commune').value !== ''")
    assert page.input_value("#alerte-commune") == "Roubaix (59)"
    page.goto(product.url + "/alertes/")
    page.fill("#alerte-email", "veille.roubaix@exemple.fr")
    page.fill("#alerte-commune", "Roubaix")
    page.check("#alerte-consentement")
    page.locator("#alerte-commune").scroll_into_view_if_needed()
    page.screenshot(path=str(screenshots / "commune-alerte-bureau.png"))
    size = page.viewport_size
    page.set_viewport_size({"width": 375, "height": 812})
    page.locator("#alerte-commune").scroll_into_view_if_needed()
    page.screenshot(path=str(screenshots / "commune-alerte-telephone.png"))
    if size is not None:
        page.set_viewport_size(size)
    before = len(product.sink.received)
    page.get_by_role("button", name="Recevoir les alertes").click()
    page.wait_for_url("**/alertes/envoyee/")
    mail = product.sink.wait_for(before + 1, timeout=20)[before].message
    text = mail.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
    assert "Roubaix (59)" in text
