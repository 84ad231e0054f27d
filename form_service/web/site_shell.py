"""Pages the service renders itself (the dossiers), inside the built site's own page so they
share its look: header, navigation, footer, styles. Without a built site, a plain page."""

from __future__ import annotations

import html
import re
from functools import cache
from pathlib import Path
from urllib.parse import urljoin

from generator.content import urls

# A page of the site two levels deep, like /dossiers/<id>: its relative links (styles, nav)
# resolve to the same addresses from there, with no <base> (which would break "#" links).
SHELL_PAGE = urls.CONFIRMATION_PATH
CONTENT_START = '<div class="aidess-page" id="contenu">'
CONTENT_END = "</article>"

_PLAIN = (
    '<!DOCTYPE html>\n<html lang="fr">\n<head>\n<meta charset="utf-8">\n'
    '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
    "<title></title>\n"
    "<style>body{font-family:system-ui,sans-serif;max-width:48rem;margin:2rem auto;"
    "padding:0 1rem;line-height:1.5}</style>\n</head>\n<body>\n<main>\n"
    f"{CONTENT_START}</div>\n{CONTENT_END}\n</main>\n</body>\n</html>\n"
)


@cache
def _shell(site_dir: Path | None) -> str:
    if site_dir is not None:
        path = site_dir / SHELL_PAGE.strip("/") / "index.html"
        try:
            page = path.read_text(encoding="utf-8")
        except OSError:
            page = ""
        if CONTENT_START in page and CONTENT_END in page and "<title>" in page:
            return page
    return _PLAIN


def wrap(site_dir: Path | None, title: str, body: str, noindex: bool = True) -> str:
    """The site's page with `title` and `body` (already escaped HTML) as its content."""
    page = _shell(site_dir)
    start = page.index(CONTENT_START) + len(CONTENT_START)
    end = page.index(CONTENT_END, start)
    page = page[:start] + "\n" + body + "\n</div>\n" + page[end:]
    page = re.sub(
        r"<title>.*?</title>",
        f"<title>{html.escape(title)} – AidESS</title>",
        page,
        count=1,
        flags=re.S,
    )
    page = re.sub(r'<link rel="canonical"[^>]*>', "", page)
    page = re.sub(r'<a href="#[^"]*" class="md-skip">', '<a href="#contenu" class="md-skip">', page)
    if noindex:
        page = page.replace("<head>", '<head>\n<meta name="robots" content="noindex, nofollow">', 1)
    return page


# A relative link or source: no scheme, not from the root, not within the page.
_RELATIVE = re.compile(r'(\s(?:href|src)=")(?![A-Za-z][A-Za-z0-9+.-]*:|/|#)([^"]*)"')


def rooted(page: str, path: str) -> str:
    """`page`, built for `path` on the site, with its relative links made absolute from the
    site's root: the same page answered at another URL (a form's POST) links as it does at
    `path`. (No <base>: it would send the page's « #field » links to `path`.)"""
    return _RELATIVE.sub(lambda m: f'{m.group(1)}{urljoin(path, m.group(2))}"', page)
