"""« Votre structure » (theme/assets/aidess/profil.js), told once and kept on the visitor's
device: Nadia describes her association in the panel; what the browser stores is exactly what
the relevance harness seeds for her query (tests/pertinence.py `stored_profile`); the aids she
cannot get leave the first results for « Probablement pas pour vous »; « Oublier » erases it.
The guided entry records the structure too, agreements included."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page

from tests.e2e.conftest import Product
from tests.e2e.helpers import results, wait_ready
from tests.pertinence import Query, load, stored_profile

pytestmark = pytest.mark.e2e

KEY = "aidess.structure"  # profil.js KEY
NADIA = "nadia-benevoles-tresorerie-mots"  # « trésorerie association bénévoles Nord », no facet


def query(name: str) -> Query:
    return next(q for q in load() if q.id == name)


def slugs(page: Page, selector: str) -> list[str]:
    hrefs = page.locator(f"{selector} li h3 a").evaluate_all("links => links.map(a => a.href)")
    return [urlsplit(h).path.removeprefix("/aides/").strip("/") for h in hrefs]


def stored(page: Page) -> object:
    raw = page.evaluate(f"localStorage.getItem('{KEY}')")
    return json.loads(raw) if raw else None


def shoot(page: Page, screenshots: Path, screen: str) -> None:
    """Her first results, then the aids listed apart, one screen each."""
    page.locator("#profil-zone").scroll_into_view_if_needed()
    page.evaluate("window.scrollTo(0, document.getElementById('profil-zone').offsetTop - 60)")
    page.screenshot(path=str(screenshots / f"profil-nadia-resultats-{screen}.png"))
    page.evaluate("window.scrollTo(0, document.getElementById('resultats-apart').offsetTop - 60)")
    page.screenshot(path=str(screenshots / f"profil-nadia-a-part-{screen}.png"))


def describe_nadia(page: Page) -> None:
    page.click("#profil-zone summary")
    page.select_option("#profil-structure", "association")
    page.select_option("#profil-effectif", "0")
    page.select_option("#profil-secteur", "social-sante")
    page.fill("#profil-commune", "Hazebrouck")
    page.check("#profil-agrement-aucun")


def test_nadia_tells_her_structure_once_and_the_order_follows(
    browser: Browser, product: Product, screenshots: Path
) -> None:
    nadia = query(NADIA)
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20_000)
    try:
        page.goto(product.url + nadia.url())
        wait_ready(page)
        before = slugs(page, "#resultats")
        assert set(before[:3]) & nadia.inadmissibles, "sans profil, l'URL ne dit pas sa structure"
        assert page.inner_text("#profil-zone summary").startswith("Votre structure : non décrite")

        describe_nadia(page)
        page.screenshot(path=str(screenshots / "profil-panneau-bureau.png"))
        page.click("#profil-form button[type=submit]")
        page.wait_for_function(
            "() => document.getElementById('profil-resume').textContent.includes('Hazebrouck')"
        )
        # What the browser keeps is what the relevance harness seeds for her query.
        assert stored(page) == stored_profile(nadia.profil)
        results(page)  # every card, those listed apart too
        after = slugs(page, "#resultats")
        assert after[:3] != before[:3]
        assert not set(after[:3]) & nadia.inadmissibles
        assert "dasess-nord" in slugs(page, "#resultats-apart")
        dasess = page.locator("#resultats-apart-liste li", has_text="DASESS")
        assert "réservée aux structures employeuses" in dasess.inner_text()
        # The wording the page carries (generator/content/reasons.py), the value lower-cased
        # at its first letter only.
        apart = page.inner_text("#resultats-apart-liste")
        assert "Probablement pas pour vous : agrément requis : agrément sport" in apart
        why = page.locator("#resultats li .aidess-card-why").first.inner_text()
        assert "Hazebrouck (59)" in why and "Bénévoles seulement" in why
        shoot(page, screenshots, "bureau")

        # Kept on this device: another visit ranks with it, even the home without words.
        page.goto(product.url + "/")
        wait_ready(page)
        assert "Hazebrouck (59)" in page.inner_text("#profil-zone summary")
        assert "Pour vous" in page.locator("#resultats li").first.inner_text()

        # « Oublier »: nothing left in the browser, the order of the URL alone again.
        page.goto(product.url + nadia.url())
        wait_ready(page)
        page.click("#profil-zone summary")
        page.click("#profil-oublier")
        page.wait_for_function(
            "() => document.getElementById('profil-resume').textContent.includes('non décrite')"
        )
        assert stored(page) is None
        page.wait_for_function("() => document.getElementById('resultats-apart').hidden")
        wait_ready(page)
        assert slugs(page, "#resultats")[:3] == before[:3]
    finally:
        context.close()


def test_the_panel_and_nadia_results_on_a_phone(
    phone: Page, product: Product, screenshots: Path
) -> None:
    page = phone
    page.goto(product.url + query(NADIA).url())
    wait_ready(page)
    describe_nadia(page)
    page.screenshot(path=str(screenshots / "profil-panneau-telephone.png"), full_page=True)
    page.click("#profil-form button[type=submit]")
    page.wait_for_function(
        "() => document.getElementById('profil-resume').textContent.includes('Hazebrouck')"
    )
    # The panel closes: below it, she reads that it was kept.
    saved = page.locator("#profil-etat")
    assert saved.is_visible() and "enregistrée sur cet appareil" in saved.inner_text()
    page.screenshot(path=str(screenshots / "profil-enregistre-telephone.png"))
    results(page)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    shoot(page, screenshots, "telephone")


def test_the_callback_form_is_filled_on_the_device_never_through_an_address(
    phone: Page, product: Product
) -> None:
    """« Être rappelé » from a card: the link carries the search only; the form fills what the
    search left empty from « Votre structure », read on the device."""
    page = phone
    page.goto(product.url + "/")
    wait_ready(page)
    describe_nadia(page)
    page.click("#profil-form button[type=submit]")
    page.wait_for_function(
        "() => document.getElementById('profil-resume').textContent.includes('Hazebrouck')"
    )
    wait_ready(page)
    link = page.locator("#resultats li .aidess-card-action a").first
    asked = urlsplit(link.get_attribute("href") or "").query
    for told in ("forme=", "effectif=", "secteur=", "commune="):  # (its department is the aid's)
        assert told not in asked, asked
    link.click()
    page.wait_for_function(
        "() => document.querySelector('form.aidess-form [name=commune]').value !== ''"
    )
    values = page.evaluate(
        "() => Object.fromEntries(['forme', 'effectif', 'secteur', 'departement', 'commune']"
        ".map(n => [n, document.querySelector('form.aidess-form').elements[n].value]))"
    )
    assert values["forme"] == "association" and values["effectif"] == "0"
    assert values["secteur"] == "social-sante" and values["departement"] == "59"
    assert values["commune"].startswith("Hazebrouck")


def test_the_guided_entry_records_the_agreements_and_unknown_ones_are_said_on_the_card(
    page: Page, product: Product
) -> None:
    page.goto(product.url + "/")
    page.click("#guide-zone summary")
    page.select_option("#guide-structure", "association")
    page.select_option("#guide-effectif", "1-3")
    page.select_option("#guide-secteur", "sport")
    page.fill("#guide-commune", "Nord")
    page.check("#guide-agrement-inconnu")
    page.click("#guide button[type=submit]")
    page.wait_for_url("**departement=59**")
    wait_ready(page)
    assert stored(page) == {
        "version": 1,
        "structure": "association",
        "effectif": "1-3",
        "secteur": "sport",
        "departement": "59",
        "region": "32",
        "lieu": "Nord (59)",
        "agrements": None,  # « je ne sais pas »
    }
    # An aid asking for the sport agreement stays for her, saying the agreement is needed.
    page.goto(product.url + "/?q=emploi+sportif")
    wait_ready(page)
    card = page.locator(
        "#resultats li", has=page.locator("a[href*='/aides/ans-aide-emploi-sportif-nord/']")
    )
    assert "Agrément sport" in card.locator(".aidess-card-agrement").inner_text()
    # « Aucun » agreement told: the same aid goes apart, with the agreement as its reason.
    page.click("#profil-zone summary")
    page.check("#profil-agrement-aucun")
    assert not page.is_checked("#profil-agrement-inconnu")  # the answers exclude each other
    page.click("#profil-form button[type=submit]")
    page.wait_for_function(
        "() => document.getElementById('profil-resume').textContent.includes('sans agrément')"
    )
    results(page)
    assert "ans-aide-emploi-sportif-nord" in slugs(page, "#resultats-apart")


def test_without_javascript_the_panel_sends_nothing(nojs: Page, product: Product) -> None:
    nojs.goto(product.url + "/")
    nojs.click("#profil-zone summary")
    assert "ne peut pas être retenue" in nojs.inner_text("#profil-form")
    nojs.click("#profil-form button[type=submit]")  # method="dialog": no request, no new page
    assert urlsplit(nojs.url).query == ""
