"""The home page as a search page, results first, on a phone and on a desktop: what a
volunteer sees without scrolling, the chips, the phone filter panel by keyboard, the page not
moving as it loads, the search words people type, and the ways out of an empty result."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Browser, Page

from generator.content import urls
from generator.content.vocabularies import STATUTS
from tests.e2e.conftest import Product
from tests.e2e.helpers import PAGE, expected, results, wait_ready

pytestmark = pytest.mark.e2e

FILTERED = "/?departement=59&besoin=emploi"
VIEWPORTS = {
    "telephone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
    "bureau": {"viewport": {"width": 1280, "height": 800}},
}
# Sum of the page's layout shifts not caused by an input (what Lighthouse calls CLS).
CLS = """
window.__cls = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) if (!entry.hadRecentInput) window.__cls += entry.value;
}).observe({type: "layout-shift", buffered: true});
"""


@pytest.fixture(params=list(VIEWPORTS))
def screen(request: pytest.FixtureRequest, browser: Browser) -> Iterator[tuple[str, Page]]:
    context = browser.new_context(locale="fr-FR", **VIEWPORTS[request.param])  # type: ignore[arg-type]
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield request.param, page
    context.close()


def slow_network(page: Page) -> None:
    """A phone on a slow mobile network: every request waits, so the page is drawn before
    Pagefind answers and any move of what is already on screen would be measured."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 150, "downloadThroughput": 400_000, "uploadThroughput": 8e4},
    )


@pytest.mark.parametrize("path", ["/", FILTERED])
def test_home_does_not_move_as_it_loads(
    screen: tuple[str, Page], product: Product, screenshots: Path, path: str
) -> None:
    name, page = screen
    page.set_default_timeout(60_000)  # a slow network on a shared machine
    slow_network(page)
    page.add_init_script(CLS)
    page.goto(product.url + path, wait_until="commit")
    assert wait_ready(page) > 0
    page.wait_for_timeout(500)
    shift = page.evaluate("window.__cls")
    suffix = "filtre" if "?" in path else "vide"
    page.screenshot(path=screenshots / f"accueil-{suffix}-{name}.png")
    assert shift <= 0.1, f"décalage cumulé {shift:.3f} sur {path} ({name})"


def test_first_filtered_result_is_on_screen_without_scrolling(
    screen: tuple[str, Page], product: Product
) -> None:
    name, page = screen
    page.goto(product.url + FILTERED)
    assert wait_ready(page) > 0
    box = page.locator("#resultats li").first.locator("h3").bounding_box()
    height = VIEWPORTS[name]["viewport"]["height"]  # type: ignore[index]
    assert box is not None and page.evaluate("window.scrollY") == 0
    assert box["y"] >= 0 and box["y"] + box["height"] <= height, (name, box)


def test_result_cards_show_status_deadline_territory_and_a_prefilled_callback(
    page: Page, product: Product
) -> None:
    page.goto(product.url + FILTERED)
    results(page)
    card = page.locator("#resultats li.aidess-card").first
    badge = card.locator(".aidess-badge")
    assert badge.inner_text() in set(STATUTS.values()) - {"Clôturée"}
    colour = badge.evaluate("b => getComputedStyle(b).backgroundColor")
    assert colour not in {"rgba(0, 0, 0, 0)", "rgb(255, 255, 255)"}
    assert card.locator("dt", has_text="Où").count() == 1
    assert card.locator("dt", has_text="Porteurs").count() == 1
    link = card.locator("a", has_text="Être rappelé")
    query = parse_qs(urlsplit(link.get_attribute("href") or "").query)
    assert query["departement"] == ["59"] and query["besoins"] == ["emploi"]
    assert query["aide"][0] in (card.locator("h3 a").get_attribute("href") or "")
    home = parse_qs(urlsplit(page.get_attribute("#rappel-accueil", "href") or "").query)
    assert home == {"departement": ["59"], "besoins": ["emploi"]}


def test_chips_remove_filters_and_the_url_follows(page: Page, product: Product) -> None:
    page.goto(product.url + "/?departement=59")
    wait_ready(page)
    page.check("#f-besoin-emploi")
    page.wait_for_url("**besoin=emploi**")
    chip = page.locator("#filtres-actifs button", has_text="Recruter")
    assert chip.count() == 1
    narrowed = set(results(page))
    assert narrowed < expected(product.catalog, departement="59")
    chip.click()
    page.wait_for_url(lambda url: "besoin" not in url and "departement=59" in url)
    assert not page.locator("#f-besoin-emploi").is_checked()
    assert set(results(page)) == expected(product.catalog, departement="59")
    page.locator("#filtres-actifs button", has_text="Nord").click()
    page.wait_for_url(lambda url: urlsplit(url).query == "")
    assert page.locator("#filtres-actifs li").count() == 0
    assert page.input_value("#f-departement") == ""


