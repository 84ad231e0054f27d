"""A dossier in Chromium: networks open their link from the mail, act on it, see each other;
the structure sees who took it. With JavaScript, without, by keyboard, and under axe-core."""

from __future__ import annotations

import json
import re
import urllib.request
from pathlib import Path
from urllib.parse import parse_qsl

import pytest
from playwright.sync_api import Browser, Page

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

    referers: list[str] = []
    page.on("request", lambda r: referers.append(r.headers.get("referer", "")))
    page.goto(links[first])
    assert page.locator("h1").inner_text().startswith("Demande de rappel AID-")
    # The key left the address bar on arrival, and no request of the page carries it.
    assert "cle=" not in page.url
    assert referers and not [r for r in referers if "cle=" in r]
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

    # « Avez-vous été rappelé ? »: the mail's link only shows a confirm button.
    page.goto(requester + "&reponse=non")
    assert "Non, personne ne m'a rappelé" in page.inner_text(".aidess-answer")
    assert violations(page) == []
    page.get_by_role("button", name="Confirmer ma réponse").click()
    page.wait_for_selector(".aidess-notice")
    assert "votre réponse est enregistrée" in page.inner_text("main")
    page.goto(links[first])
    said = "la structure répond : «\u00a0Non, personne ne m'a rappelé\u00a0»"
    assert said in page.inner_text("main")


def test_the_networks_page_is_made_for_calling_on_a_phone(
    phone: Page, product: Product, screenshots: Path
) -> None:
    links, _ = new_dossier(product, "alex.telephone@exemple.fr")
    phone.goto(next(iter(links.values())))
    assert phone.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1")
    # Who, how to reach them, what for, and the one green button: in the first screen.
    take = phone.get_by_role("button", name="Je prends en charge")
    box = take.bounding_box()
    assert box is not None and box["y"] + box["height"] <= 812, box
    call = phone.locator(".aidess-call")
    assert call.locator("a[href='tel:+33320123456']").inner_text() == "03 20 12 34 56"
    assert call.locator("a[href='mailto:alex.telephone@exemple.fr']").count() == 1
    assert "Compagnie du Dossier" in call.inner_text()
    assert "Nous cherchons un accompagnement." in call.inner_text()
    green = take.evaluate("b => getComputedStyle(b).backgroundColor")
    decline = phone.get_by_role("button", name="Décliner")
    assert decline.evaluate("b => getComputedStyle(b).backgroundColor") != green  # secondary
    phone.screenshot(path=str(screenshots / "dossier-reseau-telephone.png"))
    phone.screenshot(path=str(screenshots / "dossier-reseau-telephone-page.png"), full_page=True)


def test_each_action_posts_the_interfaces_field_names(
    nojs: Page, product: Product, screenshots: Path
) -> None:
    """Without JavaScript, each form of the page posts what docs/interfaces.md §7 names."""
    links, _ = new_dossier(product, "alex.champs@exemple.fr")
    first, second = sorted(links)[:2]
    posted: list[dict[str, str]] = []
    nojs.on(
        "request",
        lambda r: (
            posted.append(dict(parse_qsl(r.post_data or "")))
            if r.method == "POST" and "/actions" in r.url
            else None
        ),
    )
    nojs.goto(links[first])
    nojs.get_by_role("button", name="Noter : structure injoignable").click()
    nojs.wait_for_selector(".aidess-notice")
    nojs.get_by_role("button", name="Je prends en charge").click()
    nojs.wait_for_selector(".aidess-notice")
    nojs.fill("#note", "Rappel prévu jeudi.")
    nojs.get_by_role("button", name="Envoyer la note").click()
    nojs.wait_for_selector(".aidess-notice")
    nojs.select_option("#reseau", index=1)
    nojs.get_by_role("button", name="Transmettre").click()
    nojs.wait_for_selector(".aidess-notice")
    nojs.select_option("#issue", "orientee")
    nojs.get_by_role("button", name="Terminer").click()
    nojs.wait_for_selector(".aidess-notice")
    assert "Accompagnement terminé" in nojs.inner_text("main")
    nojs.goto(links[second])
    nojs.fill("#motif", "Hors de notre champ")
    nojs.get_by_role("button", name="Décliner").click()
    nojs.wait_for_selector(".aidess-notice")
    fields = {p["action"]: set(p) - {"cle", "jeton", "action"} for p in posted}
    assert fields == {
        "injoignable": set(),
        "prendre": set(),
        "noter": {"note"},
        "transmettre": {"reseau"},
        "terminer": {"issue"},
        "decliner": {"motif"},
    }


