"""Precomputed per-territory listings, `/donnees/listes/departement-<code>.json` and
`/donnees/listes/region-<code>.json` (docs/interfaces.md §5): the open aids covering a
territory, in the listing's order, with what a result card shows, the facet values the
home page filters them by and, once the search index is written, each one's Pagefind result
id. A department or region choice draws its results from its one file
(theme/assets/aidess/listes.js) instead of Pagefind's filter files, whose size grows with the
catalog × the 119 territories, and words within it only ask Pagefind which pages they find.

A commune choice uses its department's file: an entry that does not cover the whole
department carries the INSEE codes of the communes it covers there (`communes`), and one
whose exclusions remove communes carries those (`sauf`)."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from generator.content import territories, urls
from generator.content.matching import covers_department, remaining
from generator.content.rank_features import TEXT
from generator.content.ranking import Demand, Features
from generator.enrich import AideEntry, Site
from generator.listings import Tails, is_national, profile_values, ranked
from generator.result_cards import card
from generator.search_terms import deadline_key

FOLDER = "listes"  # under /donnees/
VERSION = 1

# A territory's order: given its aids, its kind and its code ("departement", "59").
Order = Callable[[list[AideEntry], str, str], list[AideEntry]]


def pertinence_order() -> Order:
    """Pertinence for a visitor who gave only this territory (generator/content/ranking.py:
    the most local aids first), as the home page's script re-ranks a territory's first
    results; each aid's place-free part of the key is computed once for the 119 territories
    (generator/listings.py `ranked`)."""
    tails: Tails = {}

    def order(entries: list[AideEntry], kind: str, code: str) -> list[AideEntry]:
        demand = Demand(departement=code) if kind == "departement" else Demand(region=code)
        return ranked(entries, demand, tails)

    return order


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


# Pertinence features (generator/content/rank_features.py) an entry already says otherwise:
# the script puts them back (theme/assets/aidess/listes.js `features`).
DERIVED = {
    "slug": "url",
    "besoins": "filtres.besoin",
    "structures": "filtres.structure",
    "natures": "filtres.nature",
    "effectifs": "filtres.effectif",
    "statut": "etat",
    "cloture": "cloture",
}


def ranking_rest(found: Features) -> dict[str, Any]:
    """The rest of an aid's features (`found`), which the script re-ranks a listing with once
    the visitor adds a facet (the `classement` meta of the search index, without the title
    and summary, which the card has)."""
    return {k: v for k, v in found.items() if k not in DERIVED and k not in TEXT}


def listing_entry(entry: AideEntry) -> dict[str, Any]:
    """One aid of a listing: its card (the same names as the Pagefind meta the home page's
    script draws cards from), its deadline sort key and its facet values."""
    c = card(entry)
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
        "classement": ranking_rest(entry.features),
        "filtres": {name: list(values) for name, values in profile_values(entry).items()},
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
    the same sets as the home page's territory filters), in the catalog's order."""
    ref = territories.reference()
    members: dict[tuple[str, str], list[AideEntry]] = {
        **{("departement", code): [] for code in ref.departments},
        **{("region", code): [] for code in ref.regions},
    }
    for entry in site.aides.values():
        if not entry.open:
            continue
        for code in entry.departements:
            members["departement", code].append(entry)
        for code in entry.regions:
            members["region", code].append(entry)
    return members


# Each listing file's name (without `.json`) → the URLs of its `aides`, in their order.
Contents = dict[str, list[str]]


def write_listings(site: Site, folder: Path, order: Order | None = None) -> Contents:
    """Write France's listing and every department's and region's under `folder`; return
    what each file holds. The national aids (most of a territory's) are written once, in
    `france.json`; a territory's file holds its own aids and, in `ordre`, its whole listing's
    order, national aids included (a negative number -(k + 1) is `france.json`'s k-th)."""
    folder.mkdir(parents=True, exist_ok=True)
    order = order or pertinence_order()
    ref = territories.reference()
    national = [e for e in site.aides.values() if e.open and is_national(e.data.territoires)]
    place = {id(e): k for k, e in enumerate(national)}
    encoded: dict[int, str] = {}

    def entry_json(entry: AideEntry) -> str:
        key = id(entry)
        if key not in encoded:
            item = listing_entry(entry)
            encoded[key] = json.dumps(item, ensure_ascii=False)
        return encoded[key]

    france = [_with(entry_json(e), national_fields(e)) for e in national]
    _dump(folder / "france.json", {"version": VERSION, "territoire": "france"}, france, {})
    contents: Contents = {"france": [urls.aide(e.slug) for e in national]}
    names = {
        **{("departement", c): d.nom for c, d in ref.departments.items()},
        **{("region", c): r.nom for c, r in ref.regions.items()},
    }
    for (kind, code), entries in territory_members(site).items():
        own: list[str] = []
        held: list[str] = []
        ordre: list[int] = []
        for entry in order(entries, kind, code):
            k = place.get(id(entry))
            if k is not None:
                ordre.append(-(k + 1))
                continue
            extra = commune_fields(entry, code) if kind == "departement" else {}
            ordre.append(len(own))
            own.append(_with(entry_json(entry), extra))
            held.append(urls.aide(entry.slug))
        head = {"version": VERSION, "territoire": f"{kind}-{code}", "nom": names[kind, code]}
        _dump(folder / f"{kind}-{code}.json", head, own, {"ordre": ordre})
        contents[f"{kind}-{code}"] = held
    return contents


def add_search_ids(folder: Path, contents: Contents, ids: dict[str, str]) -> None:
    """Give each listing file, once the search index is written, `pagefind`: the id of each
    of its `aides` in Pagefind's results (generator/indexing.py `page_ids`; "" for a page
    it did not index), in their order. A word search within a territory keeps the entries
    Pagefind found (theme/assets/aidess/listes.js). Appended to each file's end, so the
    files are not rewritten."""
    for name, held in contents.items():
        found = json.dumps([ids.get(url, "") for url in held])
        with (folder / f"{name}.json").open("r+b") as file:
            file.seek(-2, os.SEEK_END)
            if file.read(2) != b"}\n":
                raise ValueError(f"liste de territoire inattendue : {name}.json")
            file.seek(-2, os.SEEK_END)
            file.truncate()
            file.write(f', "pagefind": {found}}}\n'.encode())
