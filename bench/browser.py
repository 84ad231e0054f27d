"""Page and search weight in headless Chromium (Playwright): bytes over the wire (response
headers and encoded body, as Chromium reports them), each visit in a fresh context (empty
cache) against the site served on loopback with gzip."""

from __future__ import annotations

import gzip
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]

# Records when the home page's result list first gets (and then changes) its items, at the
# next frame (when they are drawn), and when the visitor last acted (a change in the form),
# so the times are the page's own clock, not Playwright's polling.
OBSERVER = """
window.__bench = {changes: [], actions: []};
document.addEventListener("change", (event) => window.__bench.actions.push(event.timeStamp),
  true);
document.addEventListener("DOMContentLoaded", () => {
  const list = document.getElementById("resultats");
  if (!list) return;
  new MutationObserver(() => {
    if (!list.children.length) return;
    requestAnimationFrame(() => window.__bench.changes.push(performance.now()));
  }).observe(list, {childList: true});
});
"""

# What a search transfers: Pagefind's files and the territory listings (the page's own HTML,
# style and scripts are the home's visit).
LISTINGS = "/donnees/listes/"
SEARCH = ("/pagefind/", LISTINGS)

API_SEARCH = """
async ([term, filters]) => {
  const t0 = performance.now();
  window.__pf = window.__pf || await import("/pagefind/pagefind.js");
  const search = await window.__pf.search(term, {filters});
  const data = await Promise.all(search.results.slice(0, 10).map((r) => r.data()));
  return {ms: performance.now() - t0, count: search.results.length, shown: data.length};
}
"""


def available() -> bool:
    if not Path(CHROMIUM).exists():
        return False
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return False
    return True


class Traffic:
    """Bytes over the wire (headers and encoded body) of every request of one page, its
    workers included (Pagefind searches in a web worker)."""

    def __init__(self) -> None:
        self.requests: list[Any] = []
        self._sizes: dict[int, int] = {}

    def on_finished(self, request: Any) -> None:
        self.requests.append(request)

    def size(self, index: int) -> int:
        if index not in self._sizes:
            request = self.requests[index]
            sizes = request.sizes()
            body = int(sizes["responseBodySize"])
            response = request.response()
            if body == 0 and response is not None and response.status == 200:
                # Chromium reports no body size for a worker's script: count it as sent.
                raw = response.body()
                encoded = response.headers.get("content-encoding") == "gzip"
                body = len(gzip.compress(raw, 6)) if encoded else len(raw)
            self._sizes[index] = body + int(sizes["responseHeadersSize"])
        return self._sizes[index]

    def mark(self) -> int:
        return len(self.requests)

    def total(self, since: int = 0, path: str | tuple[str, ...] = "", until: int = -1) -> int:
        paths = (path,) if isinstance(path, str) else path
        end = len(self.requests) if until < 0 else until
        return sum(
            self.size(i) for i in range(since, end) if any(p in self.requests[i].url for p in paths)
        )

    def parts(
        self, since: int = 0, path: tuple[str, ...] = SEARCH, until: int = -1
    ) -> dict[str, int]:
        """Bytes by file kind (listes, pagefind.js, wasm, pf_index, pf_filter, pf_fragment…)."""
        found: dict[str, int] = {}
        end = len(self.requests) if until < 0 else until
        for i in range(since, end):
            url = self.requests[i].url.split("?")[0]
            if any(p in url for p in path):
                name = url.rsplit("/", 1)[-1]
                kind = name.rsplit(".", 1)[-1] if "." in name else name
                kind = "wasm" if name.startswith("wasm.") else kind
                kind = name if kind == "js" else kind
                kind = "listes" if LISTINGS in url else kind
                found[kind] = found.get(kind, 0) + self.size(i)
        return found

    def count(self, since: int = 0) -> int:
        return len(self.requests) - since


@dataclass
class Visit:
    html: int  # bytes of the document over the wire
    total: int  # everything loaded
    requests: int


@dataclass
class Search:
    mode: str  # "interface" (the home page reading its query string) or "api" (pagefind.js)
    first_bytes: int
    first_ms: float
    first_count: int
    next_bytes: int
    next_ms: float
    next_count: int
    first_parts: dict[str, int]  # bytes of the first query by kind of file (listes, pf_…)
    next_parts: dict[str, int]  # the same for the next query


@dataclass
class Action:
    """The visitor picks a department on the home page, which already shows results."""

    ms: float  # from the change event to the first new result drawn
    bytes: int  # everything that choice fetched
    count: int  # results announced
    requests: int
    parts: dict[str, int]  # bytes: the listings, Pagefind, anything else
    words: Words | None = None  # then words typed on that page


@dataclass
class Words:
    """Words searched after the department choice, its listing already loaded."""

    ms: float  # from Enter to the first new result drawn
    bytes: int  # what the search fetched
    count: int  # results announced
    parts: dict[str, int]  # bytes by kind of file


