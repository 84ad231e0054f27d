"""`aidess liens` (docs/interfaces.md §9): check every `source`, `demarche` and `site` URL of the
content, concurrently, and report the broken ones with their file and line.

Each distinct URL is fetched once: HEAD first, GET when HEAD is refused (any 4xx/5xx answer
to HEAD: many servers answer 403, 404 or 405 to it), redirects followed, one retry after a
network error, a timeout or a 5xx/429 answer. Certificates are checked with the system's
settings (`ssl.create_default_context()`: the OpenSSL store, `SSL_CERT_FILE`, `SSL_CERT_DIR`).
"""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import httpx

from generator.content.readers import read_tree
from generator.progress import counter

FIELDS = ("source", "demarche", "site")
USER_AGENT = "AidESS-liens/1.0 (verification des liens de l'annuaire des aides de l'ESS)"
RETRY_DELAY = 1.0  # seconds before the one retry
HARD_MARGIN = 15.0  # seconds
TRANSIENT = frozenset({429, 500, 502, 503, 504})


@dataclass(frozen=True)
class Link:
    """One URL as written in one file."""

    url: str
    path: Path
    line: int
    field: str


@dataclass(frozen=True)
class Result:
    url: str
    ok: bool
    status: int | None  # final HTTP status, None when no answer came
    problem: str  # French, empty when ok
    transient: bool = False


def collect(content: Path) -> list[Link]:
    """Every checkable URL in the content, with its file and line (invalid files included:
    a link is worth checking even while another field of its file is being fixed)."""
    documents, _ = read_tree(content)
    links = []
    for doc in documents:
        for name in FIELDS:
            value = doc.data.get(name)
            if isinstance(value, str) and value.startswith(("http://", "https://")):
                links.append(Link(value.strip(), doc.path, doc.line_of((name,)), name))
    return links


def _answer(response: httpx.Response) -> Result:
    status = response.status_code
    if status < 400:
        return Result(str(response.request.url), True, status, "")
    reason = response.reason_phrase or "erreur"
    problem = f"réponse {status} {reason}"
    if status == 404:
        problem += " (page introuvable)"
    elif status == 410:
        problem += " (page supprimée)"
    return Result(str(response.request.url), False, status, problem, status in TRANSIENT)


def _failure(url: str, exc: Exception) -> Result:
    if isinstance(exc, httpx.TimeoutException):
        problem = "pas de réponse dans le délai (serveur trop lent ou injoignable)"
    elif isinstance(exc, httpx.TooManyRedirects):
        return Result(url, False, None, "trop de redirections (boucle ?)")
    elif isinstance(exc, httpx.ConnectError) and "CERTIFICATE" in str(exc).upper():
        return Result(url, False, None, f"certificat refusé ({exc})")
    elif isinstance(exc, httpx.ConnectError):
        problem = f"connexion impossible ({exc or type(exc).__name__})"
    elif isinstance(exc, httpx.HTTPError):
        problem = f"échange interrompu ({exc or type(exc).__name__})"
    else:
        problem = f"adresse inutilisable ({exc})"
    return Result(url, False, None, problem, transient=True)


async def _once(client: httpx.AsyncClient, url: str) -> Result:
    try:
        head = await client.head(url)
        if head.status_code < 400:
            return _answer(head)
        # HEAD refused or not implemented: ask for the page itself, without reading it all.
        async with client.stream("GET", url) as response:
            return _answer(response)
    except (httpx.HTTPError, httpx.InvalidURL, ValueError) as exc:
        return _failure(url, exc)


async def check_url(client: httpx.AsyncClient, url: str, retry_delay: float) -> Result:
    result = await _once(client, url)
    if result.ok or not result.transient:
        return result
    await asyncio.sleep(retry_delay)
    return await _once(client, url)


def client(timeout: float, concurrency: int) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        verify=ssl.create_default_context(),
        follow_redirects=True,
        timeout=httpx.Timeout(timeout),
        limits=httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency),
        headers={"User-Agent": USER_AGENT, "Accept": "text/html,*/*;q=0.8"},
    )


async def check_all(
    urls: Iterable[str], concurrency: int, timeout: float, retry_delay: float = RETRY_DELAY
) -> dict[str, Result]:
    """Check each distinct URL, at most `concurrency` at a time."""
    gate = asyncio.Semaphore(concurrency)
    distinct = list(dict.fromkeys(urls))
    # « adresses vérifiées n/N » on a terminal; nothing in a CI log
    async with client(timeout, concurrency) as http:
        bar = counter(len(distinct), "liens vérifiés", "adresse")

        async def one(url: str) -> tuple[str, Result]:
            async with gate:
                # A hard bound per URL too: a server dripping bytes must not hold a slot
                # (HEAD and GET, twice, plus time for a chain of redirects).
                try:
                    async with asyncio.timeout(timeout * 4 + retry_delay + HARD_MARGIN):
                        result = await check_url(http, url, retry_delay)
                except TimeoutError:
                    result = Result(url, False, None, "pas de réponse dans le délai")
                bar.update(1)
                return url, result

        try:
            pairs = await asyncio.gather(*(one(url) for url in distinct))
        finally:
            bar.close()
    return dict(pairs)


def report(links: list[Link], results: dict[str, Result]) -> list[str]:
    """One line per broken link, `path:line: field: message`, in file order."""
    lines = []
    for link in sorted(links, key=lambda lk: (str(lk.path), lk.line)):
        result = results[link.url]
        if not result.ok:
            lines.append(f"{link.path}:{link.line}: {link.field}: lien cassé {link.url} : "
                         f"{result.problem}")  # fmt: skip
    return lines


def check_sync(
    urls: Iterable[str], concurrency: int, timeout: float, retry_delay: float = RETRY_DELAY
) -> dict[str, Result]:
    """check_all from synchronous code, in its own thread when this one already runs an event
    loop (asyncio.run refuses to nest: a caller inside Playwright's sync API, a notebook)."""
    job = check_all(list(urls), concurrency, timeout, retry_delay)
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(job)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, job).result()


def run(content: Path, concurrency: int, timeout: float, retry_delay: float = RETRY_DELAY) -> int:
    """The command: print the broken links and a summary; 1 if any is broken."""
    if concurrency < 1 or timeout <= 0:
        print("erreur : --concurrence et --timeout doivent être positifs")
        return 2
    links = collect(content)
    results = check_sync((lk.url for lk in links), concurrency, timeout, retry_delay)
    broken = report(links, results)
    for line in broken:
        print(line, flush=True)
    n_bad = sum(not r.ok for r in results.values())
    print(f"{len(results)} adresse(s) vérifiée(s) ({len(links)} liens), {n_bad} cassée(s)")
    return 1 if broken else 0
