"""Pertinence: the order of aids for what a visitor asked (docs/interfaces.md §5 « Ordre »).
The reference implementation; theme/assets/aidess/classement.js is the same function for the
browser, and both pass the shared vectors of tests/data/classement.json.

It reads each aid as a `Features` mapping (generator/content/rank_features.py builds it; the
search index carries it as the `classement` meta) and the visitor's `Demand`:

1. **Eligibility is a partition, not a weight** (`standing`): 0 the profile can get it;
   1 it applies only in part of the place asked (an EPCI, a commune: « Roubaix seulement »);
   2 the profile cannot get it (structure type, size or employer condition, agreement, a
   sector its `pour_qui` makes a condition — generator/content/sector_condition.py —, place),
   with the reason. A higher partition is never above a lower one.
2. **Then the score**, compared in this order (`sort_key`): more of the asked needs met;
   more of the visitor's words in the title and summary (every result matches them all
   somewhere: Pagefind found it); the most local area (commune > EPCI > department > region >
   France; without a place, the national ones); fewer conditions the visitor did not speak to
   that rule most people out (`restrictions`, first count: only some sectors when no sector
   was asked, a required agreement when none was given); an asked need as the aid's main one
   (the first of its `besoins`, as editors list them); the asked sector named by the aid (not
   only « tous secteurs »); an asked nature (« subvention », « prêt »); fewer of the other
   unspoken conditions (second count: only some kinds of structure, only some sizes); open or
   closing soon, then « à venir », then « dates à confirmer »; the nearer deadline; the title.
   The words come before the place: what the visitor typed names what they want, and a
   national aid about it beats a local one that only mentions it in its body.

**The structure the visitor described once** (`Profile`, remembered on their device by
theme/assets/aidess/profil.js: its type, size, sector, place and agreements) completes the
demand (`with_profile`) wherever the search does not say otherwise: a ticked facet, or a word
read as one, wins; an asked department or region that holds the structure's place is narrowed
to it (a Lille association looking at Hauts-de-France still cannot get Amiens' aid). It never
filters: the aids it rules out are ranked apart, with the reason.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from generator.content.vocabularies import EFFECTIFS, STRUCTURES

Features = Mapping[str, Any]

ELIGIBLE, IN_PART, BARRED = 0, 1, 2
# Grain of an aid's area for a department or a region (rank_features.py writes them).
NATIONAL, REGION, DEPARTMENT, INSIDE, EPCI, COMMUNE = 1, 2, 3, 4, 5, 6
STATUS_RANK = {"ouverte": 0, "cloture-proche": 0, "a-venir": 1, "a-confirmer": 2, "cloturee": 3}
NO_DEADLINE = "9999-12-31"
WORD = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class Demand:
    """What the visitor asked: the filters and profile they gave, and their words (already
    normalised, stop words and the words read as filters taken out)."""

    besoins: tuple[str, ...] = ()
    secteurs: tuple[str, ...] = ()
    natures: tuple[str, ...] = ()  # from the words: they rank, they do not filter
    structures: tuple[str, ...] = ()  # any of them (a visitor may tick several)
    effectifs: tuple[str, ...] = ()  # size buckets, any of them
    departement: str = ""
    region: str = ""
    # The commune's territory keys when the visitor gave one (generator/content/territories.py
    # `commune_keys`: FR, its region, department, EPCI and itself); `departement` is then its.
    commune: tuple[str, ...] = ()
    agrements: tuple[str, ...] | None = None  # None: not asked, or « je ne sais pas »
    words: tuple[str, ...] = ()

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Demand:
        agrements = data.get("agrements")
        return cls(
            besoins=tuple(data.get("besoins", ())),
            secteurs=tuple(data.get("secteurs", ())),
            natures=tuple(data.get("natures", ())),
            structures=tuple(data.get("structures", ())),
            effectifs=tuple(data.get("effectifs", ())),
            departement=str(data.get("departement", "")),
            region=str(data.get("region", "")),
            commune=tuple(data.get("commune", ())),
            agrements=None if agrements is None else tuple(agrements),
            words=tuple(data.get("words", ())),
        )


@dataclass(frozen=True)
class Profile:
    """The structure as its visitor described it (theme/assets/aidess/profil.js stores it):
    one value per field, "" when not given; `commune` the keys of `Demand.commune`;
    `agrements` None when not given or « je ne sais pas », () for « aucun »."""

    structure: str = ""
    effectif: str = ""
    secteur: str = ""
    departement: str = ""
    region: str = ""
    commune: tuple[str, ...] = ()
    agrements: tuple[str, ...] | None = None

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Profile:
        agrements = data.get("agrements")
        return cls(
            structure=str(data.get("structure", "")),
            effectif=str(data.get("effectif", "")),
            secteur=str(data.get("secteur", "")),
            departement=str(data.get("departement", "")),
            region=str(data.get("region", "")),
            commune=tuple(data.get("commune", ())),
            agrements=None if agrements is None else tuple(agrements),
        )


def _one(asked: tuple[str, ...], given: str) -> tuple[str, ...]:
    return asked if asked or not given else (given,)


def with_profile(demand: Demand, profile: Profile) -> Demand:
    """The demand completed by the structure's profile: what the search asked wins; the
    profile fills what it did not say, and narrows an asked place that holds its own."""
    place: dict[str, Any] = {}
    own = bool(profile.departement)
    if not (demand.departement or demand.region or demand.commune):
        if own or profile.region:
            place = {"departement": profile.departement, "region": profile.region}
            place["commune"] = profile.commune
    elif not demand.commune and own:
        same_department = demand.departement == profile.departement
        holding_region = not demand.departement and demand.region == profile.region
        if same_department or holding_region:
            place = {"departement": profile.departement, "region": profile.region}
            place["commune"] = profile.commune
    agrements = demand.agrements if demand.agrements is not None else profile.agrements
    return replace(
        demand,
        structures=_one(demand.structures, profile.structure),
        effectifs=_one(demand.effectifs, profile.effectif),
        secteurs=_one(demand.secteurs, profile.secteur),
        agrements=agrements,
        **place,
    )


def fold(text: str) -> str:
    """Lower case without accents: how words are compared (classement.js `fold`)."""
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def words_of(text: str) -> list[str]:
    return WORD.findall(fold(text))


def grain(aide: Features, demand: Demand) -> int:
    """How the aid's area meets the place asked: COMMUNE, EPCI (a commune given: its own
    city's or intercommunality's aid), DEPARTMENT, REGION, NATIONAL, INSIDE (only part of the
    place), 0 (not there). Without a place: NATIONAL for a national aid (anyone
    may get it), else 0."""
    national = bool(aide.get("national"))
    if demand.commune:
        if set(aide.get("exclus", ())) & set(demand.commune):
            return 0
        fine = set(aide.get("locaux", ())) & set(demand.commune)
        if fine:
            return COMMUNE if any(k.startswith("COM-") for k in fine) else EPCI
        level = int(aide.get("lieux", {}).get(demand.departement, 0)) if not national else 0
        if national:
            return 0 if demand.departement in aide.get("hors", ()) else NATIONAL
        return 0 if level == INSIDE else level  # a place elsewhere in the department: not here
    if demand.departement:
        if national and demand.departement not in aide.get("hors", ()):
            return NATIONAL
        return int(aide.get("lieux", {}).get(demand.departement, 0))
    if demand.region:
        if national and demand.region not in aide.get("hors_regions", ()):
            return NATIONAL
        return int(aide.get("regions", {}).get(demand.region, 0))
    return NATIONAL if national else 0


def standing(aide: Features, demand: Demand) -> tuple[int, str, tuple[str, ...]]:
    """The aid's partition for this demand, with why when it is not 0: a reason code
    (`structure`, `employeur`, `effectif`, `agrement`, `secteur`, `territoire`, `partie`) and
    the values it names (`reason` says it in French)."""
    if demand.structures and not set(demand.structures) & set(aide.get("structures", ())):
        return BARRED, "structure", tuple(aide.get("structures", ()))
    if demand.effectifs and not set(demand.effectifs) & set(aide.get("effectifs", ())):
        if demand.effectifs == ("0",):
            return BARRED, "employeur", ()
        return BARRED, "effectif", ()
    missing = [a for a in aide.get("agrements", ()) if a not in (demand.agrements or ())]
    if demand.agrements is not None and missing:
        return BARRED, "agrement", tuple(missing)
    required = tuple(aide.get("secteurs_requis", ()))
    if demand.secteurs and required and not set(demand.secteurs) & set(required):
        return BARRED, "secteur", required
    if demand.departement or demand.region:
        level = grain(aide, demand)
        if level == 0:
            return BARRED, "territoire", ()
        if level == INSIDE:
            return IN_PART, "partie", ()
    return ELIGIBLE, "", ()


def title_words(aide: Features, words: Sequence[str]) -> int:
    """How many of the words begin a word of the title or the summary."""
    if not words:
        return 0  # the listings' demands: no words, and no title to split 100,000 times
    own = words_of(f"{aide.get('titre', '')} {aide.get('resume', '')}")
    return sum(1 for w in words if any(o.startswith(w) for o in own))


ALL_STRUCTURES = len(STRUCTURES)
ALL_SIZES = len(EFFECTIFS)


def restrictions(aide: Features, demand: Demand) -> tuple[int, int]:
    """The conditions of the aid the visitor said nothing about, in two counts: those that
    rule most visitors out (only some sectors when no sector was asked, a required agreement
    when none was given), then the others (only some kinds of structure, only some sizes).
    Anyone may get an aid with none: it comes first among equals."""
    strong = weak = 0
    if not demand.secteurs and aide.get("secteurs"):
        strong += 1
    if demand.agrements is None and aide.get("agrements"):
        strong += 1
    if not demand.structures and len(aide.get("structures", ())) < ALL_STRUCTURES:
        weak += 1
    if not demand.effectifs and len(aide.get("effectifs", ())) < ALL_SIZES:
        weak += 1
    return strong, weak


def sort_key(aide: Features, demand: Demand) -> tuple[Any, ...]:
    """The aid's place in the order: smaller first."""
    return head_key(aide, demand) + tail_key(aide, demand)


