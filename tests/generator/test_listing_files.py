"""/donnees/listes/<territoire>.json: which aids each territory's listing holds, in which order,
with what a result card and the client-side filters need, and the commune codes a commune
choice filters on."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from generator.content import territories
from generator.content.rank_features import features
from generator.content.ranking import Demand
from generator.enrich import AideEntry, enrich
from generator.listing_files import add_search_ids, write_listings
from generator.listings import ranked
from tests.generator.test_enrich import aide, catalog

TODAY = date(2026, 12, 6)
ROUBAIX, LILLE, DUNKERQUE = "59512", "59350", "59183"
MEL = "EPCI-200093201"  # Métropole Européenne de Lille: Lille and Roubaix, not Dunkerque

AIDS = {
    "nationale": aide(titre="Aide nationale", recurrence="ponctuelle", cloture="2027-01-31"),
    "du-nord": aide(
        titre="Aide du Nord",
        territoires=["DEP-59"],
        recurrence="ponctuelle",
        cloture="2026-12-20",
        besoins=["tresorerie"],
        secteurs=["tous"],
    ),
    "roubaix": aide(titre="Aide de Roubaix", territoires=[f"COM-{ROUBAIX}"]),
    "metropole": aide(titre="Aide de la métropole lilloise", territoires=[MEL]),
    "sauf-roubaix": aide(
        titre="Aide des Hauts-de-France sauf Roubaix",
        territoires=["REG-32"],
        exclusions=[f"COM-{ROUBAIX}"],
    ),
    "du-rhone": aide(titre="Aide du Rhône", territoires=["DEP-69"]),
    "fermee": aide(titre="Aide fermée", recurrence="ponctuelle", cloture="2026-11-30"),
    "hors-nord": aide(titre="Aide de France sauf le Nord", exclusions=["DEP-59"]),
    "france-sauf-mel": aide(titre="Aide de France sauf la métropole lilloise", exclusions=[MEL]),
}


@pytest.fixture(scope="module")
def listes(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("listes")
    write_listings(enrich(catalog(AIDS), TODAY), out)
    return out


def read(folder: Path, name: str) -> dict[str, Any]:
    """One territory's listing as the home page's script reads it: its own aids and the
    national ones of france.json, in its `ordre`."""
    own: dict[str, Any] = json.loads((folder / f"{name}.json").read_text(encoding="utf-8"))
    france = json.loads((folder / "france.json").read_text(encoding="utf-8"))["aides"]
    own["aides"] = [own["aides"][i] if i >= 0 else france[-i - 1] for i in own["ordre"]]
    return own


def slugs(listing: dict[str, Any]) -> list[str]:
    return [e["url"].removeprefix("/aides/").strip("/") for e in listing["aides"]]


def test_every_department_and_region_has_its_listing(listes: Path) -> None:
    ref = territories.reference()
    names = {p.stem for p in listes.glob("*.json")}
    assert names == {"france"} | {f"departement-{c}" for c in ref.departments} | {
        f"region-{c}" for c in ref.regions
    }
    assert read(listes, "departement-2A")["nom"] == "Corse-du-Sud"


def test_a_department_lists_its_open_aids_in_pertinence_order(listes: Path) -> None:
    site = enrich(catalog(AIDS), TODAY)
    nord = read(listes, "departement-59")
    mine = {"nationale", "du-nord", "roubaix", "metropole", "sauf-roubaix", "france-sauf-mel"}
    own = [site.aides[slug] for slug in mine]
    assert slugs(nord) == [e.slug for e in ranked(own, Demand(departement="59"))]
    assert slugs(nord)[0] == "du-nord"  # the most local aid covering the whole department
    assert nord["territoire"] == "departement-59" and nord["nom"] == "Nord"
    rhone = [site.aides[s] for s in ("nationale", "du-rhone", "hors-nord", "france-sauf-mel")]
    assert slugs(read(listes, "departement-69")) == [
        e.slug for e in ranked(rhone, Demand(departement="69"))
    ]


def test_a_region_lists_its_departments_aids(listes: Path) -> None:
    hdf = set(slugs(read(listes, "region-32")))
    assert {"nationale", "du-nord", "roubaix", "metropole", "sauf-roubaix"} <= hdf
    assert "hors-nord" in hdf  # it covers the region's other departments
    assert "du-rhone" not in hdf and "fermee" not in hdf


def test_an_entry_carries_its_card_and_its_filters(listes: Path) -> None:
    entry: dict[str, Any] = next(
        e for e in read(listes, "departement-59")["aides"] if e["url"] == "/aides/du-nord/"
    )
    assert entry["title"] == "Aide du Nord"
    assert entry["pour_qui"] == "Toutes les associations."
    assert entry["porteurs"] == "État"
    assert entry["etat"] == "cloture-proche" and entry["statut"] == "Clôture proche"
    assert "20 décembre 2026" in entry["echeance"]
    assert entry["departement"] == "59"  # the callback form is pre-filled with it
    assert entry["cloture"] == "2026-12-20"
    assert entry["filtres"]["besoin"] == ["tresorerie"]
    assert entry["classement"]["national"] is False  # what the script re-ranks with
    assert len(entry["filtres"]["secteur"]) > 5  # « tous » expanded, like Pagefind's filter
    assert "communes" not in entry and "sauf" not in entry


def test_national_aids_are_written_once(listes: Path) -> None:
    france = json.loads((listes / "france.json").read_text(encoding="utf-8"))
    national = {e["url"] for e in france["aides"]}
    assert national == {"/aides/nationale/", "/aides/hors-nord/", "/aides/france-sauf-mel/"}
    nord = json.loads((listes / "departement-59.json").read_text(encoding="utf-8"))
    assert not national & {e["url"] for e in nord["aides"]}


def by_slug(listing: dict[str, Any]) -> dict[str, AideEntry | dict[str, Any]]:
    return {e["url"].removeprefix("/aides/").strip("/"): e for e in listing["aides"]}


def test_a_commune_choice_can_filter_a_department_listing(listes: Path) -> None:
    nord = by_slug(read(listes, "departement-59"))
    assert nord["roubaix"]["communes"] == [ROUBAIX]  # type: ignore[index]
    metropole: list[str] = nord["metropole"]["communes"]  # type: ignore[index]
    assert ROUBAIX in metropole and LILLE in metropole and DUNKERQUE not in metropole
    assert nord["sauf-roubaix"]["sauf"] == [ROUBAIX]  # type: ignore[index]
    assert "communes" not in nord["sauf-roubaix"]  # it covers the rest of the department
    assert "communes" not in nord["nationale"] and "sauf" not in nord["nationale"]
    sauf: list[str] = nord["france-sauf-mel"]["sauf"]  # type: ignore[index]
    assert ROUBAIX in sauf and LILLE in sauf and DUNKERQUE not in sauf


def test_the_territory_order_is_a_parameter(tmp_path: Path) -> None:
    """The hook for the shared pertinence function: each territory's own order."""
    site = enrich(catalog(AIDS), TODAY)
    seen: list[tuple[str, str]] = []

    def backwards(entries: list[AideEntry], kind: str, code: str) -> list[AideEntry]:
        seen.append((kind, code))
        return entries[::-1]

    write_listings(site, tmp_path, backwards)
    assert ("departement", "59") in seen and ("region", "32") in seen
    nord = set(slugs(read(tmp_path, "departement-59")))
    in_catalog = [slug for slug in site.aides if slug in nord]
    assert slugs(read(tmp_path, "departement-59")) == in_catalog[::-1]


