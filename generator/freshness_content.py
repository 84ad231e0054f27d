"""The facts `aidess fraicheur` judges, read from the content, and its page on the site
(`/contribuer/a-verifier/`)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from generator.content import urls
from generator.content.catalog import load
from generator.content.issues import errors
from generator.content.model import Aide, Session
from generator.content.vocabularies import date_fr
from generator.enrich import Site, enrich
from generator.freshness import DEFAULT_MONTHS, REASONS, AVerifier, Fiche, select
from generator.pages import PageSpec, render

PATH = "/contribuer/a-verifier/"


def last_session(aide: Aide) -> date | None:
    """The closing day of a recurring aid's last known session: its own deadline or its
    `derniere_session`'s, whichever is later (the status tells whether it has passed)."""
    known = [aide.cloture] if aide.cloture else []
    if isinstance(aide.derniere_session, Session):
        known.append(aide.derniere_session.cloture)
    return max(known, default=None)


def fiches_of(site: Site) -> list[Fiche]:
    fiches = [
        Fiche(
            kind="aide",
            slug=e.slug,
            titre=e.data.titre,
            path=e.record.path,
            mise_a_jour=e.data.mise_a_jour,
            recurrence=e.data.recurrence,
            cloture=e.data.cloture,
            statut=e.statut,
            session=last_session(e.data),
        )
        for e in site.aides.values()
    ]
    fiches += [
        Fiche("reseau", e.slug, e.data.nom, e.record.path, e.data.mise_a_jour)
        for e in site.reseaux.values()
    ]
    return fiches


def load_fiches(content: Path, today: date, months: int) -> tuple[list[AVerifier], int]:
    """What to re-check in `content`, and how many files could not be read (invalid ones are
    `aidess validate`'s business; the others are still judged)."""
    catalog, issues = load(content, today)
    broken = len({issue.path for issue in errors(issues)})
    return select(fiches_of(enrich(catalog, today)), today, months), broken


def _file(fiche: Fiche) -> str:
    """The path an editor opens, from the content folder: `content/aides/x.md`."""
    parts = fiche.path.parts
    return "/".join(("content", *parts[-2:]))


def page(site: Site, months: int = DEFAULT_MONTHS) -> PageSpec:
    items = select(fiches_of(site), site.today, months)
    groups = [
        {
            "raison": reason,
            "titre": title,
            "fiches": [
                {
                    "url": urls.aide(a.fiche.slug)
                    if a.fiche.kind == "aide"
                    else urls.reseau(a.fiche.slug),
                    "titre": a.fiche.titre,
                    "fichier": _file(a.fiche),
                    "detail": a.detail,
                }
                for a in items
                if a.raison == reason
            ],
        }
        for reason, title in REASONS.items()
    ]
    html = render(
        "a_verifier.html", groups=groups, total=len(items), today=date_fr(site.today), mois=months
    )
    return PageSpec(PATH, "Fiches à vérifier", before=html)
