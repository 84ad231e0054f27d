"""Open aids matching a request's profile, for the acknowledgment email."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from form_service.requests.dispatch import Profile
from generator.content import urls
from generator.content.catalog import Record
from generator.content.matching import covers_commune, whole_departments
from generator.content.model import Aide
from generator.content.rank_features import features
from generator.content.ranking import ELIGIBLE, Demand, sort_key, standing
from generator.content.status import status
from generator.content.territories import commune_keys

OPEN = ("ouverte", "cloture-proche")


@dataclass(frozen=True)
class Match:
    slug: str
    titre: str
    url: str  # absolute
    cloture: date | None


def search_url(site_url: str, profile: Profile) -> str:
    """The site's search with the request's profile as filters: the form's answers under the
    search's names (urls.SEARCH_TO_FORM)."""
    answers: dict[str, list[str]] = {
        "departement": [profile.departement],
        "commune": [profile.commune] if profile.commune else [],
        "forme": [profile.forme],
        "effectif": [profile.effectif],
        "secteur": [profile.secteur],
        "besoins": list(profile.besoins),
    }
    return site_url + urls.search(
        {
            search: answers[field]
            for search, field in urls.SEARCH_TO_FORM.items()
            if field in answers
        }
    )


@dataclass(frozen=True)
class _Entry:
    """What matching checks of one aid, precomputed."""

    slug: str
    titre: str
    besoins: frozenset[str]
    territoires: tuple[str, ...]
    exclusions: tuple[str, ...]
    departments: frozenset[str]  # covered whole: an aid of a city is not a department's
    etapes: frozenset[str]  # empty: every step
    ouverture: date | None
    cloture: date | None
    recurrence: str
    features: dict[str, Any]  # what pertinence reads (generator/content/rank_features.py)


class AidIndex:
    """The aids by need, with their territories expanded once (the content does not change
    while the service runs): a profile only looks at the aids sharing one of its needs."""

    def __init__(self, aides: Mapping[str, Record[Aide]]) -> None:
        self.by_need: dict[str, list[_Entry]] = {}
        covered: dict[tuple[tuple[str, ...], tuple[str, ...]], frozenset[str]] = {}
        for slug, record in aides.items():
            aide = record.data
            area = (tuple(aide.territoires), tuple(aide.exclusions))
            if area not in covered:  # few distinct areas: expand each once
                covered[area] = whole_departments(*area)
            entry = _Entry(
                slug=slug,
                titre=aide.titre,
                besoins=frozenset(aide.besoins),
                territoires=area[0],
                exclusions=area[1],
                departments=covered[area],
                etapes=frozenset(aide.etapes or ()),
                ouverture=aide.ouverture,
                cloture=aide.cloture,
                recurrence=aide.recurrence,
                features=features(slug, aide, ""),  # its status is the day's: set when matched
            )
            for besoin in entry.besoins:
                self.by_need.setdefault(besoin, []).append(entry)

    def matching(self, profile: Profile, today: date, site_url: str, limit: int = 5) -> list[Match]:
        """Open aids for this profile: the aid the form came from first, then in pertinence
        order (generator/content/ranking.py, as the site's search ranks them). Its place is
        its commune when it gave one (the aids of its city and EPCI too), else its department
        (the aids covering all of it). Aids it cannot get are left out, as the site's
        partition (`ranking.standing`) sets them apart."""
        found: list[tuple[tuple[Any, ...], Match]] = []
        demand = Demand(
            besoins=profile.besoins,
            secteurs=(profile.secteur,),
            structures=(profile.forme,),
            effectifs=(profile.effectif,),
            departement=profile.departement,
            commune=commune_keys(profile.commune) if profile.commune else (),
        )
        seen: set[str] = set()
        for besoin in profile.besoins:
            for aide in self.by_need.get(besoin, ()):
                if aide.slug in seen:
                    continue
                seen.add(aide.slug)
                statut = status(aide.ouverture, aide.cloture, aide.recurrence, today)
                if (
                    not self._here(aide, profile)
                    or (profile.etape and aide.etapes and profile.etape not in aide.etapes)
                    or statut not in OPEN
                ):
                    continue
                found_features = {**aide.features, "statut": statut}
                # The site's partition: a sector only the topic of an aid does not rule it out.
                if standing(found_features, demand)[0] != ELIGIBLE:
                    continue
                ranked = sort_key(found_features, demand)
                key = (aide.slug != profile.aide, *ranked)
                url = site_url + urls.aide(aide.slug)
                found.append((key, Match(aide.slug, aide.titre, url, aide.cloture)))
        found.sort(key=lambda item: item[0])
        return [match for _, match in found[:limit]]

    @staticmethod
    def _here(aide: _Entry, profile: Profile) -> bool:
        if profile.commune:
            return covers_commune(aide.territoires, aide.exclusions, profile.commune)
        return profile.departement in aide.departments