def test_an_entry_gives_back_the_pertinence_features(listes: Path) -> None:
    """What the script rebuilds (listes.js `features`) is what the search index carries."""
    site = enrich(catalog(AIDS), TODAY)
    for entry in read(listes, "departement-59")["aides"]:
        slug = entry["url"].removeprefix("/aides/").strip("/")
        f = entry["filtres"]
        rebuilt = {
            "slug": slug,
            "besoins": f["besoin"],
            "structures": f["structure"],
            "natures": f["nature"],
            "effectifs": f["effectif"],
            "statut": entry["etat"],
            "cloture": "" if entry["cloture"] == "9999-12-31" else entry["cloture"],
            **entry["classement"],
        }
        aide = site.aides[slug]
        assert rebuilt == features(slug, aide.data, aide.statut, text=False)


def test_each_entry_gets_its_pagefind_id_once_the_index_is_written(tmp_path: Path) -> None:
    contents = write_listings(enrich(catalog(AIDS), TODAY), tmp_path)
    assert contents["departement-59"] == [
        e["url"] for e in json.loads((tmp_path / "departement-59.json").read_text())["aides"]
    ]
    ids = {url: f"fr_{i:07x}" for i, url in enumerate(sorted(set().union(*contents.values())))}
    del ids["/aides/du-nord/"]  # a page the index left out
    add_search_ids(tmp_path, contents, ids)
    for name, held in contents.items():
        data = json.loads((tmp_path / f"{name}.json").read_text(encoding="utf-8"))
        assert data["pagefind"] == [ids.get(url, "") for url in held]
        assert len(data["pagefind"]) == len(data["aides"])
    nord = json.loads((tmp_path / "departement-59.json").read_text(encoding="utf-8"))
    assert "ordre" in nord and "" in nord["pagefind"]
