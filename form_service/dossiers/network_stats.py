"""`aidess dossiers stats --par reseau` (docs/interfaces.md §7): per network, for the
coordinators — dossiers received, taken, declined, the refusal rate, the share taken within 2
working days of receiving it — flagging a network whose declines pass 30 % over at least 20
dossiers, as Place des Entreprises does for its offices. Networks only: no personal data."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from dataclasses import astuple, dataclass
from datetime import datetime
from typing import Final

from form_service.dossiers.model import Dossier
from form_service.dossiers.workdays import IsWorkday, add_workdays, is_workday

FLAG_RATE: Final = 0.30  # declines beyond this share…
FLAG_MIN: Final = 20  # …over at least this many dossiers
COLUMNS: Final = (
    "reseau", "nom", "dossiers", "pris", "declines", "taux_refus", "pris_en_2_jours",
    "alerte_refus",
)  # fmt: skip


@dataclass(frozen=True)
class NetworkLine:
    reseau: str
    nom: str
    dossiers: int
    pris: int
    declines: int
    taux_refus: float  # declines / dossiers, 0–1
    pris_en_2_jours: float  # share of the dossiers it took within 2 working days, 0–1
    alerte_refus: bool


def by_network(
    dossiers: Iterable[Dossier], since: datetime | None = None, workday: IsWorkday = is_workday
) -> list[NetworkLine]:
    seen: dict[str, list[tuple[bool, bool, bool]]] = {}  # slug -> (took, declined, fast)
    names: dict[str, str] = {}
    for d in dossiers:
        if since is not None and d.created < since:
            continue
        for r in d.recipients:
            if r.slug is None:
                continue
            mine = [e for e in d.events if e.actor == r.id]
            took = next((e.at for e in mine if e.action == "prendre"), None)
            declined = any(e.action == "decliner" for e in mine)
            fast = took is not None and took <= add_workdays(r.added, 2, workday)
            seen.setdefault(r.slug, []).append((took is not None, declined, fast))
            names[r.slug] = r.nom
    out = []
    for slug, facts in sorted(seen.items()):
        n = len(facts)
        declines = sum(1 for _, declined, _ in facts if declined)
        rate = declines / n
        out.append(
            NetworkLine(
                slug,
                names[slug],
                n,
                sum(1 for took, _, _ in facts if took),
                declines,
                round(rate, 3),
                round(sum(1 for _, _, fast in facts if fast) / n, 3),
                n >= FLAG_MIN and rate > FLAG_RATE,
            )
        )
    return out


def as_csv(rows: list[NetworkLine]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for r in rows:
        writer.writerow(["oui" if v is True else "non" if v is False else v for v in astuple(r)])
    return buffer.getvalue()


def as_json(rows: list[NetworkLine]) -> str:
    return json.dumps(
        [dict(zip(COLUMNS, astuple(r), strict=True)) for r in rows], indent=2, ensure_ascii=False
    )
