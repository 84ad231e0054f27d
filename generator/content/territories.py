"""Territory reference (COG) and the coverage rules of docs/interfaces.md §2, as pure functions.

Regions and departments (data/territoires.json) load at first use; the 34,875 communes and
1,255 EPCI (data/communes.json.gz, generator/content/data/README.md) only when a `COM-` or
`EPCI-` code is met, so an item coded FR, REG- or DEP- never pays for them.

Two relations between an item's area and a place (PRODUCT §2, « matching is two-way »):
- it *covers* the place: the place is inside one of its territories and inside none of its
  exclusions (`covers_commune`, `covers_department`, `covers_region`). Exclusions smaller than
  the place leave it covered « sauf … » (`describe` says so);
- it is *inside* the place: it does not cover it, but some of its territories (an EPCI, a
  commune, a department of a region) lie in it (`inside_department`, `inside_region`), and
  a listing marks it with its place (« Roubaix seulement »).
`covered_departments` and `covered_regions` are the union of both, « at least in part »;
`whole_departments` the departments covered entirely.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterable
from dataclasses import dataclass
from enum import IntEnum
from functools import cache
from importlib import resources

NATIONAL = "FR"

# Where data/communes.json.gz comes from (generator/content/refresh_territories.py writes the
# same dict into the file; a test checks they agree): shown without loading the communes.
SOURCE = {
    "paquet": "@etalab/decoupage-administratif",
    "version": "6.0.0",
    "date": "2026-03-09",
    "licence": "Licence Ouverte 2.0 (Etalab)",
    "origine": "Insee (Code officiel géographique), DGCL (EPCI à fiscalité propre), "
    "La Poste (codes postaux)",
}


class Level(IntEnum):
    """How specific a territory is; higher is more specific (used to rank networks)."""

    NATIONAL = 1
    REGION = 2
    DEPARTMENT = 3
    EPCI = 4
    COMMUNE = 5


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
class Commune:
    code: str  # INSEE code, e.g. "59512"
    nom: str
    departement: str  # COG code of its department
    epci: str | None  # SIREN of its EPCI; None for the four islands outside any
    codes_postaux: tuple[str, ...]

    @property
    def key(self) -> str:
        return f"COM-{self.code}"


@dataclass(frozen=True, slots=True)
class Epci:
    siren: str  # e.g. "200093201"
    nom: str
    nature: str  # CC, CA, CU, METRO, MET69 (the DGCL's abbreviations)
    departements: tuple[str, ...]  # of its members, in COG order: an EPCI may span several
    communes: tuple[str, ...]  # INSEE codes of its members

    @property
    def key(self) -> str:
        return f"EPCI-{self.siren}"


@dataclass(frozen=True, slots=True)
class Former:
    """A code that is not a commune any more, or not one at all: an arrondissement municipal
    of Paris, Lyon or Marseille, or a commune déléguée or associée (a commune merged into a
    commune nouvelle). Kept for suggestions only: « COM-75056 (Paris) » for « COM-75111 »."""

    code: str
    nom: str
    commune: str  # INSEE code of the commune it belongs to
    kind: str  # arrondissement-municipal, commune-deleguee, commune-associee


@dataclass(frozen=True, slots=True)
class Communes:
    communes: dict[str, Commune]
    epcis: dict[str, Epci]
    former: dict[str, Former]
    source: dict[str, str]

    def by_postcode(self, postcode: str) -> list[Commune]:
        return [c for c in self.communes.values() if postcode in c.codes_postaux]


@dataclass(frozen=True, slots=True)
class Reference:
    regions: dict[str, Region]
    departments: dict[str, Department]

    def departments_of_region(self, region: str) -> list[Department]:
        return [d for d in self.departments.values() if d.region == region]

    def name(self, key: str) -> str:
        """French name of a territory key, e.g. "DEP-59" → "Nord (59)", "COM-59512" →
        "Roubaix", "EPCI-200093201" → "Métropole Européenne de Lille"."""
        kind, _, code = key.partition("-")
        if key == NATIONAL:
            return "France entière"
        if kind == "REG":
            return self.regions[code].nom
        if kind == "EPCI":
            return communes().epcis[code].nom
        if kind == "COM":
            return communes().communes[code].nom
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


@cache
def communes() -> Communes:
    """The communes and EPCI of data/communes.json.gz (read once, on first use)."""
    raw = json.loads(
        gzip.decompress(
            resources.files("generator.content").joinpath("data/communes.json.gz").read_bytes()
        )
    )
    order = {code: index for index, code in enumerate(reference().departments)}
    rows = {
        code: Commune(code, nom, dep, epci, tuple(postcodes))
        for code, nom, dep, epci, postcodes in raw["communes"]
    }
    members: dict[str, list[Commune]] = {}
    for commune in rows.values():
        if commune.epci is not None:
            members.setdefault(commune.epci, []).append(commune)
    epcis = {
        siren: Epci(
            siren,
            nom,
            nature,
            tuple(sorted({c.departement for c in members.get(siren, [])}, key=order.__getitem__)),
            tuple(c.code for c in members.get(siren, [])),
        )
        for siren, nom, nature in raw["epci"]
    }
    former = {
        code: Former(code, nom, commune, kind) for code, nom, commune, kind in raw["anciennes"]
    }
    return Communes(rows, epcis, former, raw["source"])


def is_valid(key: str) -> bool:
    """True for FR, REG-<code>, DEP-<code>, EPCI-<SIREN> and COM-<INSEE> naming a real
    territory (the communes are read only for the last two)."""
    ref = reference()
    kind, _, code = key.partition("-")
    if key == NATIONAL:
        return True
    if kind == "REG":
        return code in ref.regions
    if kind == "DEP":
        return code in ref.departments
    if kind == "EPCI":
        return code in communes().epcis
    if kind == "COM":
        return code in communes().communes
    return False


def level(key: str) -> Level:
    """The grain of a territory key: commune > EPCI > department > region > FR."""
    if key == NATIONAL:
        return Level.NATIONAL
    return {
        "REG": Level.REGION,
        "DEP": Level.DEPARTMENT,
        "EPCI": Level.EPCI,
        "COM": Level.COMMUNE,
    }[key.partition("-")[0]]


def departments_of(key: str) -> tuple[str, ...]:
    """Department codes a territory lies in, wholly or in part, in COG order: all of them for
    FR, a region's, one for a department or a commune, one or more for an EPCI; () for an
    unknown code."""
    ref = reference()
    kind, _, code = key.partition("-")
    if key == NATIONAL:
        return tuple(ref.departments)
    if kind == "REG":
        return tuple(d.code for d in ref.departments_of_region(code))
    if kind == "DEP":
        return (code,) if code in ref.departments else ()
    if kind in ("EPCI", "COM") and is_valid(key):
        if kind == "EPCI":
            return communes().epcis[code].departements
        return (communes().communes[code].departement,)
    return ()


def _whole_departments(key: str) -> tuple[str, ...]:
    """Department codes a territory covers entirely (none for an EPCI or a commune)."""
    if key != NATIONAL and key.partition("-")[0] in ("EPCI", "COM"):
        return ()
    return departments_of(key)


def commune_keys(insee: str) -> tuple[str, ...]:
    """The territory keys covering a commune, widest first: FR, its region, its department,
    its EPCI (when it has one), itself. () for an unknown code."""
    commune = communes().communes.get(insee)
    if commune is None:
        return ()
    dep = reference().departments[commune.departement]
    keys = [NATIONAL, f"REG-{dep.region}", dep.key]
    if commune.epci is not None:
        keys.append(f"EPCI-{commune.epci}")
    return (*keys, commune.key)


def _department_keys(departement: str) -> tuple[str, ...]:
    dep = reference().departments[departement]
    return (NATIONAL, f"REG-{dep.region}", dep.key)


def contains(outer: str, inner: str) -> bool:
    """True when territory `inner` lies wholly inside territory `outer` (or is it)."""
    if outer == inner:
        return is_valid(outer)
    kind, _, code = inner.partition("-")
    if kind == "COM":
        return outer in commune_keys(code)
    if outer.partition("-")[0] in ("EPCI", "COM"):
        return False  # nothing but itself and its communes lies inside an EPCI or a commune
    inside = departments_of(inner)
    return bool(inside) and set(inside) <= set(_whole_departments(outer))


def overlaps(first: str, second: str) -> bool:
    """True when two territories share at least one commune."""
    if contains(first, second) or contains(second, first):
        return True
    kinds = {first.partition("-")[0], second.partition("-")[0]}
    if kinds & {"COM"} or kinds == {"EPCI"}:
        return False  # a commune overlaps only what contains it; two EPCI never overlap
    return bool(set(departments_of(first)) & set(departments_of(second)))


def remaining(territoires: Iterable[str], exclusions: Iterable[str] = ()) -> list[str]:
    """An item's territories not wholly removed by one of its exclusions."""
    excluded = list(exclusions)
    return [key for key in territoires if not any(contains(e, key) for e in excluded)]


