"""The site under the headers docs/operations.md asks a static host to send
(generator/headers.py): the search (Pagefind's WebAssembly and worker), the aid pages and the
form work under the Content-Security-Policy, and nothing is refused."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, Route

from generator.content import urls
from generator.headers import CONTENT_SECURITY_POLICY, headers_for
from tests.e2e.conftest import Product
from tests.e2e.helpers import results

pytestmark = pytest.mark.e2e


def _with_headers(route: Route) -> None:
    response = route.fetch()
    headers = {**response.headers, **headers_for(urlsplit(route.request.url).path)}
    route.fulfill(response=response, headers=headers)


@pytest.fixture
def deployed(browser: Browser, product: Product) -> Iterator[tuple[Page, list[str]]]:
    """A phone whose every response carries the production headers; the list collects what
    the browser refused or reported as broken."""
    context = browser.new_context(locale="fr-FR", viewport={"width": 375, "height": 812})
    context.route(f"{product.url}/**", _with_headers)
    page = context.new_page()
    page.set_default_timeout(20_000)
    refused: list[str] = []

    def console(message: ConsoleMessage) -> None:
        if "status of 422" in message.text:  # the form sent back with its mistakes: expected
            return
        if message.type in ("error", "warning"):
            refused.append(f"{page.url}: {message.text}")

    page.on("console", console)
    page.on("pageerror", lambda error: refused.append(f"{page.url}: {error}"))
    yield page, refused
    context.unroute_all(behavior="ignoreErrors")  # requests still in flight (the favicon)
    context.close()


def test_search_aid_page_and_form_work_under_the_csp(
    deployed: tuple[Page, list[str]], product: Product
) -> None:
    page, refused = deployed
    fetched: list[str] = []
    page.on("response", lambda r: fetched.append(urlsplit(r.url).path))
    # « fonjep » is no need's word (« emploi » would become the need filter, read from the
    # department's listing with no Pagefind at all): Pagefind finds it.
    response = page.goto(product.url + "/?departement=59&q=fonjep")
    assert response is not None
    assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert response.headers["cache-control"] == "no-cache"
    found = results(page)  # Pagefind: its script, worker and WebAssembly under the policy
    assert urls.aide("postes-fonjep") in found
    assert any(path.endswith(".pf_index") for path in fetched), sorted(set(fetched))

    page.goto(product.url + urls.aide("postes-fonjep"))
    page.locator("a.md-button", has_text="Être rappelé").first.click()
    page.wait_for_selector("#aide-choisie:not([hidden])")  # demande.js fetched the aid title
    page.fill("#email", "pas-une-adresse")
    page.click("form.aidess-form button[type=submit]")  # the form service's answer, same policy
    page.wait_for_selector("#erreurs")
    assert page.evaluate("document.activeElement.id") == "erreurs"
    trap = page.locator(".aidess-hp").bounding_box()  # the robots' trap stays out of sight
    assert trap is not None and trap["x"] + trap["width"] <= 0
    assert not refused, "\n".join(refused)


def test_the_policy_is_in_force(deployed: tuple[Page, list[str]], product: Product) -> None:
    """The check above means something: an inline script is refused under these headers."""
    page, refused = deployed
    page.goto(product.url + urls.aide("postes-fonjep"))
    page.evaluate(
        """() => { const s = document.createElement("script");
        s.textContent = "window.inlineRan = true"; document.body.append(s); }"""
    )
    assert page.evaluate("window.inlineRan === undefined")
    assert any("Content Security Policy" in line for line in refused)


def test_hashed_assets_are_cached_for_a_year(
    deployed: tuple[Page, list[str]], product: Product
) -> None:
    page, _ = deployed
    cached: dict[str, str] = {}
    page.on(
        "response",
        lambda r: cached.__setitem__(urlsplit(r.url).path, r.headers.get("cache-control", "")),
    )
    page.goto(product.url + "/?q=fonjep")  # words, no territory: Pagefind's fragments too
    results(page)
    css = [p for p in cached if p.startswith("/assets/aidess/aidess.")]
    chunks = [p for p in cached if p.endswith((".pf_index", ".pf_meta", ".pf_fragment"))]
    assert css and chunks
    for path in css + chunks:
        assert cached[path] == "public, max-age=31536000, immutable", path
    assert cached["/pagefind/pagefind.js"] == "no-cache"
