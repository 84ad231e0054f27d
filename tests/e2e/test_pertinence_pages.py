"""What a visitor sees of pertinence and of the words on the home page, in Chromium on the
real content: the phone filter panel that counts as it is ticked, the departments by number
with type-ahead, a small employer's « trésorerie » in Nord, words read as filters, and the
aids matching most of the words when none matches them all."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page

from tests.e2e.conftest import Product
from tests.e2e.helpers import results, wait_ready

pytestmark = pytest.mark.e2e

DASESS = "/aides/dasess-nord/"


def counts(page: Page, facet: str) -> dict[str, int]:
    spans = page.locator(f"#filtres [data-facet='{facet}']")
    values = spans.evaluate_all("s => s.map(x => [x.dataset.value, x.textContent])")
    return {value: int(text) for value, text in values}


def see_all(page: Page) -> int | None:
    found = re.search(r"\((\d+)\)", page.inner_text("#appliquer"))
    return int(found.group(1)) if found else None


def test_phone_panel_counts_as_filters_are_ticked(
    phone: Page, product: Product, screenshots: Path
) -> None:
    page = phone
    page.goto(product.url + "/?departement=59")
    total = wait_ready(page)
    page.click("#ouvrir-filtres")
    page.wait_for_function(
        "() => /\\(\\d+\\)/.test(document.getElementById('appliquer').textContent)"
    )
    assert see_all(page) == total
    page.screenshot(path=screenshots / "filtres-telephone-1-ouvert.png")
    before = counts(page, "structure")
    needs_before = counts(page, "besoin")
    page.check("#f-besoin-tresorerie")
    page.wait_for_function(
        f"() => !document.getElementById('appliquer').textContent.includes('({total})')"
    )
    page.wait_for_function(
        "before => document.querySelector("
        "\"#filtres [data-facet='structure'][data-value='association']\").textContent"
        " !== String(before)",
        arg=before["association"],
    )
    after = counts(page, "structure")
    assert after["association"] < before["association"]
    # Needs are OR'ed: beside each need, what ticking it too would add — the counts of the
    # search without the needs, not (0) for every other need.
    page.wait_for_function(
        "expected => Array.from(document.querySelectorAll(\"#filtres [data-facet='besoin']\"))"
        ".every(s => s.textContent === String(expected[s.dataset.value] || 0))",
        arg=needs_before,
    )
    assert counts(page, "besoin") == needs_before
    assert needs_before.get("benevolat", 0) > 0
    shown = see_all(page)
    assert shown is not None and 0 < shown < total
    assert "besoin" not in page.url  # still applied with « Voir les aides » only
    page.screenshot(path=screenshots / "filtres-telephone-2-tresorerie-coche.png")
    page.click("#appliquer")
    page.wait_for_url("**besoin=tresorerie**")
    assert wait_ready(page) == shown


def test_departments_by_number_and_typed_by_number_or_name(page: Page, product: Product) -> None:
    page.goto(product.url + "/")
    wait_ready(page)
    options = page.locator("#f-departement option").evaluate_all(
        "os => os.slice(1).map(o => Number(o.textContent.match(/\\((\\d+)\\)$/)[1]))"
    )
    assert options == sorted(options, reverse=True)
    assert len(options) == 101
    page.focus("#f-departement")
    page.keyboard.type("59")
    assert page.input_value("#f-departement") == "59"
    page.wait_for_url("**departement=59**")
    page.focus("#f-departement")
    page.keyboard.type("Ille")
    assert page.input_value("#f-departement") == "35"


@pytest.mark.parametrize(
    "url", ["/?q=trésorerie&departement=59", "/?q=tresorerie&departement=59&effectif=1-3"]
)
def test_a_small_employer_in_nord_sees_dasess_in_the_first_screen(
    phone: Page, product: Product, screenshots: Path, url: str
) -> None:
    page = phone
    page.goto(product.url + url)
    wait_ready(page)
    card = page.locator(f"#resultats li:has(a[href^='{DASESS}'])")
    box = card.bounding_box()
    assert box is not None
    assert box["y"] + 40 < 812, box  # its title is on the first screen
    name = "tresorerie-nord" + ("-employeur" if "effectif" in url else "")
    page.screenshot(path=screenshots / f"{name}-telephone.png")  # the first screen


def test_words_are_read_as_filters_and_said(page: Page, product: Product) -> None:
    page.goto(product.url + "/?q=" + "aide emploi asso 1 salarié Nord")
    assert wait_ready(page) > 2  # when every word had to match: 2 aids
    said = page.inner_text("#compris")
    for part in ("emploi", "Association", "Nord", "1 à 3"):
        assert part in said, said


# Without a territory (Pagefind), and within one (its listing, then Pagefind for the relaxed
# search).
@pytest.mark.parametrize("where", ["", "departement=35&"])
def test_most_of_the_words_when_none_matches_them_all(
    page: Page, product: Product, where: str
) -> None:
    page.goto(product.url + "/?" + where + "q=" + "radio nager")
    found = wait_ready(page)
    assert found > 0
    assert "Aucune aide ne réunit tous vos mots" in page.inner_text("#resultats-nombre")


def test_a_word_no_aid_holds_is_said_and_the_others_searched(page: Page, product: Product) -> None:
    page.goto(product.url + "/?q=" + "trésorerie xyzabc Nord")
    total = wait_ready(page)
    said = page.inner_text("#resultats-nombre")
    assert said.startswith("Aucun résultat pour « xyzabc » : recherche sur les autres mots"), said
    first = results(page)
    page.goto(product.url + "/?q=" + "trésorerie Nord")
    assert wait_ready(page) == total
    assert results(page) == first


def test_a_city_aid_comes_after_the_departments_with_its_place(
    page: Page, product: Product
) -> None:
    page.goto(product.url + "/?departement=59&besoin=financer-projet")
    found = results(page)
    roubaix = "/aides/roubaix-fonds-de-participation-des-habitants/"
    assert roubaix in found
    marks = page.locator("#resultats li").evaluate_all(
        "lis => lis.map(li => (li.querySelector('.aidess-card-apart') || {}).textContent || '')"
    )
    assert "Roubaix" in marks[found.index(roubaix)] and "seulement" in marks[found.index(roubaix)]
    flags = [1 if mark else 0 for mark in marks]
    assert flags == sorted(flags)  # nothing marked before an aid covering all of Nord
