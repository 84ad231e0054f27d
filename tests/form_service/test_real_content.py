"""Every pilot department × every need reaches at least one network in the real content."""

from __future__ import annotations

from datetime import date

import pytest

from form_service.dispatch import Profile, route
from generator.catalog import load
from generator.issues import errors
from generator.vocabularies import BESOINS
from tests.conftest import REAL_CONTENT

PILOTS = ("02", "59", "60", "62", "80", "22", "29", "35", "56")


@pytest.fixture(scope="module")
def reseaux() -> dict[str, object]:
    if not any((REAL_CONTENT / "reseaux").glob("*.md")):
        pytest.fail("content/reseaux is empty: the real content has not landed")
    catalog, issues = load(REAL_CONTENT, date.today())
    assert not errors(issues)
    return {slug: r.data for slug, r in catalog.reseaux.items()}


@pytest.mark.parametrize("besoin", list(BESOINS))
@pytest.mark.parametrize("departement", PILOTS)
def test_pilot_routes_somewhere(reseaux: dict[str, object], departement: str, besoin: str) -> None:
    profile = Profile(departement, "association", "1-3", "autre", (besoin,))
    routing = route(profile, reseaux)  # type: ignore[arg-type]
    assert not routing.fallback, routing.fallback_reason
