"""Browser tests: Debian's Chromium driven by Playwright against the whole product, started
as `aidess serve` would start it (built site, form service, SMTP sink) on a loopback port."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from form_service.devmail import MailSink
from generator.content.catalog import Catalog, load
from tests.conftest import REAL_CONTENT, absent, chromium

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"


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
    if chromium() is None:  # Chromium missing: tests/conftest.py stops the run, or skips it
        absent("navigateur")
    from form_service.devserver import running
    from generator.build import build

    root = tmp_path_factory.mktemp("produit")
    site = root / "site"
    assert build(REAL_CONTENT, site, date.today()) == 0
    catalog, _ = load(REAL_CONTENT, date.today())
    with running(REAL_CONTENT, site, root / "var") as stack:
        yield Product(stack.url, stack.sink, catalog, site)


CLOSED_SLUG = "fonds-test-cloture"
CLOSED = """---
titre: "Fonds d'urgence emploi de test, clôturé"
resume: "Un fonds pour l'emploi et la trésorerie des associations, clos il y a un mois."
pour_qui: "Associations employeuses du Nord"
porteurs: ["État"]
natures: [subvention]
besoins: [emploi, tresorerie]
secteurs: [tous]
structures: [association]
effectif_min: 1
territoires: [DEP-59]
recurrence: ponctuelle
cloture: {cloture}
source: https://www.associations.gouv.fr/
mise_a_jour: {today}
---

Un fonds pour l'emploi clôturé il y a un mois : il reste publié 90 jours, caché des
recherches tant qu'on ne demande pas les aides clôturées.
"""


@pytest.fixture(scope="session")
def with_closed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Product]:
    """The real content plus one aid closed a month ago (the real directory archives its
    closed aids after 90 days, so it may hold none), built and served like `product`."""
    if chromium() is None:
        absent("navigateur")
    from form_service.devserver import running
    from generator.build import build

    root = tmp_path_factory.mktemp("cloturee")
    content, site = root / "content", root / "site"
    shutil.copytree(REAL_CONTENT, content)
    today = date.today()
    text = CLOSED.format(cloture=today - timedelta(days=30), today=today)
    (content / "aides" / f"{CLOSED_SLUG}.md").write_text(text, encoding="utf-8")
    assert build(content, site, today) == 0
    catalog, _ = load(content, today)
    with running(content, site, root / "var") as stack:
        yield Product(stack.url, stack.sink, catalog, site)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    executable = chromium()
    if executable is None:
        absent("navigateur")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(executable), args=CHROMIUM_ARGS, headless=True
        )
        yield launched
        launched.close()


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
