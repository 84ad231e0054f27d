"""What the listing pages show: open aids and networks per territory (the no-JavaScript path),
and the facet counts of the home page."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from generator.enrich import AideEntry, ReseauEntry, Site
from generator.vocabularies import BESOINS

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
    """Every filter value of one aid, as indexed by Pagefind (PRODUCT.md §2 semantics)."""
    aide = entry.data
    return {
        "region": entry.regions,
        "departement": entry.departements,
        "secteur": entry.secteurs,
        "besoin": tuple(aide.besoins),
        "structure": tuple(aide.structures),
        "effectif": entry.effectifs,
        "etape": entry.etapes,
        "nature": tuple(aide.natures),
        "statut": (entry.statut,),
    }


def facet_counts(site: Site, *, include_closed: bool = False) -> dict[str, Counter[str]]:
    """How many aids carry each facet value (closed aids left out unless asked for)."""
    counts: dict[str, Counter[str]] = {name: Counter() for name in FACETS}
    for entry in site.aides.values():
        if not include_closed and not entry.open:
            counts["statut"][entry.statut] += 1
            continue
        for name, values in facet_values(entry).items():
            counts[name].update(values)
    return counts


@dataclass
class Listing:
    """One territory page: its open aids grouped by need, and the networks covering it."""

    by_besoin: dict[str, list[AideEntry]] = field(default_factory=dict)
    reseaux: list[ReseauEntry] = field(default_factory=list)
    count: int = 0


def territory_listings(site: Site) -> tuple[dict[str, Listing], dict[str, Listing]]:
    """Listings per department code and per region code, in one pass over the catalog."""
    deps: dict[str, Listing] = defaultdict(Listing)
    regs: dict[str, Listing] = defaultdict(Listing)
    for entry in site.aides.values():  # already sorted by title
        if not entry.open:
            continue
        for key, table in ((entry.departements, deps), (entry.regions, regs)):
            for code in key:
                listing = table[code]
                listing.count += 1
                for besoin in entry.data.besoins:
                    listing.by_besoin.setdefault(besoin, []).append(entry)
    for reseau in site.reseaux.values():
        for code in reseau.departements:
            deps[code].reseaux.append(reseau)
        for code in reseau.regions:
            regs[code].reseaux.append(reseau)
    for table in (deps, regs):
        for listing in table.values():
            listing.by_besoin = {b: listing.by_besoin[b] for b in BESOINS if b in listing.by_besoin}
    return dict(deps), dict(regs)
