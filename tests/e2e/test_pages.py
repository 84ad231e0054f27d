"""The pages a visitor expects, and the search without JavaScript, in Chromium."""

from __future__ import annotations

import shutil
from datetime import date, timedelta

import pytest
from playwright.sync_api import Page

from form_service.devserver import running
from generator.build import build
from generator.content import urls
from tests.conftest import REAL_CONTENT
from tests.e2e.conftest import Product

pytestmark = pytest.mark.e2e


def test_unknown_address_gives_a_french_404(page: Page, product: Product) -> None:
    response = page.goto(product.url + "/aides/une-aide-disparue/")
    assert response is not None and response.status == 404
    assert page.inner_text("h1") == "Page introuvable"
    assert page.get_attribute("html", "lang") == "fr"
    assert page.locator("#contenu a", has_text="Toutes les aides").count() == 1


def test_search_form_without_javascript_opens_the_department_page(
    nojs: Page, product: Product
) -> None:
    nojs.goto(product.url + "/")
    assert nojs.locator("noscript").count() >= 1
    nojs.select_option("#f-departement", "59")
    nojs.click("#recherche button[type=submit]")
    nojs.wait_for_url(f"**{urls.departement('59')}")
    assert "/aides/fdva-2-fonctionnement-projets-innovants-nord/" in nojs.locator("a").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    )


def test_phone_filters_open_without_javascript(nojs: Page, product: Product) -> None:
    nojs.set_viewport_size({"width": 375, "height": 812})
    nojs.goto(product.url + "/")
    assert not nojs.locator("#filtres").is_visible()
    nojs.click("#ouvrir-filtres")
    assert nojs.locator("#filtres").is_visible()


CLOSED = """---
titre: "Fonds d'urgence de test, clôturé"
resume: "Un fonds d'urgence pour la trésorerie des associations, clos il y a un mois."
pour_qui: "Associations employeuses du Nord"
porteurs: ["État"]
natures: [subvention]
besoins: [tresorerie]
secteurs: [tous]
structures: [association]
effectif_min: 1
territoires: [DEP-59]
recurrence: ponctuelle
cloture: {cloture}
source: https://www.associations.gouv.fr/
mise_a_jour: {today}
---

Un fonds clôturé il y a un mois : il reste publié 90 jours, caché des recherches.
"""


def test_closed_aid_points_to_open_aids_not_to_a_callback(
    page: Page, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """The real directory archives closed aids after 90 days: the test adds one of its own."""
    root = tmp_path_factory.mktemp("cloturee")
    content, site = root / "content", root / "site"
    shutil.copytree(REAL_CONTENT, content)
    today = date.today()
    text = CLOSED.format(cloture=today - timedelta(days=30), today=today)
    (content / "aides" / "fonds-test-cloture.md").write_text(text, encoding="utf-8")
    assert build(content, site, today) == 0
    with running(content, site, root / "var") as stack:
        page.goto(stack.url + urls.aide("fonds-test-cloture"))
        assert page.locator(".aidess-status .aidess-badge").inner_text() == "Clôturée"
        check_closed_page(page)


def check_closed_page(page: Page) -> None:
    assert page.locator("#contenu a", has_text="Être rappelé").count() == 0
    proches = page.locator("#aides-proches + p + ul a")
    assert proches.count() >= 1
    proches.first.click()
    assert page.locator(".aidess-status .aidess-badge").inner_text() != "Clôturée"


def test_single_department_aid_prefills_the_callback_form(page: Page, product: Product) -> None:
    slug = "fdva-2-fonctionnement-projets-innovants-nord"
    page.goto(product.url + urls.aide(slug))
    link = page.locator("header a", has_text="Être rappelé")
    assert link.get_attribute("href") == urls.form(slug, "59")


def test_coverage_table_lists_departments_and_gaps(page: Page, product: Product) -> None:
    page.goto(product.url + urls.COUVERTURE_PATH)
    rows = page.locator("table.aidess-heat tbody tr th[scope=row]")
    assert rows.count() == 101
    assert page.locator("td.aidess-heat--0").count() > 0  # gaps are visible
    page.click("a[href='#dep-59']")
    assert page.locator("#dep-59 li").count() == 13


def test_sitemap_lists_absolute_urls(page: Page, product: Product) -> None:
    response = page.request.get(product.url + "/sitemap.xml")
    text = response.text()
    assert "<loc>http" in text and f"{urls.AIDES_PATH}</loc>" in text
    assert text.count("<url>") > 200
