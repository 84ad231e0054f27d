"""/admin/ in Chromium: Decap CMS (self-hosted from its npm package, or its pinned default
script checked by its integrity hash, served here from the same package) loads the configuration
`aidess build` generated and shows the collections and the widgets of the content model,
under the headers docs/operations.md asks a host to send (generator/headers.py), which the
public site's policy would not allow."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import date
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import ConsoleMessage, Page, Route, expect

from generator.build import build
from generator.cms import DEFAULT_INTEGRITY, DEFAULT_SCRIPT
from generator.headers import CONTENT_SECURITY_POLICY, headers_for
from tests.conftest import WriteFile
from tests.e2e import decap

pytestmark = pytest.mark.e2e


class Quiet(SimpleHTTPRequestHandler):
    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, ".yml": "text/yaml"}  # noqa: RUF012

    def log_message(self, format: str, *args: object) -> None:
        pass


def _served(
    content: Path, write: WriteFile, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, bundle: bool
) -> Iterator[str]:
    write("aide", "aide-de-test")
    write("reseau", "reseau-de-test")
    monkeypatch.setenv("AIDESS_CMS_REPO", "cress/aidess")
    monkeypatch.setenv("AIDESS_CMS_BACKEND", "test-repo")
    if bundle:
        monkeypatch.setenv("AIDESS_CMS_BUNDLE", str(decap.dist()))
    site = tmp_path / "site"
    assert build(content, site, date.today()) == 0
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def admin_site(
    content: Path, write: WriteFile, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[str]:
    """Decap self-hosted (AIDESS_CMS_BUNDLE), as production does."""
    yield from _served(content, write, tmp_path, monkeypatch, bundle=True)


@pytest.fixture
def pinned_site(
    content: Path, write: WriteFile, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[str]:
    """No bundle and no address: /admin/ loads Decap's pinned default script."""
    yield from _served(content, write, tmp_path, monkeypatch, bundle=False)


def deployed(page: Page, site: str, policy: str | None = None) -> list[str]:
    """Serve `site` to `page` with the production headers (or this CSP instead); return the
    list that collects what the browser refused or reported as broken."""

    def with_headers(route: Route) -> None:
        response = route.fetch()
        headers = {**response.headers, **headers_for(urlsplit(route.request.url).path)}
        if policy is not None:
            headers["Content-Security-Policy"] = policy
        route.fulfill(response=response, headers=headers)

    page.route(f"{site}/**", with_headers)
    refused: list[str] = []

    def console(message: ConsoleMessage) -> None:
        if message.type == "error":
            refused.append(message.text[:300])

    page.on("console", console)
    page.on("pageerror", lambda error: refused.append(str(error)[:300]))
    return refused


def test_admin_shows_collections_and_model_widgets(
    admin_site: str, page: Page, screenshots: Path
) -> None:
    refused = deployed(page, admin_site)
    outside: list[str] = []
    page.on(
        "request",
        lambda r: outside.append(r.url) if not r.url.startswith((admin_site, "data:", "blob:"))
        else None,
    )  # fmt: skip
    page.set_default_timeout(60_000)  # Decap is a 5 MB script: slow on a shared machine
    page.goto(f"{admin_site}/admin/", wait_until="commit")
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("link", name="Aides")).to_be_visible()
    expect(page.get_by_role("link", name="Réseaux")).to_be_visible()
    page.screenshot(path=str(screenshots / "admin-collections.png"))
    page.goto(f"{admin_site}/admin/#/collections/aides/new")
    for label in ("Titre", "Natures de l'aide", "Territoires", "Récurrence", "Vérifiée le"):
        expect(page.get_by_text(label, exact=True).first).to_be_visible()
    # A vocabulary is a select with its French labels.
    page.get_by_text("Natures de l'aide", exact=True).first.click()
    page.keyboard.type("Avance")
    expect(page.get_by_text("Avance remboursable", exact=True)).to_be_visible()
    page.keyboard.press("Enter")
    # Territories by name, not by code.
    page.get_by_text("Territoires", exact=True).first.click()
    page.keyboard.type("Corse-du")
    expect(page.get_by_text("Corse-du-Sud (2A)", exact=True)).to_be_visible()
    page.keyboard.press("Escape")
    page.screenshot(path=str(screenshots / "admin-nouvelle-aide.png"), full_page=True)
    assert outside == []
    assert refused == []  # nothing refused under the admin's Content-Security-Policy


def test_the_public_sites_policy_would_stop_the_admin(admin_site: str, page: Page) -> None:
    """Why /admin/ has a policy of its own: under the public one Decap never starts."""
    refused = deployed(page, admin_site, CONTENT_SECURITY_POLICY)
    page.set_default_timeout(60_000)
    page.goto(f"{admin_site}/admin/", wait_until="commit")
    page.wait_for_function("() => document.readyState === 'complete'")
    page.wait_for_timeout(3000)  # Decap starts from its script at once
    assert any("unsafe-eval" in line for line in refused), refused
    assert any("style-src" in line for line in refused), refused
    expect(page.get_by_role("button", name="Se connecter")).to_have_count(0)


def _cdn(page: Page, tamper: bool = False) -> list[str]:
    """Answer the CDN's requests from the npm package of the pinned version (no internet),
    as the CDN does: its files as they are, readable cross-origin. Returns the URLs asked."""
    asked: list[str] = []

    def serve(route: Route) -> None:
        asked.append(route.request.url)
        name = urlsplit(route.request.url).path.rsplit("/", 1)[-1]
        body = (decap.dist() / name).read_bytes()
        if tamper and name == "decap-cms.js":
            body = body.replace(b"Decap", b"Decaf", 1)
        route.fulfill(
            body=body,
            headers={"Content-Type": "application/javascript", "Access-Control-Allow-Origin": "*"},
        )

    page.route(DEFAULT_SCRIPT.rsplit("/", 1)[0] + "/**", serve)
    return asked


def test_the_default_script_is_decaps_pinned_build_with_its_integrity(
    pinned_site: str, page: Page
) -> None:
    """The hash in generator/cms.py is the one of the npm package's file: Chromium checks it
    and Decap starts; the admin's policy lets the CDN's script in."""
    refused = deployed(page, pinned_site)
    asked = _cdn(page)
    page.set_default_timeout(60_000)
    page.goto(f"{pinned_site}/admin/", wait_until="commit")
    script = page.locator("script[integrity]")
    expect(script).to_have_attribute("src", DEFAULT_SCRIPT)
    expect(script).to_have_attribute("integrity", DEFAULT_INTEGRITY)
    expect(script).to_have_attribute("crossorigin", "anonymous")
    expect(page.get_by_role("button", name="Se connecter")).to_be_visible(timeout=60_000)
    assert asked[0] == DEFAULT_SCRIPT
    assert refused == []


def test_a_script_that_is_not_the_pinned_one_never_runs(pinned_site: str, page: Page) -> None:
    refused = deployed(page, pinned_site)
    _cdn(page, tamper=True)
    page.set_default_timeout(60_000)
    page.goto(f"{pinned_site}/admin/", wait_until="commit")
    page.wait_for_function("() => document.readyState === 'complete'")
    page.wait_for_timeout(2000)
    assert any("integrity" in line for line in refused), refused
    expect(page.get_by_role("button", name="Se connecter")).to_have_count(0)
