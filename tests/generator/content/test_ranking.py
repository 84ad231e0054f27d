"""Pertinence (generator/content/ranking.py and its browser twin classement.js) on the shared
vectors of tests/data/classement.json, and the features an aid gives it."""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from generator.content.model import Aide
from generator.content.rank_features import features
from generator.content.ranking import (
    BARRED,
    DEPARTMENT,
    ELIGIBLE,
    IN_PART,
    INSIDE,
    NATIONAL,
    REGION,
    Demand,
    Profile,
    order,
    sort_key,
    standing,
    tail_key,
    with_profile,
)
from tests.conftest import AIDE

ROOT = Path(__file__).resolve().parents[3]
VECTORS = ROOT / "tests" / "data" / "classement.json"
SCRIPT = ROOT / "theme" / "assets" / "aidess" / "classement.js"
CASES: list[dict[str, Any]] = json.loads(VECTORS.read_text(encoding="utf-8"))["cas"]


@pytest.mark.parametrize("case", CASES, ids=[c["nom"][:60] for c in CASES])
def test_python_passes_the_vectors(case: dict[str, Any]) -> None:
    demand = Demand.from_json(case["demande"])
    if "profil" in case:  # the structure remembered on the visitor's device (profil.js)
        demand = with_profile(demand, Profile.from_json(case["profil"]))
    assert [a["slug"] for a in order(case["aides"], demand)] == case["ordre"]
    for aide in case["aides"]:
        partition, code, _ = standing(aide, demand)
        assert [partition, code] == case["partitions"][aide["slug"]], aide["slug"]


@pytest.mark.parametrize("case", CASES, ids=[c["nom"][:60] for c in CASES])
def test_the_tail_of_the_key_reads_no_place(case: dict[str, Any]) -> None:
    """What lets the build rank each aid's tail once for the 119 territories
    (generator/listings.py `ranked`)."""
    demand = Demand.from_json(case["demande"])
    unplaced = replace(demand, departement="", region="", commune=())
    for aide in case["aides"]:
        assert tail_key(aide, demand) == tail_key(aide, unplaced)
        assert sort_key(aide, demand)[-len(tail_key(aide, demand)) :] == tail_key(aide, demand)


NODE_RUNNER = """
const api = require(process.argv[1]);
const cases = require(process.argv[2]).cas;
const out = cases.map(c => {
  let demand = api.demand(c.demande);
  if (c.profil) demand = api.withProfile(demand, api.profile(c.profil));
  return {
    ordre: api.order(c.aides, demand).map(a => a.slug),
    partitions: Object.fromEntries(c.aides.map(a => [a.slug, api.standing(a, demand).slice(0, 2)])),
  };
});
console.log(JSON.stringify(out));
"""


def test_the_browser_script_passes_the_same_vectors() -> None:
    node = shutil.which("node")
    if node is None:
        pytest.fail("node est requis pour vérifier classement.js (make test-deps)")
    run = subprocess.run(
        [node, "-e", NODE_RUNNER, str(SCRIPT), str(VECTORS)],
        capture_output=True,
        text=True,
        check=True,
    )
    got = json.loads(run.stdout)
    for case, answer in zip(CASES, got, strict=True):
        assert answer["ordre"] == case["ordre"], case["nom"]
        assert answer["partitions"] == case["partitions"], case["nom"]


def aide(**fields: object) -> Aide:
    return Aide.model_validate({**AIDE, **fields})


@pytest.mark.parametrize(
    ("fields", "departement", "grain"),
    [
        ({"territoires": ["DEP-59"]}, "59", DEPARTMENT),
        ({"territoires": ["REG-32"]}, "59", REGION),
        ({"territoires": ["EPCI-200093201"]}, "59", INSIDE),  # Métropole Européenne de Lille
        ({"territoires": ["COM-59512"]}, "59", INSIDE),  # Roubaix
        ({"territoires": ["REG-32"], "exclusions": ["DEP-59"]}, "59", None),
    ],
)
def test_features_give_each_department_its_grain(
    fields: dict[str, object], departement: str, grain: int | None
) -> None:
    found = features("x", aide(**fields), "ouverte")
    assert found["national"] is False
    assert found["lieux"].get(departement) == grain


def test_a_national_aid_lists_what_it_leaves_out() -> None:
    found = features("x", aide(territoires=["FR"], exclusions=["REG-53"]), "ouverte")
    assert found["national"] is True
    assert {"22", "29", "35", "56"} <= set(found["hors"])
    assert "59" not in found["hors"]
    assert found["hors_regions"] == ["53"]


def test_features_name_sectors_and_sizes_as_the_vocabulary_does() -> None:
    found = features(
        "x",
        aide(secteurs=["tous"], effectif_min=1, cloture="2027-01-31", recurrence="ponctuelle"),
        "ouverte",
    )
    assert found["secteurs"] == []  # « tous » names no sector: a named one ranks above
    assert "0" not in found["effectifs"]
    assert found["cloture"] == date(2027, 1, 31).isoformat()


def test_features_carry_a_sector_the_pour_qui_makes_a_condition() -> None:
    sport = {"secteurs": ["sport"], "pour_qui": "Associations sportives affiliées à une fédération"}
    assert features("x", aide(**sport), "ouverte")["secteurs_requis"] == ["sport"]
    topic = {"secteurs": ["sport"], "pour_qui": "Associations qui font bouger les seniors"}
    assert "secteurs_requis" not in features("x", aide(**topic), "ouverte")


def test_the_profile_fills_only_what_the_search_did_not_say() -> None:
    profile = Profile(structure="association", effectif="0", secteur="culture")
    asked = Demand(structures=("cooperative",), agrements=("esus",))
    merged = with_profile(asked, replace(profile, agrements=()))
    assert merged.structures == ("cooperative",)  # the ticked facet wins
    assert merged.effectifs == ("0",) and merged.secteurs == ("culture",)
    assert merged.agrements == ("esus",)
    assert with_profile(Demand(), profile).agrements is None  # « je ne sais pas »


def test_an_asked_department_elsewhere_keeps_the_profile_place_out() -> None:
    lille = ("FR", "REG-32", "DEP-59", "EPCI-200093201", "COM-59350")
    profile = Profile(departement="59", region="32", commune=lille)
    assert with_profile(Demand(departement="35"), profile).commune == ()
    assert with_profile(Demand(departement="59"), profile).commune == lille
    assert with_profile(Demand(region="32"), profile).departement == "59"
    assert with_profile(Demand(region="53"), profile).departement == ""


def test_partitions_are_ordered() -> None:
    assert ELIGIBLE < IN_PART < BARRED
    assert NATIONAL < REGION < DEPARTMENT < INSIDE


def test_the_browser_script_orders_two_aids_that_compare_equal() -> None:
    # An aid listed twice (a listing and a Pagefind result) has equal keys: a tie, not an error.
    node = shutil.which("node")
    if node is None:
        pytest.fail("node est requis pour vérifier classement.js (make test-deps)")
    runner = (
        "const api = require(process.argv[1]);"
        "const c = require(process.argv[2]).cas[0];"
        "const a = c.aides[0];"
        "const ordered = api.order([a, {...a}], api.demand(c.demande));"
        "console.log(JSON.stringify(ordered.map(x => x.slug)));"
    )
    run = subprocess.run(
        [node, "-e", runner, str(SCRIPT), str(VECTORS)], capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
    slug = CASES[0]["aides"][0]["slug"]
    assert json.loads(run.stdout) == [slug, slug]
