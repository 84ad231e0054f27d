"""Coverage of the pilot departments: for every department × forme × effectif × need, does
routing (docs/interfaces.md §3) send the request to a network that takes that need? The real gaps
are
listed, with their reason, in tests/data/known_coverage_gaps.json — never silently."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Mapping
from datetime import date
from functools import cache
from pathlib import Path

from form_service.requests.dispatch import Profile, route
from generator.content.catalog import load
from generator.content.model import Reseau
from generator.content.vocabularies import BESOINS, EFFECTIFS, STRUCTURES
from tests.conftest import REAL_CONTENT
from tests.form_service.form_support import write_content

PILOT_DEPARTMENTS = ("02", "59", "60", "62", "80", "22", "29", "35", "56")
KNOWN = Path(__file__).resolve().parents[1] / "data" / "known_coverage_gaps.json"
SECTEUR = "autre"  # a generalist request: networks for `tous` sectors must take it

Combo = tuple[str, str, str, str]  # departement, forme, effectif, besoin


def gaps(reseaux: Mapping[str, Reseau], departements: tuple[str, ...]) -> set[Combo]:
    found = set()
    for dep in departements:
        for forme in STRUCTURES:
            for effectif in EFFECTIFS:
                for besoin in BESOINS:
                    routing = route(Profile(dep, forme, effectif, SECTEUR, (besoin,)), reseaux)
                    if routing.fallback or besoin in routing.uncovered:
                        found.add((dep, forme, effectif, besoin))
    return found


def known_gaps() -> dict[Combo, str]:
    def values(rule: object, every: tuple[str, ...]) -> tuple[str, ...]:
        return every if rule == "*" else tuple(rule)  # type: ignore[arg-type]

    listed: dict[Combo, str] = {}
    for entry in json.loads(KNOWN.read_text(encoding="utf-8"))["gaps"]:
        assert entry["raison"].strip(), entry
        for dep in values(entry["departements"], PILOT_DEPARTMENTS):
            for forme in values(entry["formes"], tuple(STRUCTURES)):
                for effectif in values(entry["effectifs"], tuple(EFFECTIFS)):
                    listed[(dep, forme, effectif, entry["besoin"])] = entry["raison"]
    return listed


def summary(combos: set[Combo]) -> str:
    """One line per need and department list: what to add, readable by an editor."""
    grouped: dict[tuple[str, str], set[str]] = defaultdict(set)
    for dep, forme, effectif, besoin in combos:
        grouped[(besoin, f"{forme} {effectif}")].add(dep)
    lines = [
        f"{besoin} — {who} — départements {', '.join(sorted(deps))}"
        for (besoin, who), deps in sorted(grouped.items())
    ]
    return "\n".join(lines)


@cache
def real_gaps() -> frozenset[Combo]:
    catalog, _ = load(REAL_CONTENT, date.today())
    return frozenset(gaps({s: r.data for s, r in catalog.reseaux.items()}, PILOT_DEPARTMENTS))


def test_no_unlisted_gap() -> None:
    new = set(real_gaps()) - set(known_gaps())
    assert not new, (
        "Demandes que personne ne recevrait (ajoutez un réseau, ou listez le manque avec sa "
        f"raison dans {KNOWN.name}) :\n{summary(new)}"
    )


def test_listed_gaps_are_still_gaps() -> None:
    covered = set(known_gaps()) - set(real_gaps())
    assert not covered, f"Désormais couverts : retirez-les de {KNOWN.name} :\n{summary(covered)}"


def test_gap_finder_sees_forme_and_effectif(tmp_path: Path) -> None:
    """The small tree's DLA takes employers only: a volunteer-only association is a gap,
    a 1-3 one is not; a mutuelle is refused by France Active, served by the DLA."""
    catalog, _ = load(write_content(tmp_path / "content"), date.today())
    found = gaps({s: r.data for s, r in catalog.reseaux.items()}, ("59",))
    assert ("59", "association", "0", "emploi") in found
    assert ("59", "association", "1-3", "emploi") not in found
    assert ("59", "mutuelle", "1-3", "tresorerie") in found
    assert ("59", "association", "1-3", "tresorerie") not in found