def covers_commune(territoires: Iterable[str], exclusions: Iterable[str], insee: str) -> bool:
    """The item applies in the commune: one of its territories is FR, the commune's region,
    department or EPCI, or the commune; none of its exclusions is."""
    return match_commune(territoires, exclusions, insee) is not None


def match_commune(
    territoires: Iterable[str], exclusions: Iterable[str], insee: str
) -> tuple[Level, str] | None:
    """The most specific of an item's territories covering the commune, or None (not
    covered, or excluded)."""
    keys = commune_keys(insee)
    if not keys or any(key in keys for key in exclusions):
        return None
    listed = set(territoires)
    for key in reversed(keys):
        if key in listed:
            return level(key), key
    return None


def covers_department(
    territoires: Iterable[str], exclusions: Iterable[str], departement: str
) -> bool:
    """The item applies in the whole department (FR, its region or itself, not excluded):
    unlike `covered_departments`, an item coded at an EPCI or a commune of it does not cover
    it. Exclusions inside the department (an EPCI, a commune) leave it covered « sauf … »."""
    if departement not in reference().departments:
        return False
    keys = _department_keys(departement)
    return any(k in keys for k in territoires) and not any(k in keys for k in exclusions)


def inside_department(
    territoires: Iterable[str], exclusions: Iterable[str], departement: str
) -> bool:
    """The item does not cover the department but applies in part of it (an EPCI or a
    commune of it): listed after the items covering it, with its place."""
    territoires, exclusions = list(territoires), list(exclusions)
    if covers_department(territoires, exclusions, departement):
        return False
    return any(
        level(key) >= Level.EPCI and departement in departments_of(key)
        for key in remaining(territoires, exclusions)
        if is_valid(key)
    )


