"""Territory reference (COG) of docs/interfaces.md §2: codes, names, what lies in what.

Regions and departments (data/territoires.json) load at first use; the 34,875 communes and
1,255 EPCI (data/communes.json.gz, generator/content/data/README.md) only when a `COM-` or
`EPCI-` code is met, so an item coded FR, REG- or DEP- never pays for them.

How an item's area matches a place is in generator/content/matching.py.
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


def describe(territoires: Iterable[str], exclusions: Iterable[str] = ()) -> str:
    """French sentence for an item's area, e.g. "Bretagne, Nord (59), sauf Finistère (29)"."""
    ref = reference()
    text = ", ".join(ref.name(k) for k in territoires if is_valid(k))
    excluded = [ref.name(k) for k in exclusions if is_valid(k)]
    if excluded:
        text += ", sauf " + ", ".join(excluded)
    return text
