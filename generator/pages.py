"""The generated pages: for each one, its source path, title, Markdown and the HTML the theme
places around the Markdown (rendered here with autoescaping, so the theme stays tiny)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from jinja2 import ChoiceLoader, Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from generator import alert_pages
from generator.bodies import Body, Toc
from generator.content import territories, urls
from generator.content.forms import rendering as forms_rendering
from generator.content.forms import report as forms_report
from generator.content.forms.callback import render_form
from generator.content.model import Session
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


@dataclass(frozen=True)
class PageSpec:
    """One page of the site, before MkDocs renders it."""

    url: str  # public URL, from generator.content.urls
    title: str  # plain text
    markdown: str = ""
    before: str = ""  # HTML before the rendered Markdown
    after: str = ""  # HTML after it
    script: str | None = None  # theme asset loaded by this page
    body: str = ""  # ready HTML of an aid's or network's Markdown body (generator/bodies.py)
    toc: Toc = field(default_factory=list)  # the body's headings
    hide: tuple[str, ...] = ()  # Material sidebars left out of this page ("toc", "navigation")

    @property
    def src(self) -> str:
        """Path of the Markdown source under docs/ that MkDocs turns into `url`."""
        path = self.url.strip("/")
        return f"{path}.md" if path else "index.md"


def euros(amount: int) -> str:
    return f"{amount:,}".replace(",", "\u202f") + "\u00a0€"


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
    return env


def render(template: str, **context: Any) -> str:
    return environment().get_template(template).render(**context)


def _plural(n: int, word: str) -> str:
    return word if n <= 1 else " ".join(w + "s" for w in word.split(" "))


def compte_aides(ouvertes: int, a_confirmer: int, qualifier: str = "") -> str:
    """« 103 aides ouvertes ou à venir, 157 à dates à confirmer »: the aids whose dates are to
    be confirmed are counted apart, never as open (PRODUCT.md §1). `qualifier` follows
    « aide » (« nationale »)."""
    noun = _plural(ouvertes, f"aide {qualifier}".strip() + " ouverte")
    text = f"{ouvertes} {noun} ou à venir"
    if a_confirmer:
        text += f", {a_confirmer} à dates à confirmer"
    return text


def echeance(entry: AideEntry) -> str:
    """The dates behind the status badge, in a sentence. Only a `permanente` aid is ever
    called permanent (docs/interfaces.md §1)."""
    aide = entry.data
    if entry.statut == "a-confirmer":
        known = derniere_session(entry)
        suite = f". Dernière session connue : {known}" if known else ""
        return f"Session récurrente, dates à confirmer — {aide.periode}{suite}"
    if entry.statut == "cloturee" and aide.cloture:
        return f"clôturée le {date_fr(aide.cloture)}"
    if entry.statut == "a-venir" and aide.ouverture:
        suite = f", jusqu'au {date_fr(aide.cloture)}" if aide.cloture else ""
        return f"ouverture le {date_fr(aide.ouverture)}{suite}"
    if aide.cloture:
        return f"dépôt jusqu'au {date_fr(aide.cloture)}"
    if aide.recurrence == "permanente":
        return "aide permanente, sans date limite"
    if aide.ouverture:
        return f"session ouverte depuis le {date_fr(aide.ouverture)}"
    return "session ouverte"


def derniere_session(entry: AideEntry) -> str:
    """« du 1er décembre 2025 au 15 mars 2026 » or « clôture le 15 mars 2026 »: the last known
    session of a recurring aid whose current one is not known (its `derniere_session`, or its
    own dates once they have passed); empty when none is dated."""
    aide = entry.data
    sessions = [(aide.cloture, aide.ouverture)] if aide.cloture is not None else []
    if isinstance(aide.derniere_session, Session):
        sessions.append((aide.derniere_session.cloture, aide.derniere_session.ouverture))
    if not sessions:
        return ""
    cloture, ouverture = max(sessions, key=lambda s: s[0])
    if ouverture is not None:
        return f"du {date_fr(ouverture)} au {date_fr(cloture)}"
    return f"clôture le {date_fr(cloture)}"


def calendrier(entry: AideEntry) -> str:
    """How the aid recurs, for the facts list of its page."""
    aide = entry.data
    if aide.recurrence == "recurrente":
        return f"Session récurrente : {aide.periode}"
    if aide.recurrence == "ponctuelle":
        return "Aide ponctuelle : une seule session, avec une date limite"
    if aide.cloture:
        return (
            f"Aide permanente jusqu'au {date_fr(aide.cloture)} : demande possible à tout moment "
            "avant cette date, dans la limite des crédits"
        )
    return "Aide permanente : demande possible toute l'année, dans la limite des crédits"


def montant(entry: AideEntry) -> str:
    m = entry.data.montant
    if m is None:
        return ""
    if m.min is not None and m.max is not None:
        amount = f"de {euros(m.min)} à {euros(m.max)}" if m.min != m.max else euros(m.max)
    elif m.max is not None:
        amount = f"jusqu'à {euros(m.max)}"
    elif m.min is not None:
        amount = f"à partir de {euros(m.min)}"
    else:
        amount = ""
    return " — ".join(part for part in (amount, m.texte or "") if part)


def montant_court(entry: AideEntry, limit: int = 90) -> str:
    """The amount of a result card: the figures when known, else the start of the text."""
    m = entry.data.montant
    if m is None:
        return ""
    full = montant(entry)
    if m.min is None and m.max is None:
        return full if len(full) <= limit else full[: limit - 1].rstrip() + "…"
    return full.split(" — ", 1)[0]


def _all_or(values: tuple[str, ...], labels: dict[str, str], everything: str) -> str:
    if len(values) == len(labels):
        return everything
    return ", ".join(labels[v] for v in values)


def taille(entry: AideEntry) -> str:
    """The size condition, both ends of it (an employers-only aid never says « toutes
    tailles »)."""
    low, high = entry.data.effectif_min or 0, entry.data.effectif_max

    def staff(n: int) -> str:
        return f"{n} salarié{'s' if n > 1 else ''}"

    if high == 0:
        return "structures sans salarié (bénévoles seulement)"
    if low and high is not None:
        return f"employeuses, de {staff(low)} à {staff(high)} (ETP)"
    if low:
        return f"employeuses, au moins {staff(low)} (ETP)"
    if high is None:
        return "toutes tailles"
    return f"jusqu'à {staff(high)} (ETP)"


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
        "form_url": urls.form(entry.slug, single),
        "ferme": not entry.open,
        "statut_label": STATUTS[entry.statut],
        "echeance": echeance(entry),
        "calendrier": calendrier(entry),
    }
    territoire = territories.describe(aide.territoires, aide.exclusions)
    before = render(
        "aide_before.html",
        **common,
        montant=montant(entry),
        natures=[NATURES[n] for n in aide.natures],
        structures=[STRUCTURES[s] for s in aide.structures],
        taille=taille(entry),
        agrements=[AGREMENTS[a] for a in entry.data.agrements],
        etapes=_all_or(entry.etapes, ETAPES, "toutes les étapes"),
        secteurs=_all_or(entry.secteurs, SECTEURS, "tous les secteurs"),
        besoins=[BESOINS[b] for b in aide.besoins],
        territoire=territoire,
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
    return PageSpec(url, aide.titre, before=before, after=after, body=body.html, toc=body.toc)


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
        secteurs=_all_or(entry.secteurs, SECTEURS, "tous les secteurs"),
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
    return PageSpec(urls.FORM_PATH, "Être rappelé", before=html, script="assets/aidess/demande.js")
