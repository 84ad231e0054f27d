"""The generated pages: for each one, its source path, title, Markdown and the HTML the theme
places around the Markdown (rendered here with autoescaping, so the theme stays tiny)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cache
from typing import Any, ClassVar

from jinja2 import ChoiceLoader, Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from generator import alert_pages, calendars
from generator.bodies import Body, Toc
from generator.content import territories, urls
from generator.content.forms import fields
from generator.content.forms import rendering as forms_rendering
from generator.content.forms import report as forms_report
from generator.content.forms.callback import render_form
from generator.content.vocabularies import (
    AGREMENTS,
    BESOINS,
    ETAPES,
    FAMILLES,
    NATURES,
    SECTEURS,
    STATUTS,
    STRUCTURES,
    date_fr,
)
from generator.enrich import AideEntry, ReseauEntry, Site
from generator.settings import Settings
from generator.wording import (
    all_or,
    calendrier,
    compte_aides,
    echeance,
    insecables,
    montant,
    taille,
)

COMMUNES_SCRIPT = "assets/aidess/communes.js"  # the commune fields' suggestions
PARCOURS_SCRIPT = "assets/aidess/parcours.js"  # the visitor's answers, from page to page
STATE_SCRIPT = "assets/aidess/etat.js"  # the home search's state, and the callback form's URL
# The scripts that carry the visitor's answers to the callback form: their page gets the one
# mapping they use, urls.SEARCH_TO_FORM, as JSON (`PageSpec.answers`).
ANSWERS_SCRIPTS = (PARCOURS_SCRIPT, STATE_SCRIPT)


@dataclass(frozen=True)
class PageSpec:
    """One page of the site, before MkDocs renders it."""

    url: str  # public URL, from generator.content.urls
    title: str  # plain text
    markdown: str = ""
    before: str = ""  # HTML before the rendered Markdown
    after: str = ""  # HTML after it
    script: str | None = None  # theme asset loaded by this page
    helpers: tuple[str, ...] = ()  # theme scripts loaded before it (the same `defer` order)
    body: str = ""  # ready HTML of an aid's or network's Markdown body (generator/bodies.py)
    toc: Toc = field(default_factory=list)  # the body's headings
    hide: tuple[str, ...] = ()  # Material sidebars left out of this page ("toc", "navigation")

    @property
    def scripts(self) -> tuple[str, ...]:
        return (*self.helpers, *((self.script,) if self.script else ()))

    @property
    def answers(self) -> str:
        """urls.SEARCH_TO_FORM as JSON for a page whose scripts carry the answers to the
        callback form (theme/main.html writes it into the page), else ""."""
        if not any(script in ANSWERS_SCRIPTS for script in self.scripts):
            return ""
        return json.dumps(urls.SEARCH_TO_FORM, separators=(",", ":"))

    @property
    def src(self) -> str:
        """Path of the Markdown source under docs/ that MkDocs turns into `url`."""
        return source_path(self.url)


@dataclass(frozen=True)
class LazyPage:
    """A page whose HTML is rendered only when MkDocs writes it (generator/rendering.py):
    the HTML of the 12,000 aid and network pages of a national directory is never all in
    memory at once. MkDocs reads every page's title and table of contents before it writes
    the first: they are here; the Markdown is empty, the HTML all `make()`'s."""

    url: str
    title: str  # plain text, which `unique_titles` may change
    make: Callable[[], PageSpec]
    toc: Toc = field(default_factory=list)  # the body's headings
    markdown: ClassVar[str] = ""
    hide: ClassVar[tuple[str, ...]] = ()

    @property
    def src(self) -> str:
        return source_path(self.url)

    def spec(self) -> PageSpec:
        return replace(self.make(), title=self.title)


SitePage = PageSpec | LazyPage


def source_path(url: str) -> str:
    """Path of the Markdown source under docs/ that MkDocs turns into `url`."""
    path = url.strip("/")
    return f"{path}.md" if path else "index.md"


