"""A dossier in Chromium: networks open their link from the mail, act on it, see each other;
the structure sees who took it. With JavaScript, without, by keyboard, and under axe-core."""

from __future__ import annotations

import json
import re
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import Page

from tests.e2e.conftest import Product
from tests.e2e.test_accessibility import violations

pytestmark = pytest.mark.e2e

# Nord, culture, three needs: several networks of the real content receive it.
FORM = {
    "structure": "Compagnie du Dossier",
    "forme": "association",
    "effectif": "1-3",
    "departement": "59",
    "secteur": "culture",
    "besoins": ["tresorerie", "emploi", "numerique"],
    "nom": "Alex Martin",
    "telephone": "03 20 12 34 56",
    "message": "Nous cherchons un accompagnement.",
    "consentement": "oui",
}


def new_dossier(product: Product, email: str) -> tuple[dict[str, str], str]:
    """Send a request as the form's JSON does; the link each recipient got, and the
    requester's link."""
    before = len(product.sink.received)
    body = json.dumps({**FORM, "email": email}).encode()
    req = urllib.request.Request(
        product.url + "/demandes", body, {"Content-Type": "application/json",
                                          "Origin": product.url},
    )  # fmt: skip
    with urllib.request.urlopen(req, timeout=20) as answer:
        count = 1 + len(json.load(answer)["reseaux"])
    mails = product.sink.wait_for(before + count, timeout=20)[before : before + count]
    pattern = re.compile(re.escape(product.url) + r"/dossiers/[0-9a-f]+\?cle=[\w-]+")
    links = {}
    for mail in mails:
        text = mail.message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
        found = pattern.search(text)
        assert found, text
        links[mail.recipients[0]] = found.group()
    requester = links.pop(email)
    assert len(links) >= 2, "la demande devrait aller à plusieurs réseaux"
    return links, requester


def test_networks_coordinate_on_a_dossier(
    page: Page, nojs: Page, product: Product, screenshots: Path
) -> None:
    links, requester = new_dossier(product, "alex.dossier@exemple.fr")
    first, second = sorted(links)[:2]

    page.goto(links[first])
    assert page.locator("h1").inner_text().startswith("Demande de rappel AID-")
    assert violations(page) == []
    page.get_by_role("button", name="Je prends en charge").click()
    page.wait_for_selector(".aidess-notice")
    assert "prend en charge" in page.inner_text(".aidess-notice")
    # Keyboard only: focus the note, type it, Tab to its button, Enter.
    page.focus("#note")
    page.keyboard.type("Nous l'appelons demain <b>matin</b>.")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent") == "Envoyer la note"
    page.keyboard.press("Enter")
    page.wait_for_selector(".aidess-timeline >> text=Nous l'appelons demain <b>matin</b>.")
    page.screenshot(path=str(screenshots / "dossier-reseau.png"), full_page=True)

    # Another network, without JavaScript: sees who took it and the note, and acts too.
    nojs.goto(links[second])
    body = nojs.inner_text("main")
    assert "Prise en charge" in body and "Nous l'appelons demain <b>matin</b>." in body
    nojs.fill("#motif", "Le besoin numérique est déjà couvert")
    nojs.get_by_role("button", name="Décliner").click()
    nojs.wait_for_selector(".aidess-notice")
    assert "Pas pour nous" in nojs.inner_text("main")
    page.goto(links[second])  # axe-core needs JavaScript: the same page, in the other context
    assert violations(page) == []

    # The structure: who calls back, never the note nor the motif.
    page.goto(requester)
    assert page.locator("h1").inner_text().startswith("Votre demande de rappel AID-")
    mine = page.inner_text("main")
    assert "prend en charge votre demande" in mine
    assert "matin" not in mine and "déjà couvert" not in mine
    assert violations(page) == []
    page.screenshot(path=str(screenshots / "dossier-demandeur.png"), full_page=True)


def test_phone_view_and_no_javascript_requester(
    phone: Page, nojs: Page, product: Product, screenshots: Path
) -> None:
    links, requester = new_dossier(product, "alex.telephone@exemple.fr")
    phone.goto(next(iter(links.values())))
    assert phone.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1")
    phone.screenshot(path=str(screenshots / "dossier-reseau-telephone.png"), full_page=True)
    nojs.goto(requester)
    nojs.get_by_role("button", name="Je n'ai plus besoin d'être rappelé").click()
    nojs.wait_for_selector(".aidess-notice")
    assert "Terminé" in nojs.inner_text("main")
    nojs.get_by_role("button", name="Effacer mes données").click()
    nojs.wait_for_selector("h1:has-text('Vos données sont effacées')")
    nojs.goto(requester)
    assert "Dossier introuvable" in nojs.inner_text("h1")
