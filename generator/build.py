"""`aidess build`: validate → enrich → write MkDocs sources → render (strict) → index →
open data → swap the new site in. Nothing touches --out until every stage has succeeded."""

from __future__ import annotations

import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from generator.bodies import convert_bodies
from generator.calendars import write_calendars
from generator.cms import CmsConfigError, write_admin
from generator.content import urls
from generator.content.catalog import load
from generator.content.issues import errors
from generator.enrich import Site, enrich
from generator.exports import write_exports
from generator.indexing import start_index
from generator.rendering import render_site
from generator.settings import Settings
from generator.sitemap import write_sitemap
from generator.writers import site_pages, write_sources


def _say(message: str) -> None:
    print(message, file=sys.stderr)


def build_into(site: Site, work: Path, settings: Settings) -> Path:
    """Build the whole site under the empty folder `work`; return the built site folder."""
    docs, site_dir = work / "docs", work / "site"
    bodies = convert_bodies(site)  # once, for the pages and the search documents
    # Pagefind indexes the aids in its own process while MkDocs renders the pages.
    with start_index(site, bodies, work) as index:
        registry = write_sources(site_pages(site, settings, bodies), docs)
        paths = [page.url for page in registry.values()]
        del bodies  # now held by the pages only, which release it once written
        render_site(docs, site_dir, registry)
        write_sitemap(site_dir, paths, settings.site_url)
        write_exports(site, site_dir / urls.DATA_PATH.strip("/"))
        write_calendars(site, site_dir / urls.DATA_PATH.strip("/"), settings.site_url)
        if settings.cms is not None:
            write_admin(site_dir, settings.cms)
        index.finish(site_dir)
    return site_dir


def swap(new: Path, out: Path, trash: Path) -> None:
    """Replace `out` by `new` with two renames on the same filesystem."""
    if out.exists():
        out.rename(trash)
    new.rename(out)


def build(content: Path, out: Path, today: date) -> int:
    """Build the site into `out`; on any error print it, leave `out` untouched, return 1."""
    started = time.perf_counter()
    catalog, issues = load(content, today)
    if errors(issues):
        for issue in issues:
            _say(issue.format())
        _say(f"{len(errors(issues))} erreur(s) : site non construit, le précédent reste en place")
        return 1
    try:
        settings = Settings.from_env()
    except CmsConfigError as exc:
        _say(f"erreur : {exc}")
        _say("site non construit, le précédent reste en place")
        return 1
    site = enrich(catalog, today)
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    # The work folder sits next to --out, so the final rename stays on one filesystem.
    with tempfile.TemporaryDirectory(prefix=f".{out.name}-build-", dir=out.parent) as tmp:
        work = Path(tmp)
        try:
            built = build_into(site, work, settings)
        except Exception as exc:  # any stage: report it, keep the previous site
            _say(f"erreur : construction interrompue ({type(exc).__name__} : {exc})")
            _say("site non construit, le précédent reste en place")
            return 1
        swap(built, out, work / "precedent")
    elapsed = time.perf_counter() - started
    _say(f"{len(site.aides)} aides, {len(site.reseaux)} réseaux : {out} ({elapsed:.1f} s)")
    return 0
