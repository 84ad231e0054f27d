"""What a visitor does on the site, as small functions the scenarios share."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlsplit

from playwright.sync_api import Page

from generator.content import matching, urls
from generator.content.catalog import Catalog
from generator.content.status import status

PAGE = 10  # results per batch on the home page (theme/assets/aidess/recherche.js)


def wait_ready(page: Page) -> int:
    """Wait until the current search has drawn its first results (or its no-result help);
    return how many results it announced (theme/assets/aidess/recherche.js `done`)."""
    page.wait_for_selector("#resultats-zone[data-etat='pret']", state="attached")
    return int(page.get_attribute("#resultats-zone", "data-total") or 0)


# The results list, then the aids the visitor cannot get, listed apart (recherche.js).
CARDS = "#resultats li, #resultats-apart-liste li"


def results(page: Page) -> list[str]:
    """Every result URL of the current search, clicking « Afficher plus » until all the
    results the page announces are listed: those for the visitor, then those listed apart
    (« Probablement pas pour vous »)."""
    total = wait_ready(page)
    items = page.locator(CARDS)
    shown = min(total, PAGE)
    while True:
        # Wait for the batch on screen to be complete before asking for the next one.
        page.wait_for_function(
            f"() => document.querySelectorAll({CARDS!r}).length >= {shown}", polling=100
        )
        if items.count() >= total:
            break
        page.click("#plus")
        shown = min(total, shown + PAGE)
    hrefs = page.locator("#resultats li h3 a, #resultats-apart-liste li h3 a").evaluate_all(
        "links => links.map(a => a.href)"
    )
    return [urlsplit(href).path for href in hrefs]


def expected(
    catalog: Catalog,
    *,
    departement: str | None = None,
    region: str | None = None,
    secteur: str | None = None,
    closed: bool = False,
) -> set[str]:
    """Aid URLs a filter must show, computed from the content by docs/interfaces.md §2."""
    found = set()
    for slug, record in catalog.aides.items():
        aide = record.data
        shut = status(aide.ouverture, aide.cloture, aide.recurrence, date.today()) == "cloturee"
        if shut != closed:
            continue
        if departement and not matching.matches_department(
            aide.territoires, aide.exclusions, departement
        ):
            continue
        if region and not matching.matches_region(aide.territoires, aide.exclusions, region):
            continue
        if secteur and secteur not in aide.secteurs and "tous" not in aide.secteurs:
            continue
        found.add(urls.aide(slug))
    return found


def no_horizontal_scroll(page: Page) -> bool:
    width: bool = page.evaluate(
        "() => document.documentElement.scrollWidth <= window.innerWidth + 1"
    )
    return width
