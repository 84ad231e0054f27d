"""Nadia's path (issue « Right answers »): the volunteer treasurer of an association of Nord
with no employee answers the guided questions, finds aids she can get, asks to be called back
from one; her answers travel with her, and her acknowledgment lists no aid for employers."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page

from generator.content import urls
from tests.e2e.conftest import Product
from tests.e2e.helpers import results

pytestmark = pytest.mark.e2e

EMAIL = "nadia.tresoriere@exemple.fr"


def employer_only(product: Product, path: str) -> bool:
    slug = path.strip("/").split("/")[-1]
    return (product.catalog.aides[slug].data.effectif_min or 0) >= 1


def test_nadia_finds_no_employer_only_aid_and_her_answers_travel(
    page: Page, product: Product, screenshots: Path
) -> None:
    page.goto(f"{product.url}/")
    page.click("#guide-zone summary")
    page.select_option("#guide-structure", "association")
    page.select_option("#guide-effectif", "0")
    page.fill("#guide-commune", "Nord")
    page.select_option("#guide-besoin", "tresorerie")
    page.screenshot(path=str(screenshots / "parcours-questions-bureau.png"))
    page.click("#guide button[type=submit]")
    page.wait_for_url("**besoin=tresorerie**")
    query = parse_qs(urlsplit(page.url).query)
    assert query["departement"] == ["59"] and query["effectif"] == ["0"]
    found = results(page)
    assert found, "des aides de trésorerie existent pour une association du Nord"
    assert [path for path in found if employer_only(product, path)] == []
    why = page.locator("#resultats li .aidess-card-why").first.inner_text()
    assert why.startswith("Pour vous : Trésorerie, difficultés financières · Nord"), why
    assert "Association" in why and "Bénévoles seulement" in why

    # To the aid page, its answers with it; « Être rappelé » carries them and the aid's needs.
    first = page.locator("#resultats li h3 a").first
    first.click()
    page.wait_for_url("**/aides/**besoin=tresorerie**")
    slug = urlsplit(page.url).path.strip("/").split("/")[-1]
    back = page.locator(".aidess-retour a")
    assert "effectif=0" in (back.get_attribute("href") or "")
    page.locator("a.md-button", has_text="Être rappelé").first.click()
    page.wait_for_url(f"**{urls.FORM_PATH}**")
    assert page.input_value("#aide") == slug
    assert page.input_value("#departement") == "59"
    assert page.input_value("#forme") == "association"
    assert page.input_value("#effectif") == "0"
    assert page.is_checked("#besoins-tresorerie")
    for besoin in product.catalog.aides[slug].data.besoins[:5]:
        assert page.is_checked(f"#besoins-{besoin}"), besoin
    back_to_aid = page.locator(".aidess-retour a").get_attribute("href") or ""
    assert back_to_aid.startswith(urls.aide(slug)) and "structure=association" in back_to_aid

    # Sent: her acknowledgment lists no employer-only aid among her profile's open aids.
    before = len(product.sink.received)
    page.fill("#structure", "Les Amis du Jardin partagé")
    page.select_option("#secteur", "environnement")
    page.fill("#nom", "Nadia Benali")
    page.fill("#email", EMAIL)
    page.fill("#telephone", "03 20 12 34 56")
    page.check("#consentement")
    page.click("form.aidess-form button[type=submit]")
    page.wait_for_url("**/dossiers/**")
    mails = product.sink.wait_for(before + 2, timeout=30)[before:]
    ack = next(m for m in mails if EMAIL in m.recipients).message
    text = ack.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
    listed = text.split("Aides ouvertes pour votre profil", 1)[1].split("Besoins indiqués", 1)[0]
    aids = re.findall(r"/aides/([a-z0-9-]+)/", listed)
    assert [a for a in aids if employer_only(product, f"/aides/{a}/")] == []
    search = re.search(r"https?://\S+/\?\S+", listed)
    assert search and "effectif=0" in search.group(0)  # « toutes les aides pour votre profil »
