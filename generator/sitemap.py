"""`sitemap.xml` (absolute URLs under AIDESS_SITE_URL) and the `robots.txt` naming it, for
every public page of the built site."""

from __future__ import annotations

import gzip
from collections.abc import Iterable
from pathlib import Path
from xml.sax.saxutils import escape

from generator.content import urls

# Pages no search engine should list: the callback's confirmation.
UNLISTED = frozenset({urls.CONFIRMATION_PATH})


def sitemap_xml(paths: Iterable[str], base_url: str) -> str:
    base = base_url.rstrip("/")
    lines = ['<?xml version="1.0" encoding="UTF-8"?>']
    lines.append('<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">')
    for path in sorted(set(paths) - UNLISTED):
        lines.append(f"<url><loc>{escape(base + path)}</loc></url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


def write_sitemap(site_dir: Path, paths: Iterable[str], base_url: str) -> None:
    """Replace MkDocs' sitemap (relative, and empty for pages out of the nav)."""
    text = sitemap_xml(paths, base_url)
    (site_dir / "sitemap.xml").write_text(text, encoding="utf-8")
    (site_dir / "sitemap.xml.gz").write_bytes(gzip.compress(text.encode("utf-8"), mtime=0))
    robots = f"User-agent: *\nAllow: /\nSitemap: {base_url.rstrip('/')}/sitemap.xml\n"
    (site_dir / "robots.txt").write_text(robots, encoding="utf-8")
