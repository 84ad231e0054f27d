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
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

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
)


@dataclass(frozen=True)
class Facts:
    """What the statistics need of one dossier."""

    departement: str
    besoins: tuple[str, ...]
    created: datetime
    first_taken: datetime | None
    sans_suite: bool


@dataclass(frozen=True)
class Line:
    departement: str  # a department's code, or a region's (`--par region`)
    besoin: str
    demandes: int
    prises_en_charge: int
    prises_en_2_jours: int
    delai_median_heures: float | None
    sans_suite: int


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
        delays = [
            working_hours(f.created, f.first_taken, workday)
            for f in group
            if f.first_taken is not None
        ]
        median = round(statistics.median(delays), 1) if delays else None
        out.append(
            Line(
                departement,
                besoin,
                len(group),
                len(delays),
                sum(
                    1
                    for f in group
                    if f.first_taken is not None
                    and f.first_taken <= add_workdays(f.created, 2, workday)
                ),
                median,
                sum(1 for f in group if f.sans_suite),
            )
        )
    return out


def as_csv(rows: list[Line]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
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
            ]
        )
    return buffer.getvalue()


def as_json(rows: list[Line]) -> str:
    return json.dumps([dict(zip(COLUMNS, vars(r).values(), strict=True)) for r in rows], indent=2)
