"""The Markdown bodies of aids and networks, converted to HTML once, in this process: the
pages and the search documents reuse the same HTML (MkDocs does not convert them again)."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import markdown

from generator.enrich import Site

# The Markdown extensions of mkdocs.yml (tests/generator/test_bodies.py checks it), so a body
# reads as a Markdown page of the site would.
EXTENSIONS = ["attr_list", "tables", "toc"]

PARALLEL_FROM = 1000  # texts: below, starting processes costs more than it saves
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


def _convert_list(texts: list[tuple[str, str]]) -> dict[str, Body]:
    return convert(texts)


def convert_all(texts: list[tuple[str, str]], processes: int) -> dict[str, Body]:
    """`convert` shared among `processes` forked processes (python-markdown holds the GIL):
    the search index waits for these bodies before it can start."""
    if processes < 2 or len(texts) < PARALLEL_FROM:
        return convert(texts)
    size = -(-len(texts) // processes)
    chunks = [texts[i : i + size] for i in range(0, len(texts), size)]
    context = multiprocessing.get_context("fork")  # the children need no import, no pickle
    with ProcessPoolExecutor(len(chunks), mp_context=context) as pool:
        bodies: dict[str, Body] = {}
        for part in pool.map(_convert_list, chunks):
            bodies.update(part)
    return bodies


def convert_bodies(site: Site, processes: int | None = None) -> Bodies:
    processes = processes or os.cpu_count() or 1
    return Bodies(
        convert_all([(s, e.record.body) for s, e in site.aides.items()], processes),
        convert_all([(s, e.record.body) for s, e in site.reseaux.items()], processes),
    )
