"""The open aids of the acknowledgment (« les aides ouvertes pour votre profil »), on the
real content: a city's aid only for a request from that city, no employer-only aid for a
structure without employees."""

from __future__ import annotations

from datetime import date
from functools import cache
from pathlib import Path

import pytest

from form_service.requests.aids import AidIndex, search_url
from form_service.requests.dispatch import Profile
from generator.content.catalog import Catalog, load

TODAY = date(2026, 12, 6)
ROUBAIX_FUND = "roubaix-fonds-de-participation-des-habitants"


@cache
def _catalog() -> Catalog:
    return load(Path("content"), TODAY)[0]


def _slugs(profile: Profile) -> list[str]:
    matches = AidIndex(_catalog().aides).matching(profile, TODAY, "https://a.example", limit=50)
    return [m.slug for m in matches]


@pytest.mark.parametrize(("commune", "listed"), [
    ("59512", True),   # Roubaix
    ("59183", False),  # Dunkerque
    (None, False),     # Nord without a commune: not an aid of all of Nord
])  # fmt: skip
def test_a_city_fund_only_for_that_city(commune: str | None, listed: bool) -> None:
    profile = Profile("59", "association", "0", "culture", ("financer-projet",), "emergence",
                      commune=commune)  # fmt: skip
    assert (ROUBAIX_FUND in _slugs(profile)) is listed


def test_no_employer_only_aid_for_a_structure_without_employees() -> None:
    """Nadia: an association of Nord with volunteers only, asking about its cash flow."""
    catalog = _catalog()
    profile = Profile("59", "association", "0", "social-sante", ("tresorerie",))
    slugs = _slugs(profile)
    employer_only = [s for s in slugs if (catalog.aides[s].data.effectif_min or 0) >= 1]
    assert employer_only == []
    employers = Profile("59", "association", "1-3", "social-sante", ("tresorerie",))
    assert any((catalog.aides[s].data.effectif_min or 0) >= 1 for s in _slugs(employers))


def test_the_search_link_keeps_the_commune() -> None:
    profile = Profile("59", "association", "0", "culture", ("tresorerie",), commune="59512")
    assert "commune=59512" in search_url("https://a.example", profile)


def test_the_mail_lists_aids_in_the_sites_pertinence_order() -> None:
    """A small employer of Nord short of cash: Nord's own aids (DASESS, the emergency aid for
    employers in difficulty, and Nord Actif's contract) before the national ones, as on the
    site; the aid the form came from still leads."""
    profile = Profile("59", "association", "1-3", "social-sante", ("tresorerie",))
    slugs = _slugs(profile)
    assert set(slugs[:2]) == {"dasess-nord", "contrat-apport-associatif-nord-actif"}
    assert all("FR" in _catalog().aides[s].data.territoires for s in slugs[2:])
    came_from = Profile("59", "association", "1-3", "social-sante", ("tresorerie",),
                        aide=slugs[-1])  # fmt: skip
    assert _slugs(came_from)[0] == slugs[-1]


def test_a_city_aid_comes_first_for_that_city() -> None:
    profile = Profile("59", "association", "0", "culture", ("financer-projet",), "emergence",
                      commune="59512")  # fmt: skip
    assert _slugs(profile)[0] == ROUBAIX_FUND


def test_a_sector_that_is_only_a_topic_does_not_rule_an_aid_out() -> None:
    """As on the site (`ranking.standing`): the Caf's « espace de vie sociale » is tagged
    social and youth, topics (« associations de proximité » with a project of local life); a
    cultural association of Nord with a project gets it in its mail. A sector its pour_qui
    requires still rules an aid out: no « associations sportives… » aid for it."""
    culture = Profile("59", "association", "0", "culture", ("financer-projet",))
    slugs = _slugs(culture)
    assert "caf-espace-de-vie-sociale" in slugs
    pour_qui = [_catalog().aides[s].data.pour_qui.lower() for s in slugs]
    assert not [p for p in pour_qui if p.startswith(("associations sporti", "clubs"))]
