"""Accessibility: axe-core (WCAG 2.1 A and AA rules) on every kind of page, and the keyboard."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

from generator.content import urls
from tests.e2e.conftest import Product
from tests.e2e.helpers import results

pytestmark = pytest.mark.e2e
RULES = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21aa"]}}


def violations(page: Page) -> list[str]:
    found = Axe().run(page, options=RULES).response["violations"]
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in found
    ]


def open_error_form(page: Page, product: Product) -> None:
    page.goto(product.url + urls.FORM_PATH)
    page.fill("#email", "pas-une-adresse")
    page.click("form.aidess-form button[type=submit]")
    page.wait_for_selector("#erreurs")


def open_phone_filters(page: Page, product: Product) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(product.url + "/?departement=59&besoin=emploi")
    results(page)
    page.click("#ouvrir-filtres")
    page.wait_for_selector("#filtres[role=dialog]")


def empty_result(page: Page, product: Product) -> None:
    page.goto(product.url + "/?departement=59&q=xylophone")
    results(page)


def open_error_proposal(page: Page, product: Product) -> None:
    page.goto(product.url + "/contribuer/proposer/")
    page.get_by_role("button", name="Envoyer la proposition aux éditeurs").click()
    page.locator(".aidess-summary").wait_for()


PAGES = {
    "accueil avec résultats": lambda page, product: (
        page.goto(product.url + "/?departement=59"),
        results(page),
    ),
    "accueil vide": lambda page, product: (page.goto(product.url + "/"), results(page)),
    "accueil sans résultat": empty_result,
    "accueil, filtres du téléphone": open_phone_filters,
    "aide": lambda page, product: page.goto(product.url + urls.aide("postes-fonjep")),
    "aide clôturée": lambda page, product: page.goto(product.url + urls.aide("urgencess")),
    "toutes les aides": lambda page, product: page.goto(product.url + urls.AIDES_PATH),
    "tous les réseaux": lambda page, product: page.goto(product.url + urls.RESEAUX_PATH),
    "couverture": lambda page, product: page.goto(product.url + urls.COUVERTURE_PATH),
    "page introuvable": lambda page, product: page.goto(product.url + "/nulle-part/"),
    "réseau": lambda page, product: page.goto(product.url + urls.reseau("dla-nord")),
    "département": lambda page, product: page.goto(product.url + urls.departement("59")),
    "région": lambda page, product: page.goto(product.url + urls.region("53")),
    "formulaire": lambda page, product: page.goto(product.url + urls.FORM_PATH),
    "formulaire en erreur": open_error_form,
    "confirmation": lambda page, product: page.goto(product.url + urls.CONFIRMATION_PATH),
    "proposer une aide": lambda page, product: page.goto(product.url + "/contribuer/proposer/"),
    "proposition en erreur": open_error_proposal,
}


@pytest.mark.parametrize("name", list(PAGES))
def test_no_axe_violation(page: Page, product: Product, name: str) -> None:
    PAGES[name](page, product)
    assert violations(page) == []


def test_skip_link_and_visible_focus(page: Page, product: Product) -> None:
    page.goto(product.url + urls.aide("postes-fonjep"))
    page.keyboard.press("Tab")
    first = page.evaluate(
        "() => ({text: document.activeElement.textContent.trim(), "
        "href: document.activeElement.getAttribute('href')})"
    )
    assert first["href"].startswith("#"), first
    assert "contenu" in first["text"].lower(), first
    outline = page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement);"
        " return [s.outlineStyle, s.outlineWidth, s.boxShadow]; }"
    )
    assert outline[0] != "none" or outline[2] != "none", outline


def test_every_form_control_is_reachable_by_keyboard(page: Page, product: Product) -> None:
    page.goto(product.url + urls.FORM_PATH)
    wanted = set(
        page.locator("form.aidess-form :is(input, select, textarea, button)").evaluate_all(
            "els => els.filter(e => e.type !== 'hidden' && e.tabIndex >= 0)"
            ".map(e => e.id || e.type)"
        )
    )
    reached: set[str] = set()
    for _ in range(200):
        page.keyboard.press("Tab")
        reached.add(page.evaluate("() => document.activeElement.id || document.activeElement.type"))
        if wanted <= reached:
            break
    assert wanted - reached == set()
    assert "site_web" not in reached  # the honeypot is never in the way
