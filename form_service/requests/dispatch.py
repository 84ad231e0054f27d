"""Routing rules of docs/interfaces.md §3: which networks receive a callback request, and why.

A pure function of the request and the networks: no I/O, deterministic, explained in French.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache

from generator.content.matching import covered_departments, match_commune, match_level
from generator.content.model import Reseau
from generator.content.places import label
from generator.content.territories import Level, communes, reference
from generator.content.vocabularies import BESOINS, EFFECTIFS, ETAPES, SECTEURS, STRUCTURES, TOUS

MAX_NETWORKS = 3


@dataclass(frozen=True)
class Profile:
    """What routing needs to know about a request (no personal data)."""

    departement: str
    forme: str
    effectif: str
    secteur: str
    besoins: tuple[str, ...]
    etape: str | None = None
    aide: str | None = None
    commune: str | None = None  # INSEE code, in the department (checked by the form)


@dataclass(frozen=True)
class Choice:
    slug: str
    nom: str
    email: str
    besoins: tuple[str, ...]  # the requested needs it was chosen for
    raisons: tuple[str, ...]


@dataclass(frozen=True)
class Routing:
    choices: tuple[Choice, ...]
    uncovered: tuple[str, ...]  # requested needs no chosen network covers
    fallback_reason: str | None = None

    @property
    def fallback(self) -> bool:
        return not self.choices

    def as_json(self) -> dict[str, object]:
        return {
            "reseaux": [
                {"slug": c.slug, "nom": c.nom, "email": c.email, "raisons": list(c.raisons)}
                for c in self.choices
            ],
            "fallback": self.fallback,
            **({"raison": self.fallback_reason} if self.fallback_reason else {}),
            # Tells editors which needs no network takes in this territory (a coverage gap).
            **(
                {"besoins_non_couverts": list(self.uncovered)}
                if self.uncovered and not self.fallback
                else {}
            ),
        }


@dataclass(frozen=True)
class _Candidate:
    slug: str
    reseau: Reseau
    email: str
    level: Level
    territory: str
    shared: frozenset[str]
    specialist: bool
    from_aide: bool


@cache
def _covered(territoires: tuple[str, ...]) -> frozenset[str]:
    # Networks share few distinct territory lists: each is expanded once. Departments covered
    # at least in part: whether a network of an EPCI or a commune takes a request is decided
    # per request, by its commune (`_place`).
    return covered_departments(territoires)


def _place(profile: Profile, reseau: Reseau) -> tuple[Level, str] | None:
    """The most specific of the network's territories covering the request's place: its
    commune when it names one, else the whole department (a network of a city or an EPCI
    never takes the requests of a department it covers only in part)."""
    if profile.commune:
        return match_commune(reseau.territoires, [], profile.commune)
    return match_level(reseau.territoires, [], profile.departement)


def place_name(profile: Profile) -> str:
    """« Roubaix (59) » when the request names its commune, else « Nord (59) »."""
    commune = communes().communes.get(profile.commune or "")
    return label(commune) if commune else reference().name(f"DEP-{profile.departement}")


def _labels(slugs: Sequence[str]) -> str:
    return ", ".join(BESOINS[s] for s in slugs)


def _territory_reason(profile: Profile, candidate: _Candidate) -> str:
    ref = reference()
    dep = ref.name(f"DEP-{profile.departement}")
    here = place_name(profile)
    if candidate.level is Level.COMMUNE:
        return f"Couvre la commune : {here}"
    if candidate.level is Level.EPCI:
        return f"Couvre l'intercommunalité {ref.name(candidate.territory)}, où se trouve {here}"
    if candidate.level is Level.DEPARTMENT:
        return f"Couvre le département : {dep}"
    if candidate.level is Level.REGION:
        return f"Couvre la région {ref.name(candidate.territory)}, où se trouve {here}"
    return f"Couvre toute la France, dont {here}"


def _misfit(profile: Profile, reseau: Reseau) -> str | None:
    """Why a network covering the territory and a need still does not fit, or None."""
    if reseau.structures is not None and profile.forme not in reseau.structures:
        return f"forme « {STRUCTURES[profile.forme]} » non accompagnée"
    if reseau.effectifs is not None and profile.effectif not in reseau.effectifs:
        return f"taille « {EFFECTIFS[profile.effectif]} » non accompagnée"
    if profile.etape and reseau.etapes is not None and profile.etape not in reseau.etapes:
        return f"étape « {ETAPES[profile.etape]} » non accompagnée"
    if TOUS not in reseau.secteurs and profile.secteur not in reseau.secteurs:
        return f"secteur « {SECTEURS[profile.secteur]} » non accompagné"
    return None


class Networks:
    """The networks that receive requests, listed under each department they cover: built
    once per catalogue, so routing a request reads one department's list instead of
    expanding every network's territories."""

    def __init__(self, reseaux: Mapping[str, Reseau]) -> None:
        receiving = [(slug, r) for slug, r in sorted(reseaux.items()) if r.demandes is not None]
        self.receiving = bool(receiving)
        self.by_department: dict[str, list[tuple[str, Reseau]]] = {}
        for slug, r in receiving:  # in slug order, kept in each department's list
            for dep in _covered(tuple(r.territoires)):
                self.by_department.setdefault(dep, []).append((slug, r))


