"""`aidess dossiers stats` (docs/interfaces.md §7): per department × need, how many requests, how
many taken, the median working hours to the first « prendre », how many ended « sans-suite ».

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

from form_service.dossiers.workdays import IsWorkday, is_workday, working_hours

COLUMNS = (
    "departement",
    "besoin",
    "demandes",
    "prises_en_charge",
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
    departement: str
    besoin: str
    demandes: int
    prises_en_charge: int
    delai_median_heures: float | None
    sans_suite: int


def lines(
    dossiers: Iterable[Facts], since: datetime | None = None, workday: IsWorkday = is_workday
) -> list[Line]:
    groups: dict[tuple[str, str], list[Facts]] = {}
    for facts in dossiers:
        if since is not None and facts.created < since:
            continue
        for besoin in facts.besoins:
            groups.setdefault((facts.departement, besoin), []).append(facts)
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
                "" if r.delai_median_heures is None else r.delai_median_heures,
                r.sans_suite,
            ]
        )
    return buffer.getvalue()


def as_json(rows: list[Line]) -> str:
    return json.dumps([dict(zip(COLUMNS, vars(r).values(), strict=True)) for r in rows], indent=2)
