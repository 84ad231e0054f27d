"""`aidess build`: validate → enrich → write MkDocs sources → render (strict) → index →
open data → swap the new site in. Nothing touches --out until every stage has succeeded."""

from __future__ import annotations

import io
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from generator import statistics
from generator.bodies import convert_bodies
from generator.calendars import write_calendars
from generator.cms import CmsConfigError, write_admin
from generator.commune_files import write_commune_files
from generator.content import urls
from generator.content.catalog import load
from generator.content.issues import errors
from generator.enrich import Site, enrich
from generator.exports import write_exports
from generator.indexing import BUNDLE, page_ids, start_index
from generator.listing_files import FOLDER as LISTINGS
from generator.listing_files import add_search_ids, write_listings
from generator.progress import Stages
from generator.rendering import render_site
from generator.settings import Settings
from generator.sitemap import write_sitemap
from generator.writers import by_source, site_pages


def _say(message: str) -> None:
    print(message, file=sys.stderr)


STAGES = 9  # the stages build() times, for the progress bar


def build_into(
    site: Site,
    work: Path,
    settings: Settings,
    stages: Stages | None = None,
    figures: statistics.Figures | None = None,
) -> Path:
    """Build the whole site under the empty folder `work`; return the built site folder.
    `figures`: the statistics read from AIDESS_STATS, for /statistiques/."""
    stages = stages or Stages(0, "construction", io.StringIO())
    docs, site_dir = work / "docs", work / "site"
    with stages.stage("Textes des fiches") as done:
        bodies = convert_bodies(site)  # once, for the pages and the search documents
        done.say(len(bodies.aides) + len(bodies.reseaux), "textes")
    # Pagefind indexes the aids in its own process while MkDocs renders the pages.
    with start_index(site, bodies, work) as index:
        with stages.stage("Sources des pages") as done:
            registry = by_source(site_pages(site, settings, bodies, figures))
            docs.mkdir()  # MkDocs' docs_dir, empty: the plugin gives it the pages
            done.say(len(registry), "pages")
        paths = [page.url for page in registry.values()]
        del bodies  # now held by the pages only, which release it once written
        with stages.stage("Rendu des pages (MkDocs)") as done:
            render_site(docs, site_dir, registry)  # releases each page once written
            done.say(len(paths), "pages")
        with stages.stage("Plan du site") as done:
            write_sitemap(site_dir, paths, settings.site_url)
            done.say(len(paths), "adresses")
        with stages.stage("Données ouvertes") as done:
            write_exports(site, site_dir / urls.DATA_PATH.strip("/"))
            write_commune_files(site_dir / urls.DATA_PATH.strip("/"))
            done.say(len(site.aides), "aides")
        listings = site_dir / urls.DATA_PATH.strip("/") / LISTINGS
        with stages.stage("Listes par territoire") as done:
            contents = write_listings(site, listings)
            done.say(len(contents), "listes")
        with stages.stage("Agendas des échéances"):
            write_calendars(site, site_dir / urls.DATA_PATH.strip("/"), settings.site_url)
        if settings.cms is not None:
            write_admin(site_dir, settings.cms)
        with stages.stage("Index de recherche (Pagefind)"):
            index.finish(site_dir)
            # Known once the index is written: each listing entry's id in Pagefind's results.
            add_search_ids(listings, contents, page_ids(site_dir / BUNDLE))
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
        # Read once, before any work: a bad file stops the build here.
        figures = statistics.load(settings.stats) if settings.stats is not None else None
    except (CmsConfigError, statistics.StatsError) as exc:
        _say(f"erreur : {exc}")
        _say("site non construit, le précédent reste en place")
        return 1
    stages = Stages(STAGES, "aidess build")
    with stages.stage("Contenu validé et enrichi") as done:
        site = enrich(catalog, today)
        done.say(len(site.aides) + len(site.reseaux), "fiches")
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    # The work folder sits next to --out, so the final rename stays on one filesystem.
    with tempfile.TemporaryDirectory(prefix=f".{out.name}-build-", dir=out.parent) as tmp:
        work = Path(tmp)
        try:
            built = build_into(site, work, settings, stages, figures)
        except Exception as exc:  # any stage: report it, keep the previous site
            stages.close()
            _say(f"erreur : construction interrompue ({type(exc).__name__} : {exc})")
            _say("site non construit, le précédent reste en place")
            return 1
        swap(built, out, work / "precedent")
    stages.close()
    elapsed = time.perf_counter() - started
    _say(f"{len(site.aides)} aides, {len(site.reseaux)} réseaux : {out} ({elapsed:.1f} s)")
    return 0
