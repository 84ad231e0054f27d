"""`aidess dossiers stats` (docs/interfaces.md §7): per department (or region) × need, how many
requests, how many taken, how many taken within 2 working days, the median working hours to the
first « prendre », how many ended « sans-suite ».

Anonymous by construction: it reads only the department, the needs and the dates.
"""

from __future__ import annotations

import csv
import io
import json
import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from form_service.dossiers.model import Dossier, outcome_parts
from form_service.dossiers.needs import closed_untaken, held
from form_service.dossiers.outcome import answer
from form_service.dossiers.workdays import IsWorkday, add_workdays, is_workday, working_hours
from generator.content.territories import reference

COLUMNS = (
    "departement",
    "besoin",
    "demandes",
    "prises_en_charge",
    "prises_en_2_jours",
    "delai_median_heures",
    "sans_suite",
    "reponses_utile",
    "reponses_pas_aide",
    "reponses_pas_rappele",
    "aides_obtenues",
    "montant_obtenu",
)


@dataclass(frozen=True)
class Facts:
    """What the statistics need of one dossier."""

    departement: str
    besoins: tuple[str, ...]
    created: datetime
    # Per need, the first « prendre » of a recipient holding it (None: nobody took it).
    taken_at: Mapping[str, datetime | None]
    sans_suite: tuple[str, ...] = ()  # the needs closed « sans suite » untaken
    answer: str | None = None  # « Avez-vous été rappelé ? »: oui-utile, oui-inutile, non
    aides: tuple[int, ...] = ()  # one per « aide obtenue », its amount in euros (0: not said)

    def taken(self, need: str) -> datetime | None:
        return self.taken_at.get(need)

    def closed(self, need: str) -> bool:
        return need in self.sans_suite


def facts_of(dossier: Dossier) -> Facts:
    """What the statistics keep of a dossier: no name, no address, no text."""
    taken_at: dict[str, datetime | None] = {}
    for need in dossier.besoins:
        holders = {r.id for r in dossier.recipients if need in held(dossier, r)}
        times = [e.at for e in dossier.events if e.action == "prendre" and e.actor in holders]
        taken_at[need] = min(times) if times else None
    closed = closed_untaken(dossier)
    return Facts(
        dossier.departement,
        dossier.besoins,
        dossier.created,
        taken_at,
        tuple(b for b in dossier.besoins if b in closed),
        answer(dossier),
        aids_obtained(e.value or "" for e in dossier.events if e.action == "terminer"),
    )


def aids_obtained(values: Iterable[str]) -> tuple[int, ...]:
    """The aids obtained of a dossier's « terminer » events, each with its amount (0 when
    not said)."""
    out = []
    for value in values:
        issue, _, montant = outcome_parts(value)
        if issue == "aide-obtenue":
            out.append(int(montant) if montant and montant.isdigit() else 0)
    return tuple(out)


@dataclass(frozen=True)
class Line:
    departement: str  # a department's code, or a region's (`--par region`)
    besoin: str
    demandes: int
    prises_en_charge: int
    prises_en_2_jours: int
    delai_median_heures: float | None
    sans_suite: int
    reponses_utile: int = 0
    reponses_pas_aide: int = 0
    reponses_pas_rappele: int = 0
    aides_obtenues: int = 0
    montant_obtenu: int = 0


def region_of(departement: str) -> str:
    found = reference().departments.get(departement)
    return found.region if found else departement


def lines(
    dossiers: Iterable[Facts],
    since: datetime | None = None,
    workday: IsWorkday = is_workday,
    par: str = "departement",
) -> list[Line]:
    groups: dict[tuple[str, str], list[Facts]] = {}
    for facts in dossiers:
        if since is not None and facts.created < since:
            continue
        place = region_of(facts.departement) if par == "region" else facts.departement
        for besoin in facts.besoins:
            groups.setdefault((place, besoin), []).append(facts)
    out = []
    for (departement, besoin), group in sorted(groups.items()):
        taken = [(f.created, f.taken(besoin)) for f in group]
        delays = [working_hours(c, t, workday) for c, t in taken if t is not None]
        median = round(statistics.median(delays), 1) if delays else None
        out.append(
            Line(
                departement,
                besoin,
                len(group),
                len(delays),
                sum(1 for c, t in taken if t is not None and t <= add_workdays(c, 2, workday)),
                median,
                sum(1 for f in group if f.closed(besoin)),
                sum(1 for f in group if f.answer == "oui-utile"),
                sum(1 for f in group if f.answer == "oui-inutile"),
                sum(1 for f in group if f.answer == "non"),
                sum(len(f.aides) for f in group),
                sum(sum(f.aides) for f in group),
            )
        )
    return out


def columns(par: str = "departement") -> tuple[str, ...]:
    """The header: its first column says the place's grain (`region` for `--par region`)."""
    return (par, *COLUMNS[1:])


def as_csv(rows: list[Line], par: str = "departement") -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns(par))
    for r in rows:
        writer.writerow(
            [
                r.departement,
                r.besoin,
                r.demandes,
                r.prises_en_charge,
                r.prises_en_2_jours,
                "" if r.delai_median_heures is None else r.delai_median_heures,
                r.sans_suite,
                r.reponses_utile,
                r.reponses_pas_aide,
                r.reponses_pas_rappele,
                r.aides_obtenues,
                r.montant_obtenu,
            ]
        )
    return buffer.getvalue()


def as_json(rows: list[Line], par: str = "departement") -> str:
    header = columns(par)
    return json.dumps([dict(zip(header, vars(r).values(), strict=True)) for r in rows], indent=2)
