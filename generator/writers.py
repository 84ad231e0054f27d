"""Every page of the site, each with its Markdown source, and the registry the theme plugin
uses to give them to MkDocs and place the generated HTML around them."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from functools import partial

from generator import statistics
from generator.bodies import Bodies
from generator.content import urls
from generator.content.forms import alert, proposal
from generator.content.forms.promise import PROMISE
from generator.content.forms.report import report_form
from generator.content.vocabularies import NATURES, date_fr
from generator.directory_pages import directory_pages
from generator.enrich import Site
from generator.exports import CSV_COLUMNS
from generator.freshness_content import page as freshness_page
from generator.home import home_page
from generator.listings import territory_listings
from generator.pages import (
    COMMUNES_SCRIPT,
    LazyPage,
    PageSpec,
    SitePage,
    aide_page,
    environment,
    form_page,
    reseau_page,
)
from generator.settings import Settings
from generator.similar import similar_aids
from generator.territory_pages import territory_pages

# Static pages: URL, title, template under generator/templates/pages/.
STATIC: tuple[tuple[str, str, str], ...] = (
    ("/contribuer/", "Contribuer", "contribuer.md"),
    (urls.PRIVACY_PATH, "Données personnelles", "donnees-personnelles.md"),
    ("/accessibilite/", "Accessibilité", "accessibilite.md"),
    (urls.DATA_PATH, "Données ouvertes", "donnees.md"),
    (urls.CONFIRMATION_PATH, "Demande envoyée", "envoyee.md"),
    ("/contribuer/merci/", "Message envoyé", "merci.md"),
)


def static_pages(site: Site, settings: Settings, stats: bool = False) -> list[PageSpec]:
    """The pages of generator/templates/pages/; `stats`: /statistiques/ is built (the open
    data page links to it)."""
    context = {
        "contact": settings.contact,
        "responsable": settings.responsable,
        "retention": settings.retention_days,
        "form_url": urls.form(),
        "today": date_fr(site.today),
        "n_aides": len(site.aides),
        "n_reseaux": len(site.reseaux),
        "columns": ", ".join(f"`{c}`" for c in CSV_COLUMNS),
        "natures": ", ".join(f"`{n}`" for n in NATURES),
        "site_url": settings.site_url,
        "promise": PROMISE,
        "stats": stats,
    }
    # Markdown, not HTML: escaping belongs to python-markdown here.
    env = environment().overlay(autoescape=False)
    context["cms"] = settings.cms is not None
    pages = [
        PageSpec(url, title, env.get_template(f"pages/{name}").render(**context))
        for url, title, name in STATIC
    ]
    # The report form, with its three choices, at the end of « Contribuer » (#signaler).
    form = report_form(settings.report_action, "/contribuer/", choices=True)
    return [replace(p, after=form) if p.url == "/contribuer/" else p for p in pages]


def site_pages(
    site: Site, settings: Settings, bodies: Bodies, figures: statistics.Figures | None = None
) -> list[SitePage]:
    """Every page of the site, in a stable order; /statistiques/ with the `figures` read from
    AIDESS_STATS (generator/build.py reads the file once, before any work). The aid and
    network pages are rendered as MkDocs reaches them."""
    pages: list[SitePage] = [home_page(site), form_page(settings.form_action)]
    pages += static_pages(site, settings, stats=figures is not None)
    pages.append(freshness_page(site))
    if figures is not None:
        pages.append(statistics.page(figures))
    similar = similar_aids(site)
    pages += [
        LazyPage(
            urls.aide(slug),
            entry.data.titre,
            partial(aide_page, entry, site, bodies.aides[slug], settings, similar.get(slug)),
            bodies.aides[slug].toc,
        )
        for slug, entry in site.aides.items()
    ]
    pages += [
        LazyPage(
            urls.reseau(slug),
            e.data.nom,
            partial(reseau_page, e, site, bodies.reseaux[slug], settings),
            bodies.reseaux[slug].toc,
        )
        for slug, e in site.reseaux.items()
    ]
    pages += territory_pages(territory_listings(site))
    pages += directory_pages(site)
    pages += [
        PageSpec(alert.PAGE_PATH, alert.HEADING, before=alert.page(), helpers=(COMMUNES_SCRIPT,)),
        PageSpec(alert.SENT_PATH, "Vérifiez votre boîte aux lettres", before=alert.sent_page()),
        PageSpec(
            proposal.PAGE_PATH,
            proposal.HEADING,
            before=proposal.page(),
            helpers=(COMMUNES_SCRIPT,),  # its territories: communes suggested as typed
        ),
        PageSpec(
            proposal.THANKS_PATH, "Merci pour votre proposition", before=proposal.thanks_page()
        ),
    ]
    return unique_titles(pages)


def unique_titles(pages: list[SitePage]) -> list[SitePage]:
    """Suffix repeated titles (two aids may share a name) so every page title is unique."""
    seen = Counter(p.title.casefold() for p in pages)
    result = []
    for page in pages:
        if seen[page.title.casefold()] > 1:
            slug = page.url.strip("/").rsplit("/", 1)[-1]
            page = replace(page, title=f"{page.title} ({slug})")
        result.append(page)
    return result


def by_source(pages: list[SitePage]) -> dict[str, SitePage]:
    """The pages by the path of their Markdown source, which MkDocs reads from memory
    (generator/rendering.py): no docs folder of 12,000 files to write, read and delete."""
    return {page.src: page for page in pages}
