"""Browser tests: Debian's Chromium driven by Playwright against the whole product, started
as `aidess serve` would start it (built site, form service, SMTP sink) on a loopback port."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from form_service.devmail import MailSink
from generator.content.catalog import Catalog, load
from tests.conftest import REAL_CONTENT

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
MISSING = (
    "!!! Tests navigateur IGNORÉS : Chromium est absent (/usr/bin/chromium). "
    "Installez-le : sudo apt-get install chromium  (CI l'installe via .ci/run) !!!"
)
SCREENSHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"


def chromium_available() -> bool:
    return CHROMIUM.exists() or shutil.which("chromium") is not None


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    if chromium_available():
        return
    for item in items:
        if "e2e" in item.keywords:
            item.add_marker(pytest.mark.skip(reason=MISSING))


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not chromium_available():
        terminalreporter.write_line(MISSING, red=True, bold=True)


@pytest.fixture(scope="session")
def screenshots() -> Iterator[Path]:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    yield SCREENSHOTS


@dataclass(frozen=True)
class Product:
    """The running product: its URL, the SMTP sink and the catalog it was built from."""

    url: str
    sink: MailSink
    catalog: Catalog
    site: Path


@pytest.fixture(scope="session")
def product(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Product]:
    """The real content, built once, served with the form service and a real SMTP sink."""
    if not chromium_available():
        pytest.skip(MISSING)
    from form_service.devserver import running
    from generator.build import build

    root = tmp_path_factory.mktemp("produit")
    site = root / "site"
    assert build(REAL_CONTENT, site, date.today()) == 0
    catalog, _ = load(REAL_CONTENT, date.today())
    with running(REAL_CONTENT, site, root / "var") as stack:
        yield Product(stack.url, stack.sink, catalog, site)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not chromium_available():
        pytest.skip(MISSING)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield chromium
        chromium.close()


def _page(browser: Browser, **options: object) -> Iterator[Page]:
    context = browser.new_context(locale="fr-FR", **options)  # type: ignore[arg-type]
    page = context.new_page()
    page.set_default_timeout(20_000)  # generous: CI machines are shared and slow
    yield page
    context.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    yield from _page(browser, viewport={"width": 1280, "height": 900})


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    yield from _page(
        browser, viewport={"width": 375, "height": 812}, is_mobile=True, has_touch=True
    )


@pytest.fixture
def nojs(browser: Browser) -> Iterator[Page]:
    yield from _page(browser, java_script_enabled=False, viewport={"width": 1280, "height": 900})
