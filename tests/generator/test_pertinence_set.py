"""The relevance test set (tests/data/pertinence.yml) stays loadable by a harness: every slug
names an aid, every facet and value is one the home's URL accepts, grades are 1 or 2."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.content import vocabularies as v
from generator.content.territories import communes, reference

ROOT = Path(__file__).resolve().parents[2]
SET = ROOT / "tests" / "data" / "pertinence.yml"
MINIMUM = 60
KEBAB = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def _facets() -> dict[str, set[str]]:
    """Facet name → accepted values, as in the home's query string (docs/interfaces.md §5)."""
    ref = reference()
    return {
        "region": set(ref.regions),
        "departement": set(ref.departments),
        "commune": set(communes().communes),
        "secteur": set(v.SECTEURS),
        "besoin": set(v.BESOINS),
        "structure": set(v.STRUCTURES),
        "effectif": set(v.EFFECTIFS),
        "etape": set(v.ETAPES),
        "nature": set(v.NATURES),
        "statut": set(v.STATUTS),
    }


def problems(data: Any, aids: set[str]) -> list[str]:
    """Everything wrong with a loaded set, one French sentence each naming the query."""
    if not isinstance(data, dict) or not isinstance(data.get("requetes"), list):
        return ["pertinence.yml : la clé « requetes » doit être une liste"]
    facets = _facets()
    found: list[str] = []
    seen: set[str] = set()
    queries = data["requetes"]
    if len(queries) < MINIMUM:
        found.append(f"pertinence.yml : {len(queries)} requêtes, il en faut au moins {MINIMUM}")
    for rank, query in enumerate(queries, start=1):
        qid = str(query.get("id", f"n° {rank}"))
        where = f"requête « {qid} »"
        if not KEBAB.match(qid):
            found.append(f"{where} : l'id doit être en minuscules et tirets")
        if qid in seen:
            found.append(f"{where} : id en double")
        seen.add(qid)
        if not isinstance(query.get("mots"), str):
            found.append(f'{where} : « mots » doit être un texte ("" pour des filtres seuls)')
        for name, values in (query.get("filtres") or {}).items():
            if name not in facets:
                found.append(f"{where} : filtre inconnu « {name} »")
                continue
            for value in values:
                if str(value) not in facets[name]:
                    found.append(f"{where} : valeur « {value} » inconnue pour le filtre {name}")
        profil = query.get("profil") or {}
        if profil.get("structure") not in v.STRUCTURES:
            found.append(f"{where} : profil.structure inconnue « {profil.get('structure')} »")
        if str(profil.get("departement")) not in facets["departement"]:
            found.append(f"{where} : profil.departement inconnu « {profil.get('departement')} »")
        if profil.get("commune") is not None and str(profil["commune"]) not in facets["commune"]:
            found.append(f"{where} : profil.commune inconnue « {profil['commune']} »")
        if not isinstance(profil.get("salaries"), int) or profil["salaries"] < 0:
            found.append(f"{where} : profil.salaries doit être un nombre entier de salariés (ETP)")
        if "secteur" in profil and profil["secteur"] not in v.SECTEURS:
            found.append(f"{where} : profil.secteur inconnu « {profil['secteur']} »")
        for agrement in profil.get("agrements") or []:
            if agrement not in v.AGREMENTS:
                found.append(f"{where} : agrément inconnu « {agrement} »")
        attendus = query.get("attendus") or {}
        inadmissibles = query.get("inadmissibles") or []
        for slug, grade in attendus.items():
            if slug not in aids:
                found.append(
                    f"{where} : l'aide attendue « {slug} » n'existe pas dans content/aides/"
                )
            if grade not in (1, 2):
                found.append(f"{where} : la note de « {slug} » doit être 1 ou 2, pas {grade!r}")
        for slug in inadmissibles:
            if slug not in aids:
                found.append(
                    f"{where} : l'aide inadmissible « {slug} » n'existe pas dans content/aides/"
                )
            if slug in attendus:
                found.append(f"{where} : « {slug} » est à la fois attendue et inadmissible")
    return found


@pytest.fixture(scope="module")
def aids() -> set[str]:
    return {path.stem for path in (ROOT / "content" / "aides").glob("*.md")}


def test_the_set_is_sound(aids: set[str]) -> None:
    data = yaml.safe_load(SET.read_text(encoding="utf-8"))
    assert problems(data, aids) == []
    assert len(data["requetes"]) >= MINIMUM


def _query(**changes: object) -> dict[str, object]:
    query: dict[str, object] = {
        "id": "nadia",
        "mots": "",
        "filtres": {"departement": ["59"], "besoin": ["tresorerie"]},
        "profil": {"structure": "association", "salaries": 0, "departement": "59"},
        "attendus": {"dasess-nord": 2},
        "inadmissibles": ["socoden-financements-scop-scic"],
    }
    return query | changes


AIDS = {"dasess-nord", "socoden-financements-scop-scic"}


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"attendus": {"dasess-du-nord": 2}}, "« dasess-du-nord » n'existe pas"),
        ({"inadmissibles": ["scop-seulement"]}, "« scop-seulement » n'existe pas"),
        ({"attendus": {"dasess-nord": 3}}, "doit être 1 ou 2, pas 3"),
        ({"inadmissibles": ["dasess-nord"]}, "à la fois attendue et inadmissible"),
        ({"filtres": {"dept": ["59"]}}, "filtre inconnu « dept »"),
        ({"filtres": {"besoin": ["treso"]}}, "valeur « treso » inconnue pour le filtre besoin"),
        ({"filtres": {"secteur": ["tous"]}}, "valeur « tous » inconnue pour le filtre secteur"),
        ({"filtres": {"commune": ["99999"]}}, "valeur « 99999 » inconnue pour le filtre commune"),
        ({"id": "Nadia Nord"}, "minuscules et tirets"),
        (
            {"profil": {"structure": "scop", "salaries": 0, "departement": "59"}},
            "structure inconnue",
        ),
        (
            {"profil": {"structure": "association", "salaries": 0, "departement": "99"}},
            "departement",
        ),
    ],
)
def test_a_bad_query_is_named(changes: dict[str, object], message: str) -> None:
    found = problems({"requetes": [_query(**changes), *_filler()]}, AIDS)
    assert len(found) == 1 and message in found[0], found
    assert found[0].startswith("requête « ")


def test_repeated_id_and_short_set_are_reported() -> None:
    found = problems({"requetes": [_query(), _query()]}, AIDS)
    assert "pertinence.yml : 2 requêtes, il en faut au moins 60" in found
    assert "requête « nadia » : id en double" in found


def _filler() -> list[dict[str, object]]:
    return [_query(id=f"q-{n}") for n in range(MINIMUM)]
