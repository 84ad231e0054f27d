"""From an aid page to the mails in the networks' inboxes, as a visitor does it."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page

from form_service.requests.dispatch import Profile, route
from generator.content import urls
from tests.e2e.conftest import Product

pytestmark = pytest.mark.e2e

AIDE = "dispositif-local-d-accompagnement"


def fill(page: Page, *, email: str, structure: str = "Les Amis du Vieux Lille") -> None:
    page.fill("#structure", structure)
    page.fill("#identifiant", "w592000123")
    page.select_option("#forme", "association")
    page.select_option("#effectif", "1-3")
    page.select_option("#departement", "59")
    page.select_option("#secteur", "culture")
    # An aid's needs come ticked: this request asks for two only.
    page.locator("input[name=besoins]").evaluate_all(
        "boxes => boxes.forEach(b => { b.checked = false; })"
    )
    page.check("#besoins-tresorerie")
    page.check("#besoins-emploi")
    page.fill("#nom", "Camille Martin")
    page.fill("#email", email)
    page.fill("#telephone", "03 20 12 34 56")
    page.fill("#message", "Nous cherchons à pérenniser notre premier emploi.")
    page.check("#consentement")


def expected_slugs(product: Product, aide: str | None) -> list[str]:
    profile = Profile("59", "association", "1-3", "culture", ("tresorerie", "emploi"), None, aide)
    reseaux = {slug: r.data for slug, r in product.catalog.reseaux.items()}
    linked = product.catalog.aides[aide].data.reseaux if aide else []
    return [choice.slug for choice in route(profile, reseaux, linked).choices]


def expected_recipients(product: Product, aide: str | None) -> set[str]:
    """Who `aidess route` says receives this request."""
    profile = Profile("59", "association", "1-3", "culture", ("tresorerie", "emploi"), None, aide)
    reseaux = {slug: r.data for slug, r in product.catalog.reseaux.items()}
    linked = product.catalog.aides[aide].data.reseaux if aide else []
    return {choice.email for choice in route(profile, reseaux, linked).choices}


def test_aid_page_to_callback_to_routed_mails(page: Page, product: Product) -> None:
    page.goto(product.url + urls.aide(AIDE))
    page.locator("a.md-button", has_text="Être rappelé").first.click()
    page.wait_for_url(f"**{urls.FORM_PATH}?aide={AIDE}**")
    title = product.catalog.aides[AIDE].data.titre
    page.wait_for_selector("#aide-choisie:not([hidden])")
    assert page.inner_text("#aide-titre") == title
    assert page.input_value("#aide") == AIDE

    before = len(product.sink.received)
    fill(page, email="camille.parcours@exemple.fr")
    # Before sending, the form says who will receive the request (GET /demandes/apercu).
    page.wait_for_selector("#apercu:not([hidden])")
    preview = page.inner_text("#apercu")
    names = [product.catalog.reseaux[slug].data.nom for slug in expected_slugs(product, AIDE)]
    assert all(name in preview for name in names), preview
    page.click("form.aidess-form button[type=submit]")
    page.wait_for_url("**/dossiers/**")  # the confirmation is the requester's dossier page
    assert "Demande envoyée" in page.title()
    confirmation = page.inner_text("main")
    assert "AID-" in confirmation and "sous 2 jours ouvrés" in confirmation
    assert all(name in confirmation for name in names)

    networks = expected_recipients(product, AIDE)
    assert networks, "la demande devrait aller à au moins un réseau du Nord"
    mails = product.sink.wait_for(before + len(networks) + 1, timeout=20)[before:]
    by_recipient = {rcpt: mail for mail in mails for rcpt in mail.recipients}
    assert set(by_recipient) == networks | {"camille.parcours@exemple.fr"}
    for address in networks:
        message = by_recipient[address].message
        assert message["Reply-To"] == "camille.parcours@exemple.fr"
        text = message.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
        assert "Les Amis du Vieux Lille" in text and title in text
    ack = by_recipient["camille.parcours@exemple.fr"].message
    assert set(str(ack["Reply-To"]).split(", ")) == networks  # a reply reaches the networks


def test_the_form_is_prefilled_from_the_search_filters(page: Page, product: Product) -> None:
    page.goto(
        product.url + urls.FORM_PATH + "?departement=29&forme=cooperative&effectif=4-10"
        "&secteur=culture&besoins=emploi&besoins=tresorerie&etape=inconnue"
    )
    assert page.input_value("#departement") == "29"
    assert page.input_value("#forme") == "cooperative"
    assert page.input_value("#effectif") == "4-10"
    assert page.input_value("#secteur") == "culture"
    assert page.input_value("#etape") == ""  # not a value the form offers: ignored
    assert page.is_checked("#besoins-emploi") and page.is_checked("#besoins-tresorerie")
    assert not page.is_checked("#besoins-numerique")


def test_mistakes_come_back_with_summary_focus_and_values(page: Page, product: Product) -> None:
    page.goto(product.url + urls.FORM_PATH)
    page.fill("#structure", "Atelier <b>vélo</b> solidaire")
    page.fill("#email", "pas-une-adresse")
    page.fill("#identifiant", "123")
    page.click("form.aidess-form button[type=submit]")
    page.wait_for_selector("#erreurs")
    assert page.evaluate("() => document.activeElement.id") == "erreurs"
    assert page.input_value("#structure") == "Atelier <b>vélo</b> solidaire"
    for field in ("email", "identifiant", "forme", "nom", "consentement"):
        control = page.locator(f"#{field}")
        assert control.get_attribute("aria-invalid") == "true", field
        described = control.get_attribute("aria-describedby") or ""
        assert f"{field}-erreur" in described.split(), field
        assert page.locator(f"#{field}-erreur").is_visible(), field
    summary_links = page.locator("#erreurs a").count()
    assert summary_links >= 5


def test_without_javascript_the_form_still_sends(nojs: Page, product: Product) -> None:
    nojs.goto(product.url + urls.FORM_PATH)
    before = len(product.sink.received)
    fill(nojs, email="sans.js@exemple.fr", structure="Compagnie Sans Script")
    nojs.click("form.aidess-form button[type=submit]")
    nojs.wait_for_url("**/dossiers/**")
    mails = product.sink.wait_for(before + len(expected_recipients(product, None)) + 1, timeout=20)
    assert any("sans.js@exemple.fr" in m.recipients for m in mails[before:])


def test_without_javascript_territory_pages_list_the_aids(nojs: Page, product: Product) -> None:
    nojs.goto(product.url + "/")
    nojs.get_by_role("link", name="Nord (59)").click()
    assert nojs.url.endswith(urls.departement("59"))
    links = set(nojs.locator("a[href^='/aides/']").evaluate_all("a => a.map(x => x.pathname)"))
    assert "/aides/fdva-2-fonctionnement-projets-innovants-nord/" in links
    assert "/aides/fdva-2-fonctionnement-projets-innovants-somme/" not in links
    assert nojs.locator("a[href^='/reseaux/dla-nord/']").count() >= 1


def test_a_callback_needs_a_phone_unless_mail_is_preferred(
    nojs: Page, product: Product, screenshots: Path
) -> None:
    nojs.goto(product.url + urls.FORM_PATH)
    fill(nojs, email="sans.telephone@exemple.fr", structure="Compagnie Sans Téléphone")
    nojs.fill("#telephone", "")
    nojs.click("form.aidess-form button[type=submit]")
    nojs.wait_for_selector("#erreurs")
    error = nojs.inner_text("#telephone-erreur")
    assert "indiquez un numéro pour être rappelé" in error and "par courriel" in error
    nojs.screenshot(path=str(screenshots / "demande-sans-telephone.png"), full_page=True)
    nojs.check("#contact")
    nojs.click("form.aidess-form button[type=submit]")
    nojs.wait_for_url("**/dossiers/**")
