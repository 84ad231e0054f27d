"""The territory pages' lists (generator/listings.py): each need's aids in pertinence order
for a visitor of that place with that need."""

from __future__ import annotations

from datetime import date

from generator.content.ranking import Demand
from generator.enrich import enrich
from generator.listings import Tails, ranked, territory_listings
from tests.generator.test_enrich import aide, catalog


def test_a_department_lists_its_own_aids_before_its_regions_then_a_citys() -> None:
    site = enrich(
        catalog(
            {
                "a-region": aide(titre="A région", territoires=["REG-32"]),
                "b-roubaix": aide(titre="B Roubaix", territoires=["COM-59512"]),
                "c-nord": aide(titre="C Nord", territoires=["DEP-59"]),
                "d-nord-confirmer": aide(
                    titre="D Nord",
                    territoires=["DEP-59"],
                    recurrence="recurrente",
                    periode="chaque année",
                ),
            }
        ),
        date(2026, 12, 6),
    )
    listing = territory_listings(site).departement("59")
    order = [e.slug for e in listing.by_besoin["emploi"]]
    # Department, then region; « dates à confirmer » after the open ones of the same area;
    # a city's aid (part of the department only) last.
    assert order == ["c-nord", "d-nord-confirmer", "a-region", "b-roubaix"]


def test_ranking_many_places_with_shared_tails_gives_each_its_own_order() -> None:
    site = enrich(
        catalog(
            {
                # Their order turns on the need asked (each one's main need comes first).
                "a-emploi": aide(titre="A", besoins=["emploi", "tresorerie"]),
                "b-tresorerie": aide(titre="B", besoins=["tresorerie", "emploi"]),
                "nord": aide(titre="Nord", territoires=["DEP-59"], besoins=["tresorerie"]),
                "rhone": aide(titre="Rhône", territoires=["DEP-69"], secteurs=["culture"]),
                "hdf": aide(titre="Hauts-de-France", territoires=["REG-32"]),
                "roubaix": aide(titre="Roubaix", territoires=["COM-59512"]),
                "hors-nord": aide(titre="Sauf le Nord", exclusions=["DEP-59"]),
            }
        ),
        date(2026, 12, 6),
    )
    entries = list(site.aides.values())
    tails: Tails = {}
    for place in ({"departement": "59"}, {"departement": "69"}, {"region": "32"}, {}):
        for besoins in ((), ("tresorerie",), ("emploi",)):
            demand = Demand(besoins=besoins, **place)
            alone = [e.slug for e in ranked(entries, demand)]
            assert [e.slug for e in ranked(entries, demand, tails)] == alone, demand
    first = [ranked(entries, Demand(besoins=(b,)), tails)[0].slug for b in ("emploi", "tresorerie")]
    assert first == ["a-emploi", "b-tresorerie"]