class Browser:
    def __init__(self, base: str) -> None:
        from playwright.sync_api import sync_playwright

        self.base = base.rstrip("/")
        self._pw = sync_playwright().start()
        self._browser = self._pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)

    def close(self) -> None:
        self._browser.close()
        self._pw.stop()

    @contextmanager
    def page(self) -> Iterator[tuple[Any, Traffic]]:
        context = self._browser.new_context()
        page = context.new_page()
        traffic = Traffic()
        context.on("requestfinished", traffic.on_finished)
        try:
            yield page, traffic
        finally:
            context.close()

    def visit(self, path: str) -> Visit:
        with self.page() as (page, traffic):
            page.goto(self.base + path, wait_until="networkidle")
            page.wait_for_timeout(200)
            return Visit(traffic.size(0), traffic.total(), traffic.count())

    def search(self, department: str, first: str, second: str) -> Search:
        """A first query with a department filter, then a second one on the same page."""
        with self.page() as (page, traffic):
            page.add_init_script(OBSERVER)
            query = f"/?departement={department}&q={first}"
            page.goto(self.base + query, wait_until="domcontentloaded")
            interface = page.locator("#resultats").count() > 0 and page.locator("#q").count() > 0
            if interface:
                return self._search_interface(page, traffic, second)
            return self._search_api(page, traffic, department, first, second)

    def action(self, department: str, words: str = "") -> Action | None:
        """Time from choosing a department in the home's search line to the first result
        drawn, once the home is loaded: its first cards come with the HTML and Pagefind loads
        when the visitor turns to the search, so this includes loading it (what a visitor
        waits for the first time). Then, with `words`, the same for those words typed."""
        with self.page() as (page, traffic):
            page.add_init_script(OBSERVER)
            page.goto(self.base + "/", wait_until="domcontentloaded")
            if page.locator("#f-departement").count() == 0:
                return None
            page.wait_for_selector("#resultats-zone[data-etat='pret']", state="attached")
            page.wait_for_load_state("networkidle")
            seen = page.evaluate("window.__bench.changes.length")
            mark = traffic.mark()
            page.select_option("#f-departement", department)
            page.wait_for_function(
                "n => window.__bench.changes.length > n", arg=seen, timeout=30_000
            )
            page.wait_for_load_state("networkidle")
            ms = page.evaluate(
                "n => window.__bench.changes[n] - window.__bench.actions.at(-1)", seen
            )
            total = page.get_attribute("#resultats-zone", "data-total") or "0"
            parts = {
                "listes": traffic.total(mark, LISTINGS),
                "pagefind": traffic.total(mark, "/pagefind/"),
            }
            parts["autres"] = traffic.total(mark) - sum(parts.values())
            return Action(
                ms,
                traffic.total(mark),
                int(total),
                traffic.count(mark),
                {k: v for k, v in parts.items() if v},
                self._words(page, traffic, words) if words else None,
            )

    def _words(self, page: Any, traffic: Traffic, words: str) -> Words:
        mark = traffic.mark()
        seen = page.evaluate("window.__bench.changes.length")
        before = page.evaluate("document.getElementById('resultats').innerHTML")
        page.fill("#q", words)
        started = page.evaluate("performance.now()")
        page.press("#q", "Enter")
        page.wait_for_function(
            "([n, html]) => window.__bench.changes.length > n"
            " && document.getElementById('resultats').innerHTML !== html",
            arg=[seen, before],
            timeout=30_000,
        )
        page.wait_for_load_state("networkidle")
        ms = page.evaluate("window.__bench.changes.at(-1)") - started
        total = page.get_attribute("#resultats-zone", "data-total") or "0"
        return Words(ms, traffic.total(mark, SEARCH), int(total), traffic.parts(mark))

    def _search_interface(self, page: Any, traffic: Traffic, second: str) -> Search:
        page.wait_for_function("window.__bench.changes.length > 0", timeout=30_000)
        page.wait_for_load_state("networkidle")
        first_ms = page.evaluate("window.__bench.changes[0]")
        first_count = page.locator("#resultats > li").count()
        first_bytes = traffic.total(path=SEARCH)
        mark = traffic.mark()
        then = self._words(page, traffic, second)
        return Search(
            "interface",
            first_bytes,
            first_ms,
            first_count,
            then.bytes,
            then.ms,
            page.locator("#resultats > li").count(),
            traffic.parts(until=mark),
            then.parts,
        )

    def _search_api(
        self, page: Any, traffic: Traffic, department: str, first: str, second: str
    ) -> Search:
        page.wait_for_load_state("networkidle")
        mark = traffic.mark()
        one = page.evaluate(API_SEARCH, [first, {"departement": department}])
        page.wait_for_timeout(300)
        mark2 = traffic.mark()
        two = page.evaluate(API_SEARCH, [second, {"departement": department}])
        page.wait_for_timeout(300)
        return Search(
            "api",
            traffic.total(mark, "/pagefind/"),
            one["ms"],
            one["count"],
            traffic.total(mark2, "/pagefind/"),
            two["ms"],
            two["count"],
            traffic.parts(mark, until=mark2),
            traffic.parts(mark2),
        )


def chromium_version() -> str:
    path = shutil.which(CHROMIUM) or CHROMIUM
    import subprocess

    try:
        out = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired):
        return "absent"
    return out.stdout.strip() or "absent"
