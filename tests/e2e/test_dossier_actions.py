"""A network takes a dossier from its mail link in a real browser: the page's own
Referrer-Policy must leave the browser an Origin the action POST is checked against."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from generator.content import urls
from tests.e2e.conftest import Product
from tests.e2e.test_form import expected_recipients, fill

pytestmark = pytest.mark.e2e


def test_a_network_takes_the_dossier_from_its_mail_link(
    phone: Page, product: Product, screenshots: Path
) -> None:
    phone.goto(product.url + urls.FORM_PATH)
    before = len(product.sink.received)
    fill(phone, email="prise.en.charge@exemple.fr", structure="Compagnie du Dossier")
    phone.click("form.aidess-form button[type=submit]")
    phone.wait_for_url("**/dossiers/**")  # the confirmation is the requester's dossier page
    networks = expected_recipients(product, None)
    mails = product.sink.wait_for(before + len(networks) + 1, timeout=20)[before:]
    network = next(m for m in mails if "prise.en.charge@exemple.fr" not in m.recipients)
    text = str(network.message.get_body(("plain",)).get_content())  # type: ignore[union-attr]
    found = re.search(r"<(http://[^>]+/dossiers/[^>]+)>", text)
    assert found, text
    phone.goto(found.group(1))
    phone.get_by_role("button", name="Je prends en charge").click()
    expect(phone.get_by_text("C'est enregistré")).to_be_visible()
    phone.screenshot(path=str(screenshots / "dossier-pris.png"), full_page=True)
