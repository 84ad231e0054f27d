"""Open aids to suggest on a closed aid's page: same needs, a territory in common."""

from __future__ import annotations

from generator.enrich import AideEntry, Site

LIMIT = 5
SCAN = 200


def similar_aids(site: Site, limit: int = LIMIT, scan: int = SCAN) -> dict[str, list[AideEntry]]:
    """For each closed aid, up to `limit` open aids sharing one of its needs and at least one
    department: first those covering all of its territory (a national aid gets national
    ones), then the others, each in title order. Open aids are indexed by need once and at
    most `scan` of them are looked at per need, so this stays cheap at 10,000 aids."""
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
        whole: dict[str, AideEntry] = {}
        part: dict[str, AideEntry] = {}
        for besoin in entry.data.besoins:
            for other in by_need.get(besoin, [])[:scan]:
                theirs = places[other.slug]
                if mine <= theirs:
                    whole.setdefault(other.slug, other)
                elif theirs & mine:
                    part.setdefault(other.slug, other)
        chosen = list(whole.values()) + [e for s, e in part.items() if s not in whole]
        found[entry.slug] = chosen[:limit]
    return found
