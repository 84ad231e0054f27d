"""Open aids matching a request's profile, for the acknowledgment email."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from form_service.dispatch import Profile
from generator import urls
from generator.catalog import Record
from generator.model import Aide
from generator.status import status
from generator.territories import matches_department
from generator.vocabularies import TOUS, effectif_buckets

OPEN = ("ouverte", "cloture-proche")


@dataclass(frozen=True)
class Match:
    slug: str
    titre: str
    url: str  # absolute
    cloture: date | None


def search_url(site_url: str, profile: Profile) -> str:
    """The site's search with the request's profile as filters (the facet names of
    generator/home.py)."""
    return site_url + urls.search(
        {
            "departement": [profile.departement],
            "structure": [profile.forme],
            "secteur": [profile.secteur],
            "besoin": list(profile.besoins),
        }
    )


def matching(
    aides: Mapping[str, Record[Aide]], profile: Profile, today: date, site_url: str, limit: int = 5
) -> list[Match]:
    """Open aids for this profile: the aid the form came from first, then most shared needs,
    nearest deadline, title."""
    found: list[tuple[tuple[bool, int, date, str, str], Match]] = []
    wanted = set(profile.besoins)
    for slug, record in aides.items():
        aide = record.data
        shared = wanted & set(aide.besoins)
        if (
            status(aide.ouverture, aide.cloture, today) not in OPEN
            or not shared
            or not matches_department(aide.territoires, aide.exclusions, profile.departement)
            or profile.forme not in aide.structures
            or not (TOUS in aide.secteurs or profile.secteur in aide.secteurs)
            or (profile.etape and aide.etapes and profile.etape not in aide.etapes)
            or profile.effectif not in effectif_buckets(aide.effectif_max)
        ):
            continue
        key = (slug != profile.aide, -len(shared), aide.cloture or date.max, aide.titre, slug)
        found.append((key, Match(slug, aide.titre, site_url + urls.aide(slug), aide.cloture)))
    found.sort(key=lambda item: item[0])
    return [match for _, match in found[:limit]]