def test_phone_filter_panel_opens_applies_and_closes_with_the_keyboard(
    phone: Page, product: Product
) -> None:
    page = phone
    page.goto(product.url + "/?departement=59")
    wait_ready(page)
    panel = page.locator("#filtres")
    assert not panel.is_visible()
    page.focus("#ouvrir-filtres")
    page.keyboard.press("Enter")
    assert panel.is_visible()
    assert page.get_attribute("#ouvrir-filtres", "aria-expanded") == "true"
    assert page.evaluate("document.activeElement.id") == "filtres-titre"
    for _ in range(80):  # focus stays in the dialog
        page.keyboard.press("Tab")
        assert page.evaluate("document.getElementById('filtres').contains(document.activeElement)")
        if page.evaluate("document.activeElement.id") == "f-besoin-emploi":
            break
    page.keyboard.press("Space")
    assert page.locator("#f-besoin-emploi").is_checked()
    assert "besoin" not in page.url  # applied with « Voir les aides », not on each tick
    page.focus("#appliquer")
    page.keyboard.press("Enter")
    page.wait_for_url("**besoin=emploi**")
    assert not panel.is_visible()
    assert page.inner_text("#ouvrir-filtres") == "Filtres (1)"
    assert set(results(page)) <= expected(product.catalog, departement="59")
    page.focus("#ouvrir-filtres")
    page.keyboard.press("Space")
    assert panel.is_visible()
    page.keyboard.press("Escape")
    assert not panel.is_visible()
    assert page.evaluate("document.activeElement.id") == "ouvrir-filtres"


@pytest.mark.parametrize(
    ("words", "wanted"),
    [
        ("difficultés financières", "tresorerie"),
        ("Somme", "fdva-2-fonctionnement-projets-innovants-somme"),
    ],
)
def test_search_finds_the_labels_and_places_people_type(
    page: Page, product: Product, words: str, wanted: str
) -> None:
    page.goto(f"{product.url}/?q={words}")
    found = results(page)
    if wanted in {"tresorerie"}:
        tresorerie = {
            urls.aide(slug)
            for slug, record in product.catalog.aides.items()
            if "tresorerie" in record.data.besoins
        }
        assert found and set(found) & tresorerie
    else:
        assert urls.aide(wanted) in found


def test_an_acronym_in_capitals_finds_its_carrier_not_the_word(
    page: Page, product: Product
) -> None:
    ans = {
        urls.aide(slug)
        for slug, record in product.catalog.aides.items()
        if any("agence nationale du sport" in p.casefold() for p in record.data.porteurs)
    }
    page.goto(f"{product.url}/?q=ANS")
    found = set(results(page))
    assert ans and found & ans
    assert found <= ans  # not « sur trois ans »


def test_empty_result_says_why_and_offers_ways_out(page: Page, product: Product) -> None:
    page.goto(f"{product.url}/?departement=59&q=xylophone")
    assert wait_ready(page) == 0
    help = page.locator("#sans-resultat")
    assert "xylophone" in help.inner_text()
    assert help.locator("a", has_text="Toutes les aides du département").count() == 1
    callback = help.locator("a", has_text="Être rappelé").get_attribute("href") or ""
    assert "departement=59" in callback
    help.locator("button", has_text="Chercher sans les mots").click()
    page.wait_for_url(lambda url: "xylophone" not in url)
    assert set(results(page)) == expected(product.catalog, departement="59")


def test_sort_by_deadline_puts_the_soonest_first(page: Page, product: Product) -> None:
    page.goto(f"{product.url}/?tri=echeance&statut=ouverte&statut=cloturee")
    found = results(page)
    deadlines = []
    for url in found:
        slug = url.strip("/").rsplit("/", 1)[-1]
        cloture = product.catalog.aides[slug].data.cloture
        deadlines.append(cloture.isoformat() if cloture else "9999")
    assert deadlines == sorted(deadlines)
    assert deadlines[0] != "9999"


def test_first_visit_shows_cards_without_the_search_index_until_the_search_is_used(
    page: Page, product: Product
) -> None:
    fetched: list[str] = []
    page.on("request", lambda request: fetched.append(request.url))
    page.goto(product.url + "/", wait_until="networkidle")
    total = wait_ready(page)
    assert page.locator("#resultats li.aidess-card").count() == min(total, PAGE)
    assert page.locator("#plus").is_visible() == (total > PAGE)
    assert not [url for url in fetched if "/pagefind/" in url]
    with page.expect_request(lambda request: "/pagefind/pagefind.js" in request.url):
        page.focus("#q")


def test_more_continues_the_server_cards_with_every_open_aid_once(
    page: Page, product: Product
) -> None:
    page.goto(product.url + "/")
    found = results(page)
    assert len(found) == len(set(found))
    assert set(found) == expected(product.catalog)
