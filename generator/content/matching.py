"""How an item's area matches a place (docs/interfaces.md §2, « matching is two-way »), as
pure functions on territory keys (generator/content/territories.py):
- it *covers* the place: the place is inside one of its territories and inside none of its
  exclusions (`covers_commune`, `covers_department`, `covers_region`). Exclusions smaller than
  the place leave it covered « sauf … » (`territories.describe` says so);
- it is *inside* the place: it does not cover it, but some of its territories (an EPCI, a
  commune, a department of a region) lie in it (`inside_department`, `inside_region`), and
  a listing marks it with its place (« Roubaix seulement »).
`covered_departments` and `covered_regions` are the union of both, « at least in part »;
`whole_departments` the departments covered entirely.
"""

from __future__ import annotations

from collections.abc import Iterable

from generator.content.territories import (
    NATIONAL,
    Level,
    _department_keys,
    _whole_departments,
    commune_keys,
    departments_of,
    is_valid,
    level,
    reference,
)


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
    for grain, key in (
        (Level.DEPARTMENT, dep.key),
        (Level.REGION, f"REG-{dep.region}"),
        (Level.NATIONAL, NATIONAL),
    ):
        if key in territoires:
            return grain, key
    return None