def covers_region(territoires: Iterable[str], exclusions: Iterable[str], region: str) -> bool:
    """The item applies in the whole region: FR or the region, not excluded, or each of its
    departments covered. Exclusions inside the region leave it covered « sauf … »."""
    territoires, exclusions = list(territoires), list(exclusions)
    if region not in reference().regions:
        return False
    keys = (NATIONAL, f"REG-{region}")
    if any(k in keys for k in territoires) and not any(k in keys for k in exclusions):
        return True
    departments = reference().departments_of_region(region)
    return all(covers_department(territoires, exclusions, d.code) for d in departments)


def inside_region(territoires: Iterable[str], exclusions: Iterable[str], region: str) -> bool:
    """The item does not cover the region but applies in part of it."""
    territoires, exclusions = list(territoires), list(exclusions)
    return not covers_region(territoires, exclusions, region) and region in covered_regions(
        territoires, exclusions
    )


def places_in(territoires: Iterable[str], exclusions: Iterable[str], area: str) -> list[str]:
    """The item's territories lying inside `area` (a REG- or DEP- key) without covering it:
    what a listing shows beside an item inside the area (« Roubaix seulement »)."""
    return [
        key
        for key in remaining(territoires, exclusions)
        if key != area and is_valid(key) and overlaps(area, key) and not contains(key, area)
    ]


def covered_departments(
    territoires: Iterable[str], exclusions: Iterable[str] = ()
) -> frozenset[str]:
    """Department codes an item covers at least in part: those of its territories (an EPCI
    or a commune gives its department(s)), minus those its exclusions remove entirely (a
    department, a region, FR; an excluded commune or EPCI leaves its department in).

    Two-way, as a department filter lists items: covering it or inside it. Whoever asks
    « does the item apply in all of D? » (routing a request, an aid suggested to a requester)
    wants `whole_departments` / `covers_department` (or `covers_commune` when the commune is
    known) instead."""
    covered: set[str] = set()
    excluded = list(exclusions)
    for key in remaining(territoires, excluded):
        covered.update(departments_of(key))
    for key in excluded:
        covered.difference_update(_whole_departments(key))
    return frozenset(covered)


def whole_departments(territoires: Iterable[str], exclusions: Iterable[str] = ()) -> frozenset[str]:
    """Department codes an item covers entirely (`covers_department` for each): the drop-in
    for `covered_departments` where a caller asks « does it apply in all of D? », e.g. to
    list the networks that receive a department's requests."""
    territoires, exclusions = list(territoires), list(exclusions)
    candidates: set[str] = set()
    for key in territoires:
        candidates.update(_whole_departments(key))
    return frozenset(d for d in candidates if covers_department(territoires, exclusions, d))


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
    """Items covering the region, or applying in part of it (a department, an EPCI…)."""
    return region in covered_regions(territoires, exclusions)


def match_level(
    territoires: Iterable[str], exclusions: Iterable[str], departement: str
) -> tuple[Level, str] | None:
    """The most specific of an item's territories that covers the whole department (FR, its
    region, itself), or None: an item coded at an EPCI or a commune of the department does not
    match (`match_commune` ranks those once the commune is known).

    Returns the level and the territory key that matched, so callers can explain it.
    """
    territoires, exclusions = list(territoires), list(exclusions)
    if not covers_department(territoires, exclusions, departement):
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
