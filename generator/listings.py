"""What the listing pages show: open aids and networks per territory (the no-JavaScript path),
and the facet counts of the home page."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from typing import Any

from generator.content.ranking import Demand, head_key, sort_key, tail_key
from generator.content.territories import NATIONAL, reference
from generator.content.vocabularies import BESOINS
from generator.enrich import AideEntry, ReseauEntry, Site

# Facet name (also the URL query name and the Pagefind filter name) → values of one aid.
FACETS: tuple[str, ...] = (
    "region",
    "departement",
    "secteur",
    "besoin",
    "structure",
    "effectif",
    "etape",
    "nature",
    "statut",
)


def facet_values(entry: AideEntry) -> dict[str, tuple[str, ...]]:
    """Every filter value of one aid, as indexed by Pagefind (docs/interfaces.md §2 semantics)."""
    return {
        "region": entry.regions,
        "departement": entry.departements,
        **profile_values(entry),
        "statut": (entry.statut,),
        **territory_filters(entry),
    }


def profile_values(entry: AideEntry) -> dict[str, tuple[str, ...]]:
    """The facets of who and what the aid is for, `secteur` to `nature`: those a territory's
    listing file carries for the browser to filter (generator/listing_files.py)."""
    aide = entry.data
    return {
        "secteur": entry.secteurs,
        "besoin": tuple(aide.besoins),
        "structure": tuple(aide.structures),
        "effectif": entry.effectifs,
        "etape": entry.etapes,
        "nature": tuple(aide.natures),
    }


def territory_filters(entry: AideEntry) -> dict[str, tuple[str, ...]]:
    """Compact territory filters the home page queries (theme/assets/aidess/moteur.js):
    the full `departement` and `region` filters list each national aid under every territory
    (the largest filter files); only the live counts read them. Department D matches
    `departement-local` D, or `national` without `departement-hors` D; regions likewise.

    A commune C matches an aid with one of the territories that cover C (`FR`, its region,
    department, EPCI, C) in its `zone` and none in its `zone-hors` (its territories and
    exclusions as written: docs/interfaces.md §2, « a commune is covered by… »)."""
    aide = entry.data
    zone = {"zone": tuple(aide.territoires), "zone-hors": tuple(aide.exclusions)}
    if not is_national(aide.territoires):
        return {"departement-local": entry.departements, "region-local": entry.regions, **zone}
    ref = reference()
    return {
        **zone,
        "national": ("oui",),
        "departement-hors": tuple(d for d in ref.departments if d not in entry.departements),
        "region-hors": tuple(r for r in ref.regions if r not in entry.regions),
    }


def facet_counts(site: Site, *, include_closed: bool = False) -> dict[str, Counter[str]]:
    """How many aids carry each facet value (closed aids left out unless asked for)."""
    counts: dict[str, Counter[str]] = {name: Counter() for name in FACETS}
    for entry in site.aides.values():
        if not include_closed and not entry.open:
            counts["statut"][entry.statut] += 1
            continue
        values = facet_values(entry)
        for name in FACETS:
            counts[name].update(values[name])
    return counts


@dataclass
class Listing:
    """One territory page: its open aids grouped by need, and the networks covering it."""

    by_besoin: dict[str, list[AideEntry]] = field(default_factory=dict)
    reseaux: list[ReseauEntry] = field(default_factory=list)
    count: int = 0  # every aid listed: open, to come, or with dates to be confirmed
    a_confirmer: int = 0  # of which recurring calls whose dates are to be confirmed

    @property
    def ouvertes(self) -> int:
        """Open or to come: never the aids whose dates are to be confirmed
        (docs/interfaces.md §1)."""
        return self.count - self.a_confirmer

    def add(self, entry: AideEntry) -> None:
        self.count += 1
        if entry.statut == "a-confirmer":
            self.a_confirmer += 1
        for besoin in entry.data.besoins:
            self.by_besoin.setdefault(besoin, []).append(entry)

    def sort_needs(self) -> None:
        self.by_besoin = {b: self.by_besoin[b] for b in BESOINS if b in self.by_besoin}


@dataclass
class Listings:
    """Every territory listing. National items are listed once, on the France pages, so the
    territory pages grow with the catalog, not with catalog × 119 territories."""

    departements: dict[str, Listing]
    regions: dict[str, Listing]
    france: Listing

    def departement(self, code: str) -> Listing:
        return self.departements.get(code) or Listing()

    def region(self, code: str) -> Listing:
        return self.regions.get(code) or Listing()


Tails = dict[tuple[int, Demand], tuple[Any, ...]]


def ranked(entries: list[AideEntry], demand: Demand, tails: Tails | None = None) -> list[AideEntry]:
    """Aids in pertinence order for a demand (generator/content/ranking.py `sort_key`).
    `tails`, shared by calls whose demands differ only by the place asked (the territories'
    listings), keeps each aid's `tail_key`, which reads no place: computed once, not once per
    territory."""
    if tails is None:
        return sorted(entries, key=lambda e: sort_key(e.features, demand))
    unplaced = replace(demand, departement="", region="", commune=())

    def key(entry: AideEntry) -> tuple[Any, ...]:
        known = (id(entry), unplaced)  # by id(): the entries are the site's own objects
        if known not in tails:
            tails[known] = tail_key(entry.features, unplaced)
        return head_key(entry.features, demand) + tails[known]

    return sorted(entries, key=key)


def _rank_needs(listing: Listing, demand: Demand, tails: Tails) -> None:
    """Each need's aids in pertinence order for a visitor of this place with this need."""
    for besoin, entries in listing.by_besoin.items():
        wanted = Demand(besoins=(besoin,), departement=demand.departement, region=demand.region)
        listing.by_besoin[besoin] = ranked(entries, wanted, tails)


def is_national(territoires: list[str]) -> bool:
    """Listed on the France pages rather than on each region and department."""
    return NATIONAL in territoires


def territory_listings(site: Site) -> Listings:
    """Listings per department, per region and for France, in one pass over the catalog;
    each need's aids in pertinence order for a visitor of that place with that need."""
    deps: dict[str, Listing] = defaultdict(Listing)
    regs: dict[str, Listing] = defaultdict(Listing)
    france = Listing()
    for entry in site.aides.values():  # already sorted by title
        if not entry.open:
            continue
        if is_national(entry.data.territoires):
            france.add(entry)
            continue
        for code in entry.departements:
            deps[code].add(entry)
        for code in entry.regions:
            regs[code].add(entry)
    for reseau in site.reseaux.values():
        if is_national(reseau.data.territoires):
            france.reseaux.append(reseau)
            continue
        for code in reseau.departements:
            deps[code].reseaux.append(reseau)
        for code in reseau.regions:
            regs[code].reseaux.append(reseau)
    for listing in (france, *deps.values(), *regs.values()):
        listing.sort_needs()
    tails: Tails = {}
    _rank_needs(france, Demand(), tails)
    for code, listing in deps.items():
        _rank_needs(listing, Demand(departement=code), tails)
    for code, listing in regs.items():
        _rank_needs(listing, Demand(region=code), tails)
    return Listings(dict(deps), dict(regs), france)
