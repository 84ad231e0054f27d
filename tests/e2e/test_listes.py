"""A department choice at scale, in Chromium, on a synthetic directory of 2,000 aids: the home
page fetches the department's precomputed listing (and the national aids' file it shares with
every territory) and nothing of Pagefind, and draws the listing's first cards in its order;
words within the department ask Pagefind only which pages they find, and the listing does
the rest (no fragment, no filter file). Requests and bytes are counted, not time (speed is
`make bench`'s)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, Request

from bench import synthetic
from generator.content.ranking import Demand, sort_key
from tests.conftest import absent, chromium
from tests.e2e.helpers import PAGE, wait_ready

pytestmark = pytest.mark.e2e

AIDES = 2_000  # enough for listings of a few hundred aids per department
DEPARTEMENT = "59"
LISTINGS = "/donnees/listes/"
HEADERS = 1_024  # slack per response for its status line and headers
RERANK = 150  # Pagefind results re-ranked in the browser (theme/assets/aidess/sources.js)
WORD, NEXT_WORD = "cuisine", "faisabilité"  # in many synthetic aids, read as no filter


@pytest.fixture(scope="session")
def large(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """A synthetic directory built once and served like `aidess serve`."""
    if chromium() is None:
        absent("navigateur")
    from form_service.devserver import running
    from generator.build import build

    root = tmp_path_factory.mktemp("grand")
    content, site = root / "content", root / "site"
    synthetic.generate(synthetic.Plan(AIDES, AIDES // 5), content, date.today())
    assert build(content, site, date.today()) == 0
    with running(content, site, root / "var") as stack:
        yield stack.url, site


def listing(site: Path, name: str) -> list[dict[str, Any]]:
    """A territory's listing in its order, read from the built files as the script reads it
    (each entry with its Pagefind result id, `pagefind`)."""
    folder = site / LISTINGS.strip("/")
    files = [
        json.loads((folder / f"{n}.json").read_text(encoding="utf-8")) for n in (name, "france")
    ]
    for file in files:
        for entry, found in zip(file["aides"], file["pagefind"], strict=True):
            entry["pagefind"] = found
    own, france = files[0]["aides"], files[1]["aides"]
    return [own[i] if i >= 0 else france[-i - 1] for i in files[0]["ordre"]]


def features(entry: dict[str, Any]) -> dict[str, Any]:
    """An entry's pertinence features, rebuilt as theme/assets/aidess/listes.js does, with the
    title and summary the re-ranking reads from the card."""
    f = entry["filtres"]
    return {
        "slug": entry["url"].removeprefix("/aides/").strip("/"),
        "besoins": f["besoin"],
        "structures": f["structure"],
        "natures": f["nature"],
        "effectifs": f["effectif"],
        "statut": entry["etat"],
        "cloture": "" if entry["cloture"] == "9999-12-31" else entry["cloture"],
        **entry["classement"],
        "titre": entry["title"],
        "resume": entry.get("resume", ""),
    }


class Requests:
    def __init__(self, page: Page) -> None:
        self.seen: list[Request] = []
        page.on("requestfinished", self.add)

    def add(self, request: Request) -> None:
        self.seen.append(request)

    def since(self, mark: int) -> list[Request]:
        """The page's requests since `mark`: not the tab's favicon, which Chromium fetches
        whenever it likes, nor `aidess serve`'s reload poll (/dev/)."""
        return [
            r
            for r in self.seen[mark:]
            if "favicon" not in r.url and not urlsplit(r.url).path.startswith("/dev/")
        ]


def drawn(page: Page) -> list[str]:
    hrefs = page.locator("#resultats li h3 a").evaluate_all("links => links.map(a => a.href)")
    return [urlsplit(h).path for h in hrefs]


def choose(page: Page, requests: Requests, value: str) -> list[Request]:
    """Choose a department in the search line; the requests that choice made."""
    page.wait_for_load_state("networkidle")
    mark = len(requests.seen)
    page.select_option("#f-departement", value)
    page.wait_for_url(f"**departement={value}**")
    wait_ready(page)
    page.wait_for_load_state("networkidle")
    return requests.since(mark)


def test_a_department_choice_loads_its_listing_only(
    page: Page, large: tuple[str, Path], screenshots: Path
) -> None:
    url, site = large
    requests = Requests(page)
    page.goto(f"{url}/")
    wait_ready(page)
    made = choose(page, requests, DEPARTEMENT)
    paths = sorted(urlsplit(r.url).path for r in made)
    assert paths == [f"{LISTINGS}departement-{DEPARTEMENT}.json", f"{LISTINGS}france.json"]
    sent = sum(r.sizes()["responseBodySize"] + r.sizes()["responseHeadersSize"] for r in made)
    files = site / LISTINGS.strip("/")
    size = sum(
        (files / f"{n}.json").stat().st_size for n in (f"departement-{DEPARTEMENT}", "france")
    )
    assert sent <= size + 2 * HEADERS

    ordered = listing(site, f"departement-{DEPARTEMENT}")
    assert int(page.get_attribute("#resultats-zone", "data-total") or 0) == len(ordered)
    assert drawn(page) == [e["url"] for e in ordered[:PAGE]]
    first = page.locator("#resultats li").first
    assert first.locator("h3").inner_text() == ordered[0]["title"]
    assert ordered[0]["pour_qui"] in first.inner_text()
    page.screenshot(path=str(screenshots / "listes-departement-bureau.png"), full_page=False)

    # « Afficher plus » continues the same listing, still without Pagefind.
    mark = len(requests.seen)
    page.click("#plus")
    page.wait_for_function(f"document.querySelectorAll('#resultats li').length >= {2 * PAGE}")
    assert drawn(page) == [e["url"] for e in ordered[: 2 * PAGE]]
    assert not [r for r in requests.since(mark) if "/pagefind/" in r.url]