def test_the_requesters_buttons_ask_first_without_javascript(
    phone: Page, nojs: Page, product: Product, screenshots: Path
) -> None:
    links, requester = new_dossier(product, "alex.demandeur@exemple.fr")
    phone.goto(requester)
    phone.screenshot(path=str(screenshots / "dossier-demandeur-telephone.png"), full_page=True)
    nojs.goto(requester)
    nojs.get_by_role("button", name="Je n'ai plus besoin d'être rappelé").click()
    nojs.wait_for_selector("h1:has-text('plus besoin')")
    assert "Oui, je n'ai plus besoin d'être rappelé" in nojs.inner_text("main")
    nojs.get_by_role("button", name="Oui, je n'ai plus besoin d'être rappelé").click()
    nojs.wait_for_selector(".aidess-notice")
    main = nojs.inner_text("main")
    assert "Terminé" in main and "Vous avez indiqué ne plus avoir besoin" in main
    # Every network reads it on its page: no « Nouvelle » left.
    nojs.goto(next(iter(links.values())))
    assert "Clos : la structure n'a plus besoin d'être rappelée" in nojs.inner_text("main")
    phone.goto(requester)
    phone.screenshot(path=str(screenshots / "dossier-demandeur-plus-besoin.png"), full_page=True)
    phone.get_by_role("button", name="Effacer mes données").click()
    phone.wait_for_selector("h1:has-text('Effacer vos données ?')")
    phone.screenshot(path=str(screenshots / "dossier-demandeur-effacer-confirmer.png"))
    phone.get_by_role("button", name="Oui, effacer mes données").click()
    phone.wait_for_selector("h1:has-text('Vos données sont effacées')")
    assert "Demande envoyée" not in phone.inner_text("main") + phone.title()
    phone.screenshot(path=str(screenshots / "dossier-demandeur-efface.png"))
    nojs.goto(requester)
    assert "Dossier introuvable" in nojs.inner_text("h1")


def test_the_networks_table_reads_on_a_narrow_phone(
    browser: Browser, product: Product, screenshots: Path
) -> None:
    """At 360 px each network is a block: its contacts, then « Statut : … » and « Depuis : … »
    under them, nothing cut off nor scrolled sideways."""
    _, requester = new_dossier(product, "alex.etroit@exemple.fr")
    context = browser.new_context(
        locale="fr-FR", viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True
    )
    phone = context.new_page()
    try:
        phone.goto(requester)
        assert phone.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
        rows = phone.locator(".aidess-stack tbody tr")
        assert rows.count() >= 2
        for n in range(rows.count()):
            row = rows.nth(n)
            box = row.bounding_box()
            assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 360, box
            status, since = row.locator("td[data-label]").all()
            # Read under the network, with the name of its column.
            assert status.evaluate("td => getComputedStyle(td, '::before').content") == (
                '"Statut\u00a0: "'
            )
            assert since.evaluate("td => getComputedStyle(td, '::before').content") == (
                '"Depuis\u00a0: "'
            )
            assert status.bounding_box()["y"] > row.locator("td").first.bounding_box()["y"]  # type: ignore[index]
            assert since.bounding_box()["x"] + since.bounding_box()["width"] <= 360  # type: ignore[index]
        assert violations(phone) == []
        phone.locator(".aidess-stack").screenshot(
            path=str(screenshots / "dossier-demandeur-reseaux-360.png")
        )
        phone.screenshot(path=str(screenshots / "dossier-demandeur-360.png"), full_page=True)
    finally:
        context.close()
