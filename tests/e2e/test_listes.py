"""A department choice at scale, in Chromium, on a synthetic directory of 2,000 aids: the home
page fetches the department's precomputed listing (and the national aids' file it shares with
every territory) and nothing of Pagefind, and draws the listing's first cards in its order.
Requests and bytes are counted, not time (speed is `make bench`'s)."""

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
RERANK = 150  # results re-ranked in the browser (theme/assets/aidess/sources.js)


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
    """A territory's listing in its order, read from the built files as the script reads it."""
    folder = site / LISTINGS.strip("/")
    own = json.loads((folder / f"{name}.json").read_text(encoding="utf-8"))
    france = json.loads((folder / "france.json").read_text(encoding="utf-8"))["aides"]
    return [own["aides"][i] if i >= 0 else france[-i - 1] for i in own["ordre"]]


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
    # Re-ranked for the need asked (the aids whose main need it is first), as Pagefind's
    # results are: the reference function on the features the listing carries.
    demand = Demand(departement=DEPARTEMENT, besoins=("tresorerie",))
    head = sorted(kept[:RERANK], key=lambda e: sort_key(features(e), demand))
    assert drawn(page) == [e["url"] for e in (head + kept[RERANK:])[:PAGE]]
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