def _candidates(
    profile: Profile, networks: Networks, aide_reseaux: Sequence[str]
) -> tuple[list[_Candidate], str | None]:
    """Eligible networks, or none and the reason in French."""
    wanted = frozenset(profile.besoins)
    dep_name = place_name(profile)
    if not networks.receiving:
        return [], "Aucun réseau n'a d'adresse pour recevoir les demandes"
    nearby = networks.by_department.get(profile.departement, [])
    pool = [(s, r) for s, r in nearby if _place(profile, r) is not None]
    if not pool:
        partial = (
            " (la demande n'indique pas sa commune, et les réseaux locaux ne couvrent "
            "qu'une partie du département)"
            if nearby and not profile.commune
            else ""
        )
        return [], f"Aucun réseau recevant des demandes ne couvre {dep_name}{partial}"
    pool = [(s, r) for s, r in pool if wanted & set(r.besoins)]
    if not pool:
        return [], (
            f"Aucun réseau couvrant {dep_name} n'accompagne ces besoins : "
            f"{_labels(profile.besoins)}"
        )
    misfits = [(r.nom, _misfit(profile, r)) for _, r in pool]
    pool = [(s, r) for s, r in pool if _misfit(profile, r) is None]
    if not pool:
        detail = " ; ".join(f"{nom} : {why}" for nom, why in misfits)
        return [], f"Les réseaux couvrant {dep_name} et ces besoins ne conviennent pas ({detail})"
    candidates = []
    for slug, r in pool:
        matched = _place(profile, r)
        assert matched is not None and r.demandes is not None
        candidates.append(
            _Candidate(
                slug=slug,
                reseau=r,
                email=r.demandes.email,
                level=matched[0],
                territory=matched[1],
                shared=wanted & set(r.besoins),
                specialist=profile.secteur in r.secteurs,
                from_aide=slug in aide_reseaux,
            )
        )
    return candidates, None


def route(
    profile: Profile,
    reseaux: Mapping[str, Reseau] | Networks,
    aide_reseaux: Sequence[str] = (),
) -> Routing:
    """Choose up to three networks for the request, each with its reasons, or the fallback.
    Pass `Networks` built once when routing many requests against the same catalogue."""
    networks = reseaux if isinstance(reseaux, Networks) else Networks(reseaux)
    candidates, reason = _candidates(profile, networks, aide_reseaux)
    if not candidates:
        return Routing((), tuple(profile.besoins), reason)
    order = [b for b in BESOINS if b in profile.besoins]  # vocabulary order, for stable text
    uncovered = set(order)
    chosen: list[tuple[_Candidate, tuple[str, ...]]] = []
    while uncovered and len(chosen) < MAX_NETWORKS:
        taken = {c.slug for c, _ in chosen}
        useful = [c for c in candidates if c.slug not in taken and c.shared & uncovered]
        if not useful:
            break
        best = min(
            useful,
            key=lambda c: (
                not c.from_aide,
                -len(c.shared & uncovered),
                -c.level,
                not c.specialist,
                c.slug,
            ),
        )
        covers = tuple(b for b in order if b in best.shared & uncovered)
        chosen.append((best, covers))
        uncovered -= best.shared
    choices = tuple(_choice(profile, c, covers) for c, covers in chosen)
    return Routing(choices, tuple(b for b in order if b in uncovered))


def _choice(profile: Profile, candidate: _Candidate, covers: tuple[str, ...]) -> Choice:
    reasons = []
    if candidate.from_aide:
        reasons.append(
            "Indiqué sur la fiche de l'aide d'où vient la demande comme réseau qui aide à "
            "monter le dossier"
        )
    reasons.append(_territory_reason(profile, candidate))
    reasons.append(f"Besoins qui lui sont confiés : {_labels(covers)}")
    others = [b for b in BESOINS if b in candidate.shared and b not in covers]
    if others:
        reasons.append(f"Peut aussi aider pour : {_labels(others)}")
    if candidate.specialist:
        reasons.append(f"Spécialiste du secteur : {SECTEURS[profile.secteur]}")
    return Choice(candidate.slug, candidate.reseau.nom, candidate.email, covers, tuple(reasons))
