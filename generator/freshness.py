"""`aidess fraicheur` (docs/interfaces.md §9): which records an editor should re-check, as pure
rules
on plain facts (the clock is a parameter), plus the table printed for the editor."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Literal

ARCHIVE_AFTER = timedelta(days=90)
DEFAULT_MONTHS = 12

Reason = Literal["nouvelle-session", "a-archiver", "ancienne"]
# What to do, stalest first (one listing per reason): the records not checked for longest,
# then the recurring calls whose last known session is oldest, then the closed ones to archive.
REASONS: dict[Reason, str] = {
    "ancienne": "Fiches à revérifier auprès de leur source",
    "nouvelle-session": "Aides récurrentes à mettre à jour avec leur nouvelle session",
    "a-archiver": "Aides ponctuelles clôturées depuis plus de 90 jours, à archiver",
}


@dataclass(frozen=True)
class Fiche:
    """What the rules need to know of one aid or network."""

    kind: Literal["aide", "reseau"]
    slug: str
    titre: str
    path: Path
    mise_a_jour: date
    recurrence: str | None = None  # aids only
    cloture: date | None = None
    statut: str | None = None  # aids only: the status on the day (generator/content/status.py)
    # A recurring aid's last known session: the closing day of its own dates or of its
    # `derniere_session`, whichever is later; None when no session is dated.
    session: date | None = None


@dataclass(frozen=True)
class AVerifier:
    """One thing to do on one record."""

    fiche: Fiche
    raison: Reason
    depuis: date  # the date the reason counts from (deadline, last check)
    detail: str  # French, for the editor


def months_before(day: date, months: int) -> date:
    """The same day `months` calendar months earlier (the month's last day if it is shorter)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    last = (date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)).day
    return date(year, month, min(day.day, last))


def _fr(day: date) -> str:
    return f"{day:%d/%m/%Y}"


def checks(fiche: Fiche, today: date, months: int = DEFAULT_MONTHS) -> list[AVerifier]:
    """What to do with this record today (nothing when it is fresh): at most one thing —
    archiving a closed call, else re-checking a stale record, else finding a recurring call's
    new session (each means reading the source, which does the next ones too)."""
    found: list[AVerifier] = []
    if (
        fiche.kind == "aide"
        and fiche.recurrence == "ponctuelle"
        and fiche.cloture is not None
        and today - fiche.cloture > ARCHIVE_AFTER
    ):
        days = (today - fiche.cloture).days
        found.append(
            AVerifier(
                fiche,
                "a-archiver",
                fiche.cloture,
                f"clôturée le {_fr(fiche.cloture)}, il y a {days} jours : à retirer du contenu",
            )
        )
    to_confirm = (
        fiche.kind == "aide" and fiche.recurrence == "recurrente" and fiche.statut == "a-confirmer"
    )
    if not found and fiche.mise_a_jour < months_before(today, months):
        detail = f"vérifiée le {_fr(fiche.mise_a_jour)}, il y a plus de {months} mois"
        if to_confirm:
            detail += " ; dates de la prochaine session à trouver"
        found.append(AVerifier(fiche, "ancienne", fiche.mise_a_jour, detail))
    if not found and to_confirm:
        detail = (
            f"dernière session connue close le {_fr(fiche.session)} : indiquez les dates de la "
            "nouvelle session"
            if fiche.session
            else "aucune session datée connue : indiquez les dates de la prochaine session"
        )
        found.append(AVerifier(fiche, "nouvelle-session", fiche.session or date.min, detail))
    return found


def select(fiches: Iterable[Fiche], today: date, months: int = DEFAULT_MONTHS) -> list[AVerifier]:
    """Everything to re-check, by reason (in REASONS order), oldest first (a recurring call
    with no dated session before the others, the least recently checked first), then by
    file."""
    found = [item for fiche in fiches for item in checks(fiche, today, months)]
    order = list(REASONS)
    return sorted(
        found,
        key=lambda a: (order.index(a.raison), a.depuis, a.fiche.mise_a_jour, str(a.fiche.path)),
    )


SHORT: dict[Reason, str] = {
    "ancienne": "À revérifier",
    "nouvelle-session": "Nouvelle session",
    "a-archiver": "À archiver",
}


def table(items: list[AVerifier]) -> str:
    """The plain-text table `aidess fraicheur` prints, with a count per reason."""
    if not items:
        return "Rien à revérifier : tout le contenu est à jour."
    rows = [("À faire", "Fichier", "Titre", "Détail")]
    rows += [(SHORT[a.raison], str(a.fiche.path), a.fiche.titre, a.detail) for a in items]
    widths = [max(len(row[i]) for row in rows) for i in range(3)]

    def line(cells: tuple[str, ...]) -> str:
        return "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=False)) + "  " + cells[3]

    lines = [line(rows[0]), line(tuple("-" * w for w in [*widths, 6]))]
    lines += [line(row) for row in rows[1:]]
    counts = ", ".join(f"{SHORT[r].lower()} : {sum(a.raison == r for a in items)}" for r in REASONS)
    return "\n".join([*lines, "", f"{len(items)} point(s) à revérifier ({counts})"])
