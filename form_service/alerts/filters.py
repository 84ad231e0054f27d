"""The filters of an alert subscription (docs/interfaces.md §8): parsed from a form or JSON with
French
errors, matched against an aid with the site's two-way territory rules (§2), recalled in mails.

Facets follow the home page: several values of one facet are OR'ed, facets are AND'ed, an
absent facet does not filter. The territory is one commune (with its department), one
department or one region, or none (all of France). A commune lists the aids covering it (its
city's, its EPCI's, its department's…); a department, those covering it or inside it, as the
site's search does.

Beside the filters, a subscription may ask for the deadlines (`echeances`): a mail 15 days
before the deadline of each aid they match (form_service/alerts/reminders.py).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import cached_property

from generator.content import matching, places, territories, urls
from generator.content.forms import alert as alert_form
from generator.content.model import Aide
from generator.content.vocabularies import (
    BESOINS,
    EFFECTIFS,
    SECTEURS,
    STRUCTURES,
    TOUS,
    effectif_buckets,
)

Raw = Mapping[str, str | list[str]]

# Field name → vocabulary; the names are the home page's query names (generator/home.py).
FACETS: dict[str, Mapping[str, str]] = {
    "secteur": SECTEURS,
    "besoin": BESOINS,
    "structure": STRUCTURES,
    "effectif": EFFECTIFS,
}
FIELDS = ("departement", "commune", "region", *FACETS, "echeances")
YES = ("oui", "on", "true", "1")  # a ticked checkbox, or JSON's true as text
DEADLINES_LABEL = "Avant chaque clôture"
DEADLINES_VALUE = "un courriel 15 jours avant"
# What a subscription that asked for the deadlines receives besides the digest (reminders.py),
# as its mails and pages say it.
REMINDERS = "un rappel 15 jours avant la clôture de chaque aide qui y correspond"
# The filters' labels, as the alert form shows them (one definition of each).
LABELS: dict[str, str] = {name: alert_form.LABELS[name] for name in FIELDS}


@dataclass(frozen=True)
class Aid:
    """What filtering, selection and mails need of one aid (built from the content)."""

    slug: str
    titre: str
    territoires: tuple[str, ...]
    exclusions: tuple[str, ...]
    secteurs: tuple[str, ...]  # may contain `tous`
    besoins: tuple[str, ...]
    structures: tuple[str, ...]
    effectifs: tuple[str, ...]  # size buckets (generator.content.vocabularies.effectif_buckets)
    ouverture: date | None
    cloture: date | None
    recurrence: str  # ponctuelle, permanente, recurrente
    periode: str | None = None

    @cached_property
    def departements(self) -> frozenset[str]:
        """Departments covered, after exclusions (computed once per aid)."""
        return matching.covered_departments(self.territoires, self.exclusions)

    @cached_property
    def regions(self) -> frozenset[str]:
        """Regions covered at least in part: a region filter lists them (two-way)."""
        return matching.covered_regions(self.territoires, self.exclusions)


@dataclass(frozen=True)
class Filters:
    departement: str | None = None  # COG code
    region: str | None = None  # COG code; never set together with departement
    commune: str | None = None  # INSEE code; its department is `departement`
    secteur: tuple[str, ...] = ()
    besoin: tuple[str, ...] = ()
    structure: tuple[str, ...] = ()
    effectif: tuple[str, ...] = ()
    echeances: bool = False  # also a mail 15 days before each matching deadline

    def matches(self, aid: Aid) -> bool:
        """Whether the site's search with these filters lists the aid (docs/interfaces.md §2)."""
        if self.commune:
            if not matching.covers_commune(aid.territoires, aid.exclusions, self.commune):
                return False
        elif self.departement and self.departement not in aid.departements:
            return False
        if self.region and self.region not in aid.regions:
            return False
        if self.secteur and TOUS not in aid.secteurs and not set(self.secteur) & set(aid.secteurs):
            return False
        pairs = (
            (self.besoin, aid.besoins),
            (self.structure, aid.structures),
            (self.effectif, aid.effectifs),
        )
        return all(not wanted or set(wanted) & set(have) for wanted, have in pairs)

    def as_query(self) -> dict[str, list[str]]:
        """The home page's query (generator.content.urls.search) showing the same aids."""
        query: dict[str, list[str]] = {}
        if self.departement:
            query["departement"] = [self.departement]
        if self.commune:
            query["commune"] = [self.commune]
        if self.region:
            query["region"] = [self.region]
        for name in FACETS:
            values: tuple[str, ...] = getattr(self, name)
            if values:
                query[name] = list(values)
        return query

    def search_path(self) -> str:
        return urls.search(self.as_query())

    def to_json(self) -> str:
        """Canonical JSON, the deadlines' choice included: equal filters give equal text."""
        data = self.as_query() | ({"echeances": ["oui"]} if self.echeances else {})
        return json.dumps(data, sort_keys=True, ensure_ascii=False)

    def identity(self) -> str:
        """Canonical JSON of what is watched, without the deadlines' choice: the same address
        and filters are one subscription, whether it asks for the deadlines or not."""
        return json.dumps(self.as_query(), sort_keys=True, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> Filters:
        data: dict[str, list[str]] = json.loads(text)
        departement, region = data.get("departement", []), data.get("region", [])
        commune = data.get("commune", [])
        return cls(
            departement=departement[0] if departement else None,
            region=region[0] if region else None,
            commune=commune[0] if commune else None,
            **{name: tuple(data.get(name, ())) for name in FACETS},
            echeances=bool(data.get("echeances")),
        )

    def describe(self) -> list[tuple[str, str]]:
        """The filters as French (label, value) rows, for mails and pages."""
        ref = territories.reference()
        if self.commune:
            commune = territories.communes().communes[self.commune]
            rows = [(LABELS["commune"], places.label(commune))]
        elif self.departement:
            rows = [(LABELS["departement"], ref.name(f"DEP-{self.departement}"))]
        elif self.region:
            rows = [(LABELS["region"], ref.name(f"REG-{self.region}"))]
        else:
            rows = [("Territoire", "France entière")]
        for name, vocabulary in FACETS.items():
            values: tuple[str, ...] = getattr(self, name)
            rows.append((LABELS[name], ", ".join(vocabulary[v] for v in values) or "tous"))
        if self.echeances:
            rows.append((DEADLINES_LABEL, DEADLINES_VALUE))
        return rows


def _values(raw: Raw, name: str) -> list[str]:
    value = raw.get(name, [])
    values = [value] if isinstance(value, str) else list(value)
    return [v.strip() for v in values if v.strip()]


def parse(raw: Raw, *, typed: bool = True) -> tuple[Filters | None, dict[str, str]]:
    """The filters of a form or JSON body, or a French error per field. Unknown values are
    errors (never silently dropped: the alert would send more than asked). `typed`: the
    commune was typed by a person, five digits are a postcode first (places.find_commune)."""
    ref = territories.reference()
    errors: dict[str, str] = {}
    chosen: dict[str, tuple[str, ...]] = {}
    for name, vocabulary in FACETS.items():
        values = _values(raw, name)
        if any(v not in vocabulary for v in values):
            errors[name] = "valeur inconnue : choisissez dans la liste"
        # Vocabulary order: the same choice in another order is the same subscription.
        chosen[name] = tuple(v for v in vocabulary if v in values)
    territory: dict[str, str | None] = {}
    for name, known in (("departement", ref.departments), ("region", ref.regions)):
        values = _values(raw, name)
        code = values[0].upper().removeprefix("DEP-").removeprefix("REG-") if values else None
        if len(set(values)) > 1:
            errors[name] = "un seul territoire à la fois"
        elif code is not None and code not in known:
            example = "ex. 59, 2A, 971" if name == "departement" else "ex. 32, 53"
            errors[name] = f"code inconnu « {values[0]} » ({example})"
        territory[name] = code
    departement, region = territory["departement"], territory["region"]
    if departement and region and "departement" not in errors and "region" not in errors:
        if ref.departments[departement].region != region:
            errors["departement"] = (
                "ce département n'est pas dans la région choisie : choisissez l'un ou l'autre"
            )
        region = None  # the department is the more precise of the two
    commune = None
    given = _values(raw, "commune")
    if len(set(given)) > 1:
        errors["commune"] = "une seule commune à la fois"
    elif given and "departement" not in errors:
        found, reason = places.find_commune(given[0], departement, typed=typed)
        if found is None:
            errors["commune"] = reason or "commune inconnue"
        else:
            commune, departement, region = found.code, found.departement, None
    if errors:
        return None, {name: errors[name] for name in LABELS if name in errors}
    echeances = any(v.lower() in YES for v in _values(raw, "echeances"))
    return Filters(
        departement=departement, region=region, commune=commune, echeances=echeances, **chosen
    ), {}


def aid_from_content(slug: str, data: Aide) -> Aid:
    """An `Aid` from a validated content record's model."""
    return Aid(
        slug=slug,
        titre=data.titre,
        territoires=tuple(data.territoires),
        exclusions=tuple(data.exclusions),
        secteurs=tuple(data.secteurs),
        besoins=tuple(data.besoins),
        structures=tuple(data.structures),
        effectifs=tuple(effectif_buckets(data.effectif_max, data.effectif_min)),
        ouverture=data.ouverture,
        cloture=data.cloture,
        recurrence=data.recurrence,
        periode=data.periode,
    )