@cache
def environment() -> Environment:
    env = Environment(
        # The site's templates, and the visitor forms' (they include alertes_form.html).
        loader=ChoiceLoader([PackageLoader("generator", "templates"), forms_rendering.loader()]),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["urls"] = urls
    env.globals["compte_aides"] = compte_aides
    env.filters["insecables"] = insecables
    return env


def render(template: str, **context: Any) -> str:
    return environment().get_template(template).render(**context)


def starts_with_heading(html: str) -> bool:
    return re.match(r"\s*<h[1-6][\s>]", html) is not None


def aide_page(
    entry: AideEntry,
    site: Site,
    body: Body,
    settings: Settings | None = None,
    similar: list[AideEntry] | None = None,
) -> PageSpec:
    """An aid's page. A closed aid offers open aids like it (`similar`) instead of a
    callback; the callback link carries the aid's department when it covers only one."""
    aide = entry.data
    settings = settings or Settings()
    single = entry.departements[0] if len(entry.departements) == 1 else None
    common: dict[str, Any] = {
        "aide": aide,
        "entry": entry,
        "form_url": urls.form(entry.slug, single, aide.besoins[: fields.MAX_BESOINS]),
        "ferme": not entry.open,
        "statut_label": STATUTS[entry.statut],
        "echeance": echeance(entry),
        "calendrier": calendrier(entry),
    }
    deadline = calendars.deadline_of(entry, site.today)
    territoire = territories.describe(aide.territoires, aide.exclusions)
    before = render(
        "aide_before.html",
        **common,
        montant=montant(entry),
        natures=[NATURES[n] for n in aide.natures],
        structures=[STRUCTURES[s] for s in aide.structures],
        taille=taille(entry),
        agrements=[AGREMENTS[a] for a in entry.data.agrements],
        etapes=all_or(entry.etapes, ETAPES, "toutes les étapes"),
        secteurs=all_or(entry.secteurs, SECTEURS, "tous les secteurs"),
        besoins=[BESOINS[b] for b in aide.besoins],
        territoire=territoire,
        agenda=calendars.aide_url(entry.slug) if deadline else None,
        agenda_attendue=deadline is not None and deadline.expected,
    )
    if not entry.record.body.strip() or starts_with_heading(body.html):
        # No empty « Description » heading: none without a body, nor above the body's own.
        before = before.replace('<h2 id="description">Description</h2>', "")
    reseaux = [
        {
            "url": urls.reseau(r.slug),
            "nom": r.data.nom,
            "territoire": territories.describe(r.data.territoires),
        }
        for r in site.reseaux_of(entry.reseaux)
    ]
    proches = [
        {
            "url": urls.aide(a.slug),
            "titre": a.data.titre,
            "statut": a.statut,
            "statut_label": STATUTS[a.statut],
        }
        for a in similar or []
    ]
    url = urls.aide(entry.slug)
    after = render(
        "aide_after.html", **common, reseaux=reseaux, mise_a_jour=date_fr(aide.mise_a_jour),
        proches=proches, search_url=urls.search({"besoin": aide.besoins[:1]}),
        fichier=f"content/aides/{entry.slug}.md",
        correction_url=settings.correction_url("aides", entry.slug),
        alerte=alert_pages.aid(entry),
        signaler=report_form(settings.report_action, url),
    )  # fmt: skip
    return PageSpec(
        url,
        aide.titre,
        before=before,
        after=after,
        body=body.html,
        toc=body.toc,
        helpers=(COMMUNES_SCRIPT, PARCOURS_SCRIPT),  # its alert form's commune field
    )


def reseau_page(
    entry: ReseauEntry, site: Site, body: Body, settings: Settings | None = None
) -> PageSpec:
    reseau = entry.data
    settings = settings or Settings()
    before = render(
        "reseau.html",
        reseau=reseau,
        famille=FAMILLES[reseau.famille],
        territoire=territories.describe(reseau.territoires),
        besoins=[BESOINS[b] for b in reseau.besoins],
        secteurs=all_or(entry.secteurs, SECTEURS, "tous les secteurs"),
        structures=", ".join(STRUCTURES[s] for s in reseau.structures)
        if reseau.structures
        else "toutes les structures de l'ESS",
        form_url=urls.form(),
    )
    aides = [
        {
            "url": urls.aide(a.slug),
            "titre": a.data.titre,
            "statut": a.statut,
            "statut_label": STATUTS[a.statut],
        }
        for a in site.aides_of(entry.aides)
    ]
    url = urls.reseau(entry.slug)
    after = render(
        "reseau_after.html", aides=aides, mise_a_jour=date_fr(reseau.mise_a_jour),
        nom=reseau.nom, fichier=f"content/reseaux/{entry.slug}.md",
        correction_url=settings.correction_url("reseaux", entry.slug),
        signaler=report_form(settings.report_action, url),
    )  # fmt: skip
    return PageSpec(url, reseau.nom, before=before, after=after, body=body.html, toc=body.toc)


def report_form(action: str, page: str) -> Markup:
    return Markup(forms_report.report_form(action, page))


def form_page(action: str) -> PageSpec:
    html = render("demande.html", form=Markup(render_form(action)))
    return PageSpec(
        urls.FORM_PATH,
        "Être rappelé",
        before=html,
        script="assets/aidess/demande.js",
        helpers=(COMMUNES_SCRIPT, PARCOURS_SCRIPT),
    )
