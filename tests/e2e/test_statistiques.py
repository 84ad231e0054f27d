"""/statistiques/ in Chromium, on a phone and a desktop (docs/interfaces.md §5): the page
built from the file `aidess dossiers stats --format json` writes (AIDESS_STATS) shows each
region's figures — its bars and its table — and never a cell under 5 requests."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import absent, chromium
from tests.generator.test_build import write_small
from tests.generator.test_statistics import stats_file

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="session")
def with_stats(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A small directory built with a statistics file and served like `aidess serve`: 12
    requests about jobs in the Nord (9 taken within 2 working days), 3 about cash flow and 2
    about governance in the Pas-de-Calais, 2 in Brittany."""
    if chromium() is None:
        absent("navigateur")
    from form_service.devserver import running
    from generator.build import build

    root = tmp_path_factory.mktemp("statistiques")
    content, site = write_small(root / "content"), root / "site"
    with pytest.MonkeyPatch.context() as env:
        env.setenv("AIDESS_STATS", str(stats_file(root / "stats.json")))
        assert build(content, site, date.today()) == 0
    with running(content, site, root / "var") as stack:
        yield stack.url


def figures(page: Page) -> list[list[str]]:
    """The table's lines as the visitor reads them: need, then each figure."""
    rows = page.locator("main table tbody tr")
    return [
        [" ".join(cell.split()) for cell in rows.nth(n).locator("th, td").all_inner_texts()]
        for n in range(rows.count())
    ]


@pytest.mark.parametrize("device", ["phone", "page"])
def test_the_public_figures_are_shown_by_region(
    device: str, request: pytest.FixtureRequest, with_stats: str, screenshots: Path
) -> None:
    page: Page = request.getfixturevalue(device)
    page.goto(f"{with_stats}/statistiques/")
    expect(page.locator("h1")).to_have_text("Statistiques des demandes de rappel")
    expect(page.locator("main h2")).to_have_text(["Hauts-de-France"])
    assert figures(page) == [
        ["Recruter, pérenniser un emploi", "12", "75 %", "0", "8 %",
         "67 % utile, 17 % pas aidé, 17 % pas rappelé (6 réponses)", "5 (50 000 €)"],
        ["Autres besoins", "5", "40 %", "—", "0 %", "—", "—"],
    ]  # fmt: skip
    # The bars: one per line, as long as its share (75 % and 40 % of 200).
    bars = page.locator("svg.aidess-bars rect[fill='#166534']")
    assert [bars.nth(n).get_attribute("width") for n in range(bars.count())] == ["150", "80"]
    expect(page.locator("svg.aidess-bars").first).to_be_visible()
    expect(page.get_by_text("Trop peu de demandes pour être montrées : Bretagne.")).to_be_visible()
    assert "Gouvernance" not in page.locator("main").inner_text()  # 2 requests: never alone
    # The page does not scroll sideways; a wide table scrolls within its own frame.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=str(screenshots / f"statistiques-{device}.png"), full_page=True)
