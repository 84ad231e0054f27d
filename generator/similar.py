"""Open aids to suggest on a closed aid's page: same needs, a territory in common."""

from __future__ import annotations

from generator.enrich import AideEntry, Site

LIMIT = 5


def similar_aids(site: Site, limit: int = LIMIT) -> dict[str, list[AideEntry]]:
    """For each closed aid, up to `limit` open aids sharing one of its needs (its first needs
    first) and at least one department, in title order. Open aids are indexed by need once,
    so this stays cheap at 10,000 aids."""
    by_need: dict[str, list[AideEntry]] = {}
    places: dict[str, frozenset[str]] = {}
    for entry in site.aides.values():  # by title
        if entry.open:
            places[entry.slug] = frozenset(entry.departements)
            for besoin in entry.data.besoins:
                by_need.setdefault(besoin, []).append(entry)
    found: dict[str, list[AideEntry]] = {}
    for entry in site.aides.values():
        if entry.open:
            continue
        mine = frozenset(entry.departements)
        chosen: dict[str, AideEntry] = {}
        for besoin in entry.data.besoins:
            for other in by_need.get(besoin, []):
                if len(chosen) >= limit:
                    break
                if other.slug not in chosen and places[other.slug] & mine:
                    chosen[other.slug] = other
        found[entry.slug] = list(chosen.values())
    return found
