"""« Proposer une aide » as someone who is not a developer: on a phone, from « Contribuer », a
Finistère aid typed by names and calendar dates reaches the editors' mailbox (a real SMTP
sink) with a file `aidess validate` accepts; a wrong proposal comes back with its errors next
to their fields, in French."""

from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from aidess.cli import main
from tests.e2e.conftest import Product
from tests.e2e.helpers import no_horizontal_scroll

pytestmark = pytest.mark.e2e
TITRE = "Fonds d'initiative associative du Finistère"
SLUG = "fonds-d-initiative-associative-du-finistere"


def _fill_the_aid(page: Page) -> None:
    page.get_by_label("Nom de l'aide").fill(TITRE)
    page.get_by_label("Ce que l'aide apporte, en une phrase").fill(
        "Jusqu'à 3 000 € pour lancer un projet associatif."
    )
    page.get_by_label("Qui porte l'aide").fill("Département du Finistère")
    page.get_by_label("Subvention", exact=True).check()
    page.get_by_label("Montant maximum (€)").fill("3 000")
    page.get_by_label("Pour qui : la condition décisive").fill(
        "Associations du Finistère de moins de 5 salariés."
    )
    page.get_by_label("Association", exact=True).check()
    page.get_by_label("Tous les secteurs").check()
    page.get_by_label("Financer un projet ou un investissement").check()
    page.get_by_label("Territoire 1").fill("Finistère (29)")
    page.get_by_label("Une seule fois, avant une date limite").check()
    page.get_by_label("Date limite", exact=True).fill("2027-03-31")


def test_a_visitor_proposes_an_aid_on_a_phone(
    phone: Page, product: Product, screenshots: Path, tmp_path: Path
) -> None:
    phone.goto(f"{product.url}/contribuer/")
    phone.locator(".md-content").get_by_role("link", name="Proposer une aide").click()
    expect(phone.locator("h1")).to_have_text("Proposer une aide")
    # Every text field is 16 px at least: iOS does not zoom into it.
    sizes = phone.locator("form.aidess-proposer input[type=text], form.aidess-proposer textarea")
    assert (
        min(sizes.evaluate_all("els => els.map(e => parseFloat(getComputedStyle(e).fontSize))"))
        >= 16
    )
    _fill_the_aid(phone)
    phone.get_by_label("Adresse de la page officielle").fill(
        "https://www.finistere.fr/fonds-initiative"
    )
    phone.get_by_label("Description").fill(
        "Le Département finance le lancement d'un projet associatif, jusqu'à 3 000 €."
    )
    assert no_horizontal_scroll(phone)
    phone.get_by_label("Territoire 1").scroll_into_view_if_needed()
    phone.screenshot(path=str(screenshots / "proposer-telephone-territoires.png"))
    phone.screenshot(path=str(screenshots / "proposer-telephone.png"), full_page=True)
    before = len(product.sink.received)
    phone.get_by_role("button", name="Envoyer la proposition aux éditeurs").click()
    expect(phone).to_have_url(f"{product.url}/contribuer/proposer/merci/")
    expect(phone.locator("h1")).to_have_text("Merci pour votre proposition")
    (mail,) = product.sink.wait_for(before + 1, timeout=20)[before:]
    assert list(mail.recipients) == ["editeurs@aidess.example"]
    (part,) = list(mail.message.iter_attachments())
    assert isinstance(part, EmailMessage) and part.get_filename() == f"{SLUG}.md"
    text = str(part.get_content())
    assert "- DEP-29" in text and "cloture: 2027-03-31" in text
    # The editor commits the attached file as it is: validate accepts it.
    content = tmp_path / "content"
    (content / "aides").mkdir(parents=True)
    (content / "reseaux").mkdir()
    (content / "aides" / f"{SLUG}.md").write_text(text, encoding="utf-8")
    assert main(["validate", "--content", str(content)]) == 0


def test_a_wrong_proposal_gets_its_errors_by_field(
    page: Page, product: Product, screenshots: Path
) -> None:
    page.goto(f"{product.url}/contribuer/proposer/")
    page.screenshot(path=str(screenshots / "proposer-ordinateur.png"), full_page=False)
    _fill_the_aid(page)
    page.get_by_label("Subvention", exact=True).uncheck()
    page.get_by_label("Territoire 1").fill("Atlantide")
    page.get_by_label("Adresse de la page officielle").fill("http://www.finistere.fr/")
    page.get_by_role("button", name="Envoyer la proposition aux éditeurs").click()
    expect(page.locator(".aidess-summary h2")).to_have_text("La proposition contient 4 erreurs")
    expect(page.locator("#prop-natures-erreur")).to_contain_text("Cochez au moins une case.")
    expect(page.locator("#prop-territoires-erreur")).to_contain_text(
        "Territoire inconnu « Atlantide »"
    )
    expect(page.locator("#prop-source-erreur")).to_contain_text(
        "Adresse web invalide « http://www.finistere.fr/ »"
    )
    expect(page.locator("#prop-description-erreur")).to_contain_text("Décrivez l'aide")
    expect(page.get_by_label("Nom de l'aide")).to_have_value(TITRE)  # nothing typed is lost
    page.locator("#prop-natures").scroll_into_view_if_needed()
    page.screenshot(path=str(screenshots / "proposer-erreurs.png"), full_page=False)


def _suggested(page: Page, field: str, typed: str, expected: str) -> None:
    """`expected` among the suggestions of the field once `typed` (communes.js)."""
    box = page.get_by_label(field)
    box.fill(typed)
    list_id = box.get_attribute("list")
    page.wait_for_function(
        "([id, value]) => [...document.querySelectorAll(`#${id} option`)]"
        ".some(o => o.value === value)",
        arg=[list_id, expected],
    )


def test_the_territories_suggest_communes_too(
    phone: Page, page: Page, product: Product, screenshots: Path
) -> None:
    """A commune by its name or its postcode, as on the other forms, besides France, the
    regions and the departments — on the page and on the form sent back with its errors."""
    phone.goto(f"{product.url}/contribuer/proposer/")
    _suggested(phone, "Territoire 1", "Finis", "Finistère (29)")
    _suggested(phone, "Territoire 1", "quimp", "Quimper (29)")
    _suggested(phone, "Exclusion 1", "29200", "29200 Brest")
    phone.get_by_label("Territoire 1").scroll_into_view_if_needed()
    phone.screenshot(path=str(screenshots / "proposer-telephone-communes.png"))
    page.goto(f"{product.url}/contribuer/proposer/")
    _fill_the_aid(page)
    page.get_by_label("Territoire 1").fill("Atlantide")
    page.get_by_role("button", name="Envoyer la proposition aux éditeurs").click()
    expect(page.locator("#prop-territoires-erreur")).to_contain_text("Territoire inconnu")
    # The site's own page (its navigation leads where it does at /contribuer/proposer/).
    contribuer = page.locator(".md-nav a", has_text="Contribuer").first
    assert contribuer.evaluate("a => a.href") == f"{product.url}/contribuer/"
    _suggested(page, "Territoire 1", "Roub", "Roubaix (59)")
    page.get_by_label("Territoire 1").fill("Roubaix (59)")
    page.get_by_label("Adresse de la page officielle").fill("https://www.roubaix.fr/fonds")
    page.get_by_label("Description").fill("## Ce que l'aide finance\n\nUn projet.")
    page.get_by_role("button", name="Envoyer la proposition aux éditeurs").click()
    expect(page).to_have_url(f"{product.url}/contribuer/proposer/merci/")
