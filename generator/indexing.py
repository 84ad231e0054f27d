"""Search index: Pagefind (French) over the aid pages only, through its Python API."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from pagefind.index import IndexConfig, PagefindIndex

BUNDLE = "pagefind"  # served at /pagefind/, where the home page's script loads it


class IndexError_(RuntimeError):
    """Pagefind did not index what we expected."""


async def _index(site: Path, expected: int) -> int:
    config = IndexConfig(force_language="fr", output_path=str(site / BUNDLE))
    async with PagefindIndex(config=config) as index:
        # Only aid pages carry data-pagefind-body; the glob spares reading the others.
        result = await index.add_directory(str(site), glob="aides/**/*.html")
        count = int(result["page_count"])
        if count != expected:
            raise IndexError_(f"Pagefind a indexé {count} pages d'aides sur {expected}")
    return count


def index_site(site: Path, expected: int) -> int:
    """Write the Pagefind bundle into `site`; return the number of pages indexed."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(_index(site, expected))
    # Called from code that already runs an event loop (a server, a test driving a browser):
    # index on a thread of our own rather than fail.
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, _index(site, expected)).result()