def test_another_facet_filters_the_listing_in_the_browser(
    page: Page, large: tuple[str, Path]
) -> None:
    url, site = large
    requests = Requests(page)
    page.goto(f"{url}/?departement={DEPARTEMENT}")
    wait_ready(page)
    page.wait_for_load_state("networkidle")
    mark = len(requests.seen)
    page.check("#f-besoin-tresorerie")
    page.wait_for_url("**besoin=tresorerie**")
    wait_ready(page)
    page.wait_for_load_state("networkidle")
    kept = [
        e
        for e in listing(site, f"departement-{DEPARTEMENT}")
        if "tresorerie" in e["filtres"]["besoin"]
    ]
    assert int(page.get_attribute("#resultats-zone", "data-total") or 0) == len(kept)
    # Re-ranked for the need asked (the aids whose main need it is first): the reference
    # function on the features the listing carries, over the whole listing.
    demand = Demand(departement=DEPARTEMENT, besoins=("tresorerie",))
    ordered = sorted(kept, key=lambda e: sort_key(features(e), demand))
    assert drawn(page) == [e["url"] for e in ordered[:PAGE]]
    assert requests.since(mark) == []  # the listing was already there


def test_the_phone_draws_the_listing_too(
    phone: Page, large: tuple[str, Path], screenshots: Path
) -> None:
    url, site = large
    requests = Requests(phone)
    phone.goto(f"{url}/")
    wait_ready(phone)
    made = choose(phone, requests, DEPARTEMENT)
    assert not [r for r in made if "/pagefind/" in r.url]
    assert drawn(phone) == [e["url"] for e in listing(site, f"departement-{DEPARTEMENT}")[:PAGE]]
    phone.screenshot(path=str(screenshots / "listes-departement-telephone.png"), full_page=False)


PAGEFIND_IDS = """async (word) => {
  const pagefind = await import("/pagefind/pagefind.js");
  const found = await pagefind.search(word);
  return found.results.map((r) => r.id);
}"""


def kinds(made: list[Request]) -> set[str]:
    """What a search fetched: the listings by name, Pagefind's files by kind."""
    found = set()
    for request in made:
        path = urlsplit(request.url).path
        if path.startswith(LISTINGS):
            found.add(path.removeprefix(LISTINGS))
        elif path.startswith("/pagefind/"):
            name = path.rsplit("/", 1)[-1]
            found.add(name.rsplit(".", 1)[-1] if name.startswith("fr_") else name.split(".")[0])
        else:
            found.add(path)
    return found


def ranked_matches(page: Page, site: Path, word: str, demand: Demand) -> list[dict[str, Any]]:
    """The department's listing entries Pagefind finds for `word`, in the reference order."""
    ids = set(page.evaluate(PAGEFIND_IDS, word))
    entries = [e for e in listing(site, f"departement-{DEPARTEMENT}") if e["pagefind"] in ids]
    return sorted(entries, key=lambda e: sort_key(features(e), demand))


def test_words_in_a_department_fetch_no_fragment(
    page: Page, large: tuple[str, Path], screenshots: Path
) -> None:
    url, site = large
    requests = Requests(page)
    page.goto(f"{url}/?departement={DEPARTEMENT}&q={WORD}")
    wait_ready(page)
    page.wait_for_load_state("networkidle")
    made = kinds(requests.since(0))
    assert {f"departement-{DEPARTEMENT}.json", "france.json", "pf_index"} <= made
    assert not {"pf_fragment", "pf_filter"} & made  # the listing has the cards and the rest
    expected = ranked_matches(page, site, WORD, Demand(departement=DEPARTEMENT, words=(WORD,)))
    assert 0 < len(expected) < len(listing(site, f"departement-{DEPARTEMENT}"))
    assert int(page.get_attribute("#resultats-zone", "data-total") or 0) == len(expected)
    assert drawn(page) == [e["url"] for e in expected[:PAGE]]
    page.screenshot(path=str(screenshots / "listes-mots-bureau.png"), full_page=False)

    # The next words: Pagefind's index for them, nothing else (the listing is there).
    mark = len(requests.seen)
    page.fill("#q", NEXT_WORD)
    page.press("#q", "Enter")
    page.wait_for_url("**faisabilit**")
    wait_ready(page)
    page.wait_for_load_state("networkidle")
    assert kinds(requests.since(mark)) <= {"pf_index"}
    folded = "faisabilite"  # as the script folds the words (classement.js `wordsOf`)
    expected = ranked_matches(
        page, site, NEXT_WORD, Demand(departement=DEPARTEMENT, words=(folded,))
    )
    assert int(page.get_attribute("#resultats-zone", "data-total") or 0) == len(expected)
    assert drawn(page) == [e["url"] for e in expected[:PAGE]]


def test_words_without_a_territory_fetch_the_fragments_they_rank(
    page: Page, large: tuple[str, Path]
) -> None:
    url, _ = large
    requests = Requests(page)
    page.goto(f"{url}/?q={WORD}")
    total = wait_ready(page)
    page.wait_for_load_state("networkidle")
    fragments = [r for r in requests.since(0) if r.url.endswith(".pf_fragment")]
    assert total > RERANK and len(fragments) == RERANK  # re-ranked, then drawn from them
