"""The relevance test set (tests/data/pertinence.yml) run against the built site's real
search: each query's URL in one Chromium page, its first ten results read once drawn, the
figures of tests/pertinence.py printed per query and written to build/pertinence.md, and held
to the thresholds the README sets (« Search relevance »). The set itself (slugs, vocabularies,
grades) is checked by tests/generator/test_pertinence_set.py."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser

from tests.e2e.conftest import Product
from tests.e2e.helpers import wait_ready
from tests.pertinence import DEPTH, Query, figures, load, report

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

REPORT = Path(__file__).resolve().parents[2] / "build" / "pertinence.md"

# The thresholds written in the README (« Search relevance »).
HIT_AT_3 = 0.72
NDCG_AT_10 = 0.62
INELIGIBLE_TOP3 = 20


def commit() -> str:
    """The commit measured (with « + modifications » when the tree differs from it)."""
    root = REPORT.parents[1]
    run = [("git", "-C", str(root), "rev-parse", "--short", "HEAD")]
    run.append(("git", "-C", str(root), "status", "--porcelain", "--untracked-files=no"))
    try:
        head, dirty = (
            subprocess.run(a, capture_output=True, text=True, check=True).stdout for a in run
        )
    except (OSError, subprocess.CalledProcessError):
        return "inconnu"
    return head.strip() + (" + modifications" if dirty.strip() else "")


@pytest.fixture(scope="module")
def queries() -> list[Query]:
    return load()


def read_results(browser: Browser, base: str, queries: list[Query]) -> dict[str, list[str]]:
    """Each query's first ten result slugs, in order, from one page that stays open."""
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20_000)
    ranked: dict[str, list[str]] = {}
    try:
        for q in queries:
            page.goto(base + q.url())
            wait_ready(page)
            hrefs = page.locator("#resultats li h3 a").evaluate_all(
                "links => links.map(a => a.href)"
            )
            paths = [urlsplit(h).path for h in hrefs[:DEPTH]]
            ranked[q.id] = [p.removeprefix("/aides/").strip("/") for p in paths]
    finally:
        context.close()
    return ranked


@pytest.fixture(scope="module")
def ranked(
    browser: Browser, product: Product, queries: list[Query]
) -> Iterator[dict[str, list[str]]]:
    found = read_results(browser, product.url, queries)
    text = report(queries, found, f"Mesuré sur le commit {commit()}.")
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(text, encoding="utf-8")
    print("\n" + text)
    yield found


def test_the_search_holds_the_thresholds(
    queries: list[Query], ranked: dict[str, list[str]]
) -> None:
    total = figures(queries, ranked)
    assert total.hit_at_3 >= HIT_AT_3, REPORT
    assert total.ndcg_at_10 >= NDCG_AT_10, REPORT
    assert total.ineligible_top3 <= INELIGIBLE_TOP3, REPORT
