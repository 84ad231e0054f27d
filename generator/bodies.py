"""The Markdown bodies of aids and networks, converted to HTML once, in this process: the
pages and the search documents reuse the same HTML (MkDocs does not convert them again)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import markdown

from generator.enrich import Site

# The Markdown extensions of mkdocs.yml (tests/generator/test_bodies.py checks it), so a body
# reads as a Markdown page of the site would.
EXTENSIONS = ["attr_list", "tables", "toc"]

Toc = list[dict[str, Any]]  # python-markdown's toc_tokens: level, id, name, children


@dataclass(frozen=True)
class Body:
    html: str
    toc: Toc = field(default_factory=list)  # the headings, for the page's table of contents


@dataclass(frozen=True)
class Bodies:
    aides: dict[str, Body]  # by slug
    reseaux: dict[str, Body]


def convert(texts: Iterable[tuple[str, str]]) -> dict[str, Body]:
    """(key, Markdown) pairs → HTML bodies by key, with one converter for all."""
    converter = markdown.Markdown(extensions=EXTENSIONS)
    bodies = {}
    for key, text in texts:
        converter.reset()
        html = converter.convert(text)
        bodies[key] = Body(html, list(getattr(converter, "toc_tokens", [])))
    return bodies


def convert_bodies(site: Site) -> Bodies:
    return Bodies(
        convert((slug, entry.record.body) for slug, entry in site.aides.items()),
        convert((slug, entry.record.body) for slug, entry in site.reseaux.items()),
    )
