"""`python -m generator.search_worker DOCUMENTS FOLDER BUNDLE COUNT`: the search index, in its
own process so it runs beside MkDocs (generator/indexing.py starts it). Reads the aid search
documents (JSON lines: path and HTML, bodies already converted by generator/bodies.py), writes
one small HTML file per aid under FOLDER (its body reduced to its distinct words), has
Pagefind (French) index them into BUNDLE, and removes FOLDER."""

from __future__ import annotations

import asyncio
import html
import json
import re
import shutil
import sys
from pathlib import Path

from pagefind.index import IndexConfig, PagefindIndex

# generator/templates/recherche.html: the body sits between these two markers.
BODY = re.compile(r"(<!--corps-->\n)(.*?)(\n<!--/corps-->)", re.DOTALL)
TAG = re.compile(r"<[^>]+>")
EDGES = ".,;:!?«»()[]\"'…–—"


def distinct_words(body: str) -> str:
    """The body's words, each once, in order of first appearance. Every body word stays
    searchable, but Pagefind stores one position per word and page instead of every
    occurrence: the index chunks of common words shrink. The result list shows the summary,
    not Pagefind's excerpt, so nothing visible depends on the body's positions."""
    seen: set[str] = set()
    kept: list[str] = []
    for token in html.unescape(TAG.sub(" ", body)).split():
        key = token.strip(EDGES).lower()
        if key and key not in seen:
            seen.add(key)
            kept.append(token)
    return "<p>" + html.escape(" ".join(kept), quote=False) + "</p>"


def indexed_html(document_html: str) -> str:
    """The search document with its body reduced to its distinct words."""
    found = BODY.search(document_html)
    if found is None:
        raise ValueError("document de recherche sans corps reconnaissable")
    start, end = found.span(2)
    return document_html[:start] + distinct_words(found.group(2)) + document_html[end:]


def write_documents(lines: list[str], folder: Path) -> int:
    count = 0
    for line in lines:
        document = json.loads(line)
        path = folder / document["path"]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(indexed_html(document["html"]), encoding="utf-8")
        count += 1
    return count


async def index(folder: Path, bundle: Path, expected: int) -> int:
    config = IndexConfig(force_language="fr", output_path=str(bundle))
    async with PagefindIndex(config=config) as pagefind:
        result = await pagefind.add_directory(str(folder))
        count = int(result["page_count"])
        if count != expected:
            raise RuntimeError(f"Pagefind a indexé {count} pages d'aides sur {expected}")
    return count


def broken_files(bundle: Path) -> list[str]:
    """Files of the bundle missing or left empty. Under load, Pagefind's service has answered
    its WriteFiles request before every file was written, then was stopped: `pagefind.js` or
    `pagefind-entry.json` at 0 bytes, and no search on the site (none of its files is
    legitimately empty)."""
    required = [bundle / "pagefind.js", bundle / "pagefind-entry.json"]
    bad = [p for p in required if not p.is_file()]
    bad += [p for p in bundle.rglob("*") if p.is_file() and p.stat().st_size == 0]
    return sorted({str(p.relative_to(bundle)) for p in bad})


ATTEMPTS = 3


def main(argv: list[str]) -> int:
    documents, folder, bundle, expected = argv
    lines = Path(documents).read_text(encoding="utf-8").splitlines()
    written = write_documents(lines, Path(folder))
    if written != int(expected):
        raise RuntimeError(f"{written} documents de recherche écrits sur {expected}")
    for attempt in range(1, ATTEMPTS + 1):
        shutil.rmtree(bundle, ignore_errors=True)
        asyncio.run(index(Path(folder), Path(bundle), int(expected)))
        bad = broken_files(Path(bundle))
        if not bad:
            # Here, beside MkDocs, not at the end of the build: 20,000 entries at 10,000 aids.
            shutil.rmtree(folder)
            return 0
        print(f"index incomplet (essai {attempt}) : {', '.join(bad[:5])}", file=sys.stderr)
    raise RuntimeError(f"Pagefind a laissé des fichiers vides : {', '.join(bad[:5])}")


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
