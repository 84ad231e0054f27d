"""The pages a visitor expects, and the search without JavaScript, in Chromium."""

from __future__ import annotations

import pytest
from icalendar import Calendar
from playwright.sync_api import Page

from generator.content import urls
from tests.e2e.conftest import CLOSED_SLUG, Product

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


def test_closed_aid_points_to_open_aids_not_to_a_callback(page: Page, with_closed: Product) -> None:
    page.goto(with_closed.url + urls.aide(CLOSED_SLUG))
    assert page.locator(".aidess-status .aidess-badge").inner_text() == "Clôturée"
    assert page.locator("#contenu a", has_text="Être rappelé").count() == 0
    proches = page.locator("#aides-proches + p + ul a")
    assert proches.count() >= 1
    proches.first.click()
    assert page.locator(".aidess-status .aidess-badge").inner_text() != "Clôturée"


def test_single_department_aid_prefills_the_callback_form(page: Page, product: Product) -> None:
    slug = "fdva-2-fonctionnement-projets-innovants-nord"
    page.goto(product.url + urls.aide(slug))
    link = page.locator("header a", has_text="Être rappelé")
    besoins = product.catalog.aides[slug].data.besoins
    assert link.get_attribute("href") == urls.form(slug, "59", besoins)  # its needs ticked


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


def test_department_deadlines_open_as_a_calendar(page: Page, product: Product) -> None:
    page.goto(product.url + urls.departement("59"))
    link = page.get_by_role("link", name="Ajouter les échéances à mon agenda")
    response = page.request.get(product.url + str(link.get_attribute("href")))
    assert response.ok
    assert response.headers["content-type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.body())
    summaries = [str(e["summary"]) for e in calendar.walk("VEVENT")]
    assert summaries and all(s.startswith("Clôture") for s in summaries)
