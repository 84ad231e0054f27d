"""Precomputed per-territory listings, `/donnees/listes/departement-<code>.json` and
`/donnees/listes/region-<code>.json` (docs/interfaces.md §5): the open aids covering a
territory, in the listing's order, with what a result card shows and the facet values the
home page filters them by. A department or region choice without words draws its results
from its one file (theme/assets/aidess/listes.js) instead of Pagefind's filter files, whose
size grows with the catalog × the 119 territories.

A commune choice uses its department's file: an entry that does not cover the whole
department carries the INSEE codes of the communes it covers there (`communes`), and one
whose exclusions remove communes carries those (`sauf`)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from generator.content import territories
from generator.content.matching import covers_department, remaining
from generator.enrich import AideEntry, Site
from generator.listings import is_national
from generator.result_cards import card, default_order
from generator.search_terms import deadline_key

FOLDER = "listes"  # under /donnees/
VERSION = 1
# Facets filtered client-side inside a listing (the territory is the file itself).
FACETS: tuple[str, ...] = ("secteur", "besoin", "structure", "effectif", "etape", "nature")

# The listing's order: today the default listing's (generator/result_cards.py). The hook for
# the shared pertinence function (generator/content/ranking.py): it is given the territory
# ("departement", "59") so the most local aids can come first.
Order = Callable[[list[AideEntry], str, str], list[AideEntry]]


def default_territory_order(entries: list[AideEntry], kind: str, code: str) -> list[AideEntry]:
    del kind, code  # the default order does not depend on the territory yet
    return entries


def path(kind: str, code: str) -> str:
    """Site path of one territory's listing, e.g. `/donnees/listes/departement-59.json`."""
    return f"/donnees/{FOLDER}/{kind}-{code}.json"


def _communes_within(keys: Iterable[str], departement: str | None) -> list[str]:
    """INSEE codes of the communes the EPCI and commune keys cover (inside one department,
    or anywhere for None)."""
    ref = territories.communes()
    found: list[str] = []
    for key in keys:
        kind, _, code = key.partition("-")
        if kind == "COM" and code in ref.communes:
            found.append(code)
        elif kind == "EPCI" and code in ref.epcis:
            found += ref.epcis[code].communes
    if departement is not None:
        found = [c for c in found if ref.communes[c].departement == departement]
    return sorted(set(found))


def national_fields(entry: AideEntry) -> dict[str, list[str]]:
    """A national aid's excluded communes (`sauf`), wherever they are."""
    excluded = _communes_within(entry.data.exclusions, None)
    return {"sauf": excluded} if excluded else {}


def commune_fields(entry: AideEntry, departement: str) -> dict[str, list[str]]:
    """`communes` when the aid covers only part of the department, `sauf` when its exclusions
    remove communes of it: what a commune choice filters on (empty for most aids)."""
    aide = entry.data
    fields: dict[str, list[str]] = {}
    if not covers_department(aide.territoires, aide.exclusions, departement):
        kept = remaining(aide.territoires, aide.exclusions)
        fields["communes"] = _communes_within(kept, departement)
    excluded = _communes_within(aide.exclusions, departement)
    if excluded:
        fields["sauf"] = excluded
    return fields


def listing_entry(entry: AideEntry) -> dict[str, Any]:
    """One aid of a listing: its card (the same names as the Pagefind meta the home page's
    script draws cards from), its deadline sort key and its facet values."""
    c = card(entry)
    aide = entry.data
    values = {
        "secteur": entry.secteurs,
        "besoin": aide.besoins,
        "structure": aide.structures,
        "effectif": entry.effectifs,
        "etape": entry.etapes,
        "nature": aide.natures,
    }  # as generator/listings.py `facet_values`, without the territory filters
    item: dict[str, Any] = {
        "url": c.url,
        "title": c.title,
        "resume": c.resume,
        "pour_qui": c.pour_qui,
        "territoire": c.territoire,
        "montant": c.montant,
        "porteurs": c.porteurs,
        "etat": c.etat,
        "statut": c.statut,
        "echeance": c.echeance,
        "departement": c.departement,
        "cloture": deadline_key(entry),
        "filtres": {name: list(values[name]) for name in FACETS},
    }
    return {k: v for k, v in item.items() if v != ""}


def _with(entry: str, extra: dict[str, list[str]]) -> str:
    """An encoded entry with more fields (the commune codes of one file)."""
    return entry[:-1] + ", " + json.dumps(extra)[1:] if extra else entry


def _dump(path: Path, head: dict[str, Any], parts: list[str], tail: dict[str, Any]) -> None:
    """Write `head` + `"aides": [parts]` + `tail` as one JSON object, an entry a line (each
    entry is serialised once however many files hold it)."""
    text = json.dumps(head, ensure_ascii=False)[:-1] + ', "aides": [\n' + ",\n".join(parts)
    text += "\n]" + (", " + json.dumps(tail)[1:] if tail else "}") + "\n"
    path.write_text(text, encoding="utf-8")


def territory_members(site: Site) -> dict[tuple[str, str], list[AideEntry]]:
    """The open aids of each department and region (at least in part, exclusions applied:
    the same sets as the home page's territory filters), in the default order."""
    ref = territories.reference()
    members: dict[tuple[str, str], list[AideEntry]] = {
        **{("departement", code): [] for code in ref.departments},
        **{("region", code): [] for code in ref.regions},
    }
    for entry in default_order(site):
        if not entry.open:
            continue
        for code in entry.departements:
            members["departement", code].append(entry)
        for code in entry.regions:
            members["region", code].append(entry)
    return members


def write_listings(site: Site, folder: Path, order: Order = default_territory_order) -> int:
    """Write France's listing and every department's and region's under `folder`; return the
    file count. The national aids (most of a territory's) are written once, in
    `france.json`; a territory's file holds its own aids and, in `ordre`, its whole listing's
    order, national aids included (a negative number -(k + 1) is `france.json`'s k-th)."""
    folder.mkdir(parents=True, exist_ok=True)
    ref = territories.reference()
    national = [e for e in default_order(site) if e.open and is_national(e.data.territoires)]
    place = {id(e): k for k, e in enumerate(national)}
    encoded: dict[int, str] = {}  # by id(): the entries are the site's own objects

    def entry_json(entry: AideEntry) -> str:
        key = id(entry)
        if key not in encoded:
            encoded[key] = json.dumps(listing_entry(entry), ensure_ascii=False)
        return encoded[key]

    france = [_with(entry_json(e), national_fields(e)) for e in national]
    _dump(folder / "france.json", {"version": VERSION, "territoire": "france"}, france, {})
    names = {
        **{("departement", c): d.nom for c, d in ref.departments.items()},
        **{("region", c): r.nom for c, r in ref.regions.items()},
    }
    for (kind, code), entries in territory_members(site).items():
        own: list[str] = []
        ordre: list[int] = []
        for entry in order(entries, kind, code):
            k = place.get(id(entry))
            if k is not None:
                ordre.append(-(k + 1))
                continue
            extra = commune_fields(entry, code) if kind == "departement" else {}
            ordre.append(len(own))
            own.append(_with(entry_json(entry), extra))
        head = {"version": VERSION, "territoire": f"{kind}-{code}", "nom": names[kind, code]}
        _dump(folder / f"{kind}-{code}.json", head, own, {"ordre": ordre})
    return len(names) + 1