def head_key(aide: Features, demand: Demand) -> tuple[int, int, int, int]:
    """The start of `sort_key`: the partition, the needs met, the words, the area's grain."""
    besoins = aide.get("besoins", ())
    needs = len(set(demand.besoins) & set(besoins))
    return (
        standing(aide, demand)[0],
        -needs,
        -title_words(aide, demand.words),
        -grain(aide, demand),
    )


def tail_key(aide: Features, demand: Demand) -> tuple[Any, ...]:
    """The rest of `sort_key`, which never reads the place asked: ranking the same aids for
    many places (the 119 territories' listings), it is computed once per aid."""
    besoins = list(aide.get("besoins", ()))
    main = 1 if besoins and besoins[0] in demand.besoins else 0
    secteurs = aide.get("secteurs", ())
    named_sector = 1 if set(demand.secteurs) & set(secteurs) else 0
    nature = 1 if set(demand.natures) & set(aide.get("natures", ())) else 0
    deadline = aide.get("cloture") or NO_DEADLINE
    strong, weak = restrictions(aide, demand)
    return (
        strong,
        -main,
        -named_sector,
        -nature,
        weak,
        STATUS_RANK.get(str(aide.get("statut")), 3),
        deadline,
        fold(str(aide.get("titre", ""))),
        str(aide["slug"]),
    )


def order(aides: Iterable[Features], demand: Demand) -> list[Features]:
    """The aids in pertinence order for this demand."""
    return sorted(aides, key=lambda aide: sort_key(aide, demand))
