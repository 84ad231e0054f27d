"""« Signaler une erreur » from an aid page, without JavaScript, as a visitor on a phone would:
the message reaches the editors' mailbox with the page and the file to edit."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import Product

pytestmark = pytest.mark.e2e


def test_report_from_an_aid_page_reaches_the_editors(
    nojs: Page, product: Product, screenshots: Path
) -> None:
    slug = sorted(product.catalog.aides)[0]
    titre = product.catalog.aides[slug].data.titre
    nojs.goto(f"{product.url}/aides/{slug}/")
    expect(
        nojs.get_by_text(f"de la fiche «\u00a0{titre}\u00a0» (fichier content/aides/{slug}.md)")
    ).to_be_visible()
    nojs.get_by_text("Signaler une erreur", exact=True).click()
    nojs.get_by_label("Ce qui est faux ou manque sur cette page").fill(
        "La date limite a changé : voir la page officielle."
    )
    nojs.screenshot(path=str(screenshots / "signaler-aide.png"), full_page=False)
    before = len(product.sink.received)
    nojs.get_by_role("button", name="Envoyer aux éditeurs").click()
    expect(nojs).to_have_url(f"{product.url}/contribuer/merci/")
    expect(nojs.locator("h1")).to_have_text("Message envoyé")
    (mail,) = product.sink.wait_for(before + 1, timeout=20)[before:]
    assert list(mail.recipients) == ["editeurs@aidess.example"]
    text = str(mail.message.get_body(("plain",)).get_content())  # type: ignore[union-attr]
    assert f"Fichier à modifier : content/aides/{slug}.md" in text
    assert "La date limite a changé" in text


def test_contribuer_proposes_a_network(phone: Page, product: Product, screenshots: Path) -> None:
    phone.goto(f"{product.url}/contribuer/")
    # 16 px at least: iOS zooms into a smaller field (they were 12.8 px).
    fields = phone.locator("form.aidess-signaler textarea, form.aidess-signaler input[type=email]")
    sizes = fields.evaluate_all("els => els.map(e => parseFloat(getComputedStyle(e).fontSize))")
    assert len(sizes) == 3 and min(sizes) >= 16, sizes
    phone.get_by_label("proposer un réseau d'accompagnement").check()
    phone.get_by_label("Votre message").fill("GEAI 29 accompagne les employeurs du Finistère.")
    phone.screenshot(path=str(screenshots / "contribuer-formulaire.png"), full_page=True)
    before = len(product.sink.received)
    phone.get_by_label("l'adresse où les envoyer").fill("contact@geai29.fr")
    phone.get_by_role("button", name="Envoyer aux éditeurs").click()
    expect(phone).to_have_url(f"{product.url}/contribuer/merci/")
    (mail,) = product.sink.wait_for(before + 1, timeout=20)[before:]
    assert "contact@geai29.fr" in str(mail.message.get_body(("plain",)).get_content())  # type: ignore[union-attr]
