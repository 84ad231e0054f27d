"""Enrich a validated catalog for the site: status on the build day, territory coverage,
expanded facet values and the aid ↔ network cross-links."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from generator.content import matching, territories
from generator.content.catalog import Catalog, Record
from generator.content.model import Aide, Reseau
from generator.content.rank_features import features
from generator.content.ranking import Features
from generator.content.status import status
from generator.content.synonyms import Synonyms
from generator.content.vocabularies import ETAPES, SECTEURS, TOUS, effectif_buckets


def expand_secteurs(secteurs: list[str]) -> tuple[str, ...]:
    """Filter values of a sector list: `tous` stands for every sector."""
    if TOUS in secteurs:
        return tuple(SECTEURS)
    return tuple(s for s in SECTEURS if s in secteurs)


def expand_etapes(etapes: list[str] | None) -> tuple[str, ...]:
    """Filter values of a stage list: absent means every stage."""
    if not etapes:
        return tuple(ETAPES)
    return tuple(e for e in ETAPES if e in etapes)


def _coverage(territoires: list[str], exclusions: list[str]) -> tuple[tuple[str, ...], ...]:
    ref = territories.reference()
    deps = matching.covered_departments(territoires, exclusions)
    regs = matching.covered_regions(territoires, exclusions)
    # Reference order (COG order), so pages and exports are stable.
    return (
        tuple(c for c in ref.departments if c in deps),
        tuple(c for c in ref.regions if c in regs),
    )


@dataclass(frozen=True)
class AideEntry:
    """An aid with everything the site derives from it."""

    record: Record[Aide]
    statut: str
    departements: tuple[str, ...]  # COG codes covered, after exclusions
    regions: tuple[str, ...]  # COG codes of regions covered at least in part
    secteurs: tuple[str, ...]  # `tous` expanded
    etapes: tuple[str, ...]  # absent expanded to every stage
    effectifs: tuple[str, ...]  # size buckets from effectif_max
    reseaux: tuple[str, ...]  # networks that help apply
    # What pertinence reads of it (generator/content/rank_features.py), computed once for the
    # listings, the listing files, the search index and the home page's order.
    features: Features

    @property
    def slug(self) -> str:
        return self.record.slug

    @property
    def data(self) -> Aide:
        return self.record.data

    @property
    def open(self) -> bool:
        return self.statut != "cloturee"


@dataclass(frozen=True)
class ReseauEntry:
    """A network with its coverage and the aids it helps with."""

    record: Record[Reseau]
    departements: tuple[str, ...]  # covered at least in part (a city's: its department)
    regions: tuple[str, ...]
    secteurs: tuple[str, ...]
    aides: tuple[str, ...]  # slugs of the aids listing this network, by title
    # Covered whole: the departments whose requests it takes without a commune (§3).
    entiers: tuple[str, ...] = ()

    @property
    def slug(self) -> str:
        return self.record.slug

    @property
    def data(self) -> Reseau:
        return self.record.data


@dataclass
class Site:
    """The enriched catalog, in display order (aids by title, networks by name)."""

    today: date
    aides: dict[str, AideEntry] = field(default_factory=dict)
    reseaux: dict[str, ReseauEntry] = field(default_factory=dict)
    synonymes: Synonyms = field(default_factory=Synonyms)  # content/synonymes.yml

    def aides_of(self, slugs: tuple[str, ...]) -> list[AideEntry]:
        return [self.aides[s] for s in slugs if s in self.aides]

    def reseaux_of(self, slugs: tuple[str, ...]) -> list[ReseauEntry]:
        return [self.reseaux[s] for s in slugs if s in self.reseaux]


def sort_key(text: str) -> str:
    return text.casefold()


def enrich_aide(record: Record[Aide], today: date) -> AideEntry:
    aide = record.data
    departements, regions = _coverage(aide.territoires, aide.exclusions)
    statut = status(aide.ouverture, aide.cloture, aide.recurrence, today)
    return AideEntry(
        record=record,
        statut=statut,
        departements=departements,
        regions=regions,
        secteurs=expand_secteurs(aide.secteurs),
        etapes=expand_etapes(aide.etapes),
        effectifs=tuple(effectif_buckets(aide.effectif_max, aide.effectif_min)),
        reseaux=tuple(dict.fromkeys(aide.reseaux)),
        features=features(record.slug, aide, statut),
    )


def enrich(catalog: Catalog, today: date) -> Site:
    """Derive everything the pages, the index and the exports need, once."""
    site = Site(today, synonymes=catalog.synonymes)
    records = sorted(catalog.aides.values(), key=lambda r: (sort_key(r.data.titre), r.slug))
    for record in records:
        site.aides[record.slug] = enrich_aide(record, today)
    helped: dict[str, list[str]] = defaultdict(list)
    for entry in site.aides.values():
        for slug in entry.reseaux:
            helped[slug].append(entry.slug)
    reseaux = sorted(catalog.reseaux.values(), key=lambda r: (sort_key(r.data.nom), r.slug))
    for reseau in reseaux:
        departements, regions = _coverage(reseau.data.territoires, [])
        whole = matching.whole_departments(reseau.data.territoires)  # once, not per department
        site.reseaux[reseau.slug] = ReseauEntry(
            record=reseau,
            departements=departements,
            regions=regions,
            secteurs=expand_secteurs(reseau.data.secteurs),
            aides=tuple(helped.get(reseau.slug, ())),
            entiers=tuple(d for d in departements if d in whole),
        )
    return site
