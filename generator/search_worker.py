"""`python -m generator.search_worker DOCUMENTS FOLDER BUNDLE COUNT`: the search index, in its
own process so it runs beside MkDocs (generator/indexing.py starts it). Reads the aid search
documents (JSON lines: path and HTML, bodies already converted by generator/bodies.py), writes
one small HTML file per aid under FOLDER, and has Pagefind (French) index them into BUNDLE."""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path

from pagefind.index import IndexConfig, PagefindIndex


def write_documents(lines: list[str], folder: Path) -> int:
    count = 0
    for line in lines:
        document = json.loads(line)
        path = folder / document["path"]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(document["html"], encoding="utf-8")
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


def main(argv: list[str]) -> int:
    documents, folder, bundle, expected = argv
    lines = Path(documents).read_text(encoding="utf-8").splitlines()
    written = write_documents(lines, Path(folder))
    if written != int(expected):
        raise RuntimeError(f"{written} documents de recherche écrits sur {expected}")
    asyncio.run(index(Path(folder), Path(bundle), int(expected)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
