"""Alerts in the browser: subscribe from the home with filters chosen, confirm from the mail
shown in /dev/courriels, change the filters; axe-core clean; the same without JavaScript."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page

from generator.content import urls
from tests.e2e.conftest import Product
from tests.e2e.test_accessibility import violations

pytestmark = pytest.mark.e2e


def phone_shot(page: Page, path: Path) -> None:
    """The page as a phone shows it (375 px wide), then back to the test's own size."""
    size = page.viewport_size
    page.set_viewport_size({"width": 375, "height": 812})
    page.screenshot(path=path, full_page=True)
    if size is not None:
        page.set_viewport_size(size)


def open_confirmation_from_dev_inbox(
    page: Page, product: Product, address: str, screenshots: Path | None = None
) -> None:
    """In /dev/courriels, open the newest confirmation mail for `address`, follow its link
    (read from the page, then opened: no race between a click and its navigation), then
    press the page's confirm button."""
    page.goto(product.url + "/dev/courriels")
    row = page.locator("tr", has_text=address).filter(has_text="Confirmez votre alerte").first
    page.goto(product.url + str(row.get_by_role("link").get_attribute("href")))
    confirm = page.locator("pre a[href*='/alertes/'][href*='cle=']").first
    href = str(confirm.get_attribute("href"))
    assert re.fullmatch(rf"{re.escape(product.url)}/alertes/[0-9a-f]{{32}}\?cle=[\w-]+", href)
    page.goto(href)
    # The link alone confirms nothing (mail scanners follow links): its page's button does.
    assert "Confirmer mon alerte" in page.inner_text("h1")
    if screenshots is not None:
        page.screenshot(path=screenshots / "alerte-a-confirmer-bureau.png", full_page=True)
        phone_shot(page, screenshots / "alerte-a-confirmer-telephone.png")
    page.get_by_role("button", name="Confirmer mon alerte").click()
    page.wait_for_selector("[role=status]")


def test_subscribe_from_home_with_filters_then_confirm(
    page: Page, product: Product, screenshots: Path
) -> None:
    # The search's filters live in the address (as when chosen on the page), then one more.
    page.goto(product.url + "/?departement=59&besoin=emploi")
    page.check("input[name='secteur'][value='culture']")
    form = page.locator("form.aidess-alertes-form")
    form.scroll_into_view_if_needed()
    page.wait_for_function(
        "() => /culture/i.test(document.getElementById('alerte-filtres').textContent)"
    )
    summary = page.inner_text("#alerte-filtres")
    assert "Recruter, pérenniser un emploi" in summary and "Culture" in summary
    assert page.input_value("#alerte-departement") == "59"
    page.screenshot(path=f"{screenshots}/alertes-accueil.png", full_page=False)
    assert violations(page) == []

    before = len(product.sink.received)
    page.fill("#alerte-email", "veille.culture@exemple.fr")
    page.check("#alerte-consentement")
    form.get_by_role("button", name="Recevoir les alertes").click()
    page.wait_for_url(f"**{'/alertes/envoyee/'}")
    assert "Vérifiez votre boîte" in page.inner_text("h1")
    assert violations(page) == []
    phone_shot(page, screenshots / "alertes-envoyee-telephone.png")
    product.sink.wait_for(before + 1, timeout=20)

    open_confirmation_from_dev_inbox(page, product, "veille.culture@exemple.fr", screenshots)
    assert "Votre alerte est confirmée" in page.inner_text("[role=status]")
    criteria = page.inner_text("dl.aidess-facts")
    assert "Nord (59)" in criteria and "Culture" in criteria
    assert "Recruter, pérenniser un emploi" in criteria
    page.screenshot(path=f"{screenshots}/alertes-confirmee.png", full_page=True)
    assert violations(page) == []

    # Change the filters: Bretagne instead of the Nord.
    page.select_option("#alerte-departement", "")
    page.select_option("#alerte-region", "53")
    page.get_by_role("button", name="Enregistrer mes critères").click()
    page.wait_for_selector("text=Vos critères sont enregistrés")
    assert "Bretagne" in page.inner_text("dl.aidess-facts")


def test_without_javascript_from_a_department_page(nojs: Page, product: Product) -> None:
    nojs.goto(product.url + urls.departement("29"))
    form = nojs.locator("form.aidess-alertes-form")
    assert "Finistère (29)" in form.inner_text()
    before = len(product.sink.received)
    form.locator("#alerte-email").fill("sans.script@exemple.fr")
    nojs.check("#alerte-echeances")  # « Me prévenir aussi 15 jours avant la clôture… »
    nojs.check("#alerte-consentement")
    form.get_by_role("button", name="Recevoir les alertes").click()
    nojs.wait_for_url("**/alertes/envoyee/")
    product.sink.wait_for(before + 1, timeout=20)
    open_confirmation_from_dev_inbox(nojs, product, "sans.script@exemple.fr")
    confirmed = nojs.inner_text("[role=status]")
    assert "Votre alerte est confirmée" in confirmed
    # What it will send, the reminders too: they were asked for.
    assert "un rappel 15 jours avant la clôture de chaque aide qui y correspond" in confirmed
    assert "Finistère (29)" in nojs.inner_text("dl.aidess-facts")
    assert "Avant chaque clôture" in nojs.inner_text("dl.aidess-facts")
    assert nojs.is_checked("#alerte-echeances")


def test_without_javascript_mistakes_come_back_in_french(nojs: Page, product: Product) -> None:
    nojs.goto(product.url + "/")
    form = nojs.locator("form.aidess-alertes-form")
    form.locator("#alerte-email").fill("pas-une-adresse")
    nojs.select_option("#alerte-departement", "35")
    form.get_by_role("button", name="Recevoir les alertes").click()
    assert nojs.locator("#alerte-erreurs").is_visible()
    text = nojs.inner_text("#alerte-erreurs")
    assert "adresse électronique invalide" in text and "cochez cette case" in text
    assert nojs.input_value("#alerte-email") == "pas-une-adresse"
    assert nojs.input_value("#alerte-departement") == "35"


def test_the_alerts_page_says_both_mails(phone: Page, product: Product, screenshots: Path) -> None:
    """The weekly digest, and the deadline reminders for whoever ticks the box."""
    phone.goto(product.url + "/alertes/")
    intro = phone.inner_text("main")
    assert "chaque lundi, vous recevez un courriel" in intro
    assert "vous recevez en plus, 15 jours avant la date limite de chaque aide" in intro
    phone.screenshot(path=str(screenshots / "alertes-page-telephone.png"), full_page=False)
    phone.goto(product.url + urls.departement("29"))
    compact = phone.inner_text("section.aidess-alertes")
    assert "si vous le demandez, un rappel 15 jours avant chaque date limite" in compact
