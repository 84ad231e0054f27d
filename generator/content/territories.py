"""Territory reference (COG) and the coverage rules of PRODUCT.md §2, as pure functions."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from enum import IntEnum
from functools import cache
from importlib import resources

NATIONAL = "FR"


class Level(IntEnum):
    """How specific a territory is; higher is more specific (used to rank networks)."""

    NATIONAL = 1
    REGION = 2
    DEPARTMENT = 3


@dataclass(frozen=True, slots=True)
class Region:
    code: str  # COG code, e.g. "32"
    nom: str

    @property
    def key(self) -> str:
        return f"REG-{self.code}"


@dataclass(frozen=True, slots=True)
class Department:
    code: str  # COG code, e.g. "59", "2A", "971"
    nom: str
    region: str  # COG code of its region
    phone_region: str  # ISO 3166 code phonenumbers expects (overseas: GP, RE…)

    @property
    def key(self) -> str:
        return f"DEP-{self.code}"


@dataclass(frozen=True, slots=True)
class Reference:
    regions: dict[str, Region]
    departments: dict[str, Department]

    def departments_of_region(self, region: str) -> list[Department]:
        return [d for d in self.departments.values() if d.region == region]

    def name(self, key: str) -> str:
        """French name of a territory key, e.g. "DEP-59" → "Nord (59)"."""
        kind, _, code = key.partition("-")
        if key == NATIONAL:
            return "France entière"
        if kind == "REG":
            return self.regions[code].nom
        return f"{self.departments[code].nom} ({code})"


@cache
def reference() -> Reference:
    """The 18 regions and 101 departments shipped in generator/content/data/territoires.json."""
    raw = json.loads(
        resources.files("generator.content").joinpath("data/territoires.json").read_text()
    )
    regions = {r["code"]: Region(r["code"], r["nom"]) for r in raw["regions"]}
    departments = {
        d["code"]: Department(d["code"], d["nom"], d["region"], d.get("indicatif_pays", "FR"))
        for d in raw["departements"]
    }
    return Reference(regions, departments)


def is_valid(key: str) -> bool:
    """True for FR, REG-<code> and DEP-<code> naming a real territory."""
    ref = reference()
    kind, _, code = key.partition("-")
    if key == NATIONAL:
        return True
    if kind == "REG":
        return code in ref.regions
    if kind == "DEP":
        return code in ref.departments
    return False


def _expand(key: str) -> frozenset[str]:
    """Department codes inside one territory key."""
    ref = reference()
    kind, _, code = key.partition("-")
    if key == NATIONAL:
        return frozenset(ref.departments)
    if kind == "REG":
        return frozenset(d.code for d in ref.departments_of_region(code))
    if kind == "DEP" and code in ref.departments:
        return frozenset({code})
    return frozenset()


def covered_departments(
    territoires: Iterable[str], exclusions: Iterable[str] = ()
) -> frozenset[str]:
    """Department codes an item covers: its territories, minus its exclusions."""
    covered: set[str] = set()
    for key in territoires:
        covered |= _expand(key)
    for key in exclusions:
        covered -= _expand(key)
    return frozenset(covered)


def covered_regions(territoires: Iterable[str], exclusions: Iterable[str] = ()) -> frozenset[str]:
    """Region codes an item covers at least in part (filtering by region is two-way)."""
    ref = reference()
    return frozenset(
        ref.departments[d].region for d in covered_departments(territoires, exclusions)
    )


def matches_department(
    territoires: Iterable[str], exclusions: Iterable[str], departement: str
) -> bool:
    return departement in covered_departments(territoires, exclusions)


def matches_region(territoires: Iterable[str], exclusions: Iterable[str], region: str) -> bool:
    """Items covering the region, or covering one of its departments."""
    return region in covered_regions(territoires, exclusions)


def match_level(
    territoires: Iterable[str], exclusions: Iterable[str], departement: str
) -> tuple[Level, str] | None:
    """The most specific of an item's territories that contains the department, or None.

    Returns the level and the territory key that matched, so callers can explain it.
    """
    territoires = list(territoires)
    if not matches_department(territoires, exclusions, departement):
        return None
    ref = reference()
    dep = ref.departments[departement]
    for level, key in (
        (Level.DEPARTMENT, dep.key),
        (Level.REGION, f"REG-{dep.region}"),
        (Level.NATIONAL, NATIONAL),
    ):
        if key in territoires:
            return level, key
    return None


def describe(territoires: Iterable[str], exclusions: Iterable[str] = ()) -> str:
    """French sentence for an item's area, e.g. "Bretagne, Nord (59), sauf Finistère (29)"."""
    ref = reference()
    text = ", ".join(ref.name(k) for k in territoires if is_valid(k))
    excluded = [ref.name(k) for k in exclusions if is_valid(k)]
    if excluded:
        text += ", sauf " + ", ".join(excluded)
    return text
