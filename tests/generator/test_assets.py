"""Static assets carry a content hash in their name (a year of browser cache is then safe),
and the pages have no inline script or style attribute (a strict Content-Security-Policy)."""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

from generator.assets import HASHED, content_hash, hashed_name, is_fingerprinted


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("assets/aidess/aidess.css", "assets/aidess/aidess.{h}.css"),
        ("assets/aidess/recherche.js", "assets/aidess/recherche.{h}.js"),
        ("assets/images/favicon.png", "assets/images/favicon.{h}.png"),
        ("assets/aidess/LISEZMOI", "assets/aidess/LISEZMOI.{h}"),
    ],
)
def test_hashed_name_puts_the_content_hash_before_the_extension(path: str, expected: str) -> None:
    assert hashed_name(path, b"body { color: red }") == expected.format(
        h=content_hash(b"body { color: red }")
    )


def test_a_changed_file_gets_a_new_name() -> None:
    path = "assets/aidess/aidess.css"
    assert hashed_name(path, b"a") != hashed_name(path, b"b")


@pytest.mark.parametrize(
    ("path", "fingerprinted"),
    [
        ("assets/aidess/aidess.css", True),
        ("assets/images/favicon.png", True),
        ("assets/stylesheets/main.57a0d79d.min.css", False),  # Material's: hashed already
        ("assets/javascripts/lunr/min/lunr.fr.min.js", False),  # not ours, never loaded
        ("donnees/aides.csv", False),
    ],
)
def test_which_theme_files_are_renamed(path: str, fingerprinted: bool) -> None:
    assert is_fingerprinted(path) is fingerprinted


@dataclass
class _Assets(HTMLParser):
    urls: list[str] = field(default_factory=list)
    inline_scripts: int = 0
    style_attributes: int = 0

    def __post_init__(self) -> None:
        super().__init__()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if "style" in a:
            self.style_attributes += 1
        if tag == "script":
            if a.get("src"):
                self.urls.append(a["src"] or "")
            elif a.get("type") not in ("application/json", "application/ld+json"):
                self.inline_scripts += 1
        elif tag == "link" and a.get("href"):
            rels = set((a.get("rel") or "").split())
            if rels & {"stylesheet", "icon", "preload", "modulepreload", "manifest"}:
                self.urls.append(a["href"] or "")
        elif tag in ("img", "source", "video", "audio") and a.get("src"):
            self.urls.append(a["src"] or "")


def _page_url(site: Path, page: Path) -> str:
    path = page.relative_to(site).as_posix()
    return "/" + (path[: -len("index.html")] if path.endswith("index.html") else path)


def test_every_asset_url_of_the_built_pages_is_hashed_and_resolves(real_site: Path) -> None:
    problems: list[str] = []
    checked: set[str] = set()
    for page in sorted(real_site.rglob("*.html")):
        parser = _Assets()
        parser.feed(page.read_text(encoding="utf-8"))
        where = page.relative_to(real_site).as_posix()
        if parser.inline_scripts:
            problems.append(f"{where}: {parser.inline_scripts} script(s) en ligne")
        if parser.style_attributes:
            problems.append(f"{where}: {parser.style_attributes} attribut(s) style")
        for url in parser.urls:
            parts = urlsplit(urljoin(_page_url(real_site, page), url))
            if parts.scheme or parts.netloc:
                problems.append(f"{where}: ressource externe {url}")
                continue
            target = real_site / parts.path.lstrip("/")
            if not target.is_file():
                problems.append(f"{where}: {url} introuvable")
            elif not HASHED.search(posixpath.basename(parts.path)):
                problems.append(f"{where}: {url} sans empreinte dans son nom")
            checked.add(parts.path)
    assert not problems, "\n".join(problems)
    ours = [p for p in checked if p.startswith(("/assets/aidess/", "/assets/images/"))]
    # The theme's own CSS, the search script, the form script and the favicon.
    assert {re.sub(r"\.[0-9a-f]{8}\.", ".", posixpath.basename(p)) for p in ours} >= {
        "aidess.css",
        "recherche.js",
        "demande.js",
        "favicon.png",
    }
    for path in ours:  # the hash is the file's: a changed file changes its URL
        served = path.lstrip("/")
        logical = re.sub(r"\.[0-9a-f]{8}(\.[^.]+)$", r"\1", served)
        assert served == hashed_name(logical, (real_site / served).read_bytes())
