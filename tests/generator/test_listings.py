"""The territory pages' lists (generator/listings.py): each need's aids in pertinence order
for a visitor of that place with that need."""

from __future__ import annotations

from datetime import date

from generator.enrich import enrich
from generator.listings import territory_listings
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
