"""An eligibility condition written in an aid's body is in its front matter too (docs/interfaces.md
§1): the reviewed French phrasings of tests/data/eligibility_phrasings.yml are run on every
aid of content/aides/, with a reviewed allow-list of sentences that mention a condition
without imposing it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.content.catalog import load
from tests.conftest import REAL_CONTENT

DATA = Path(__file__).parents[2] / "data" / "eligibility_phrasings.yml"
LOCAL = ("EPCI-", "COM-")


@dataclass(frozen=True)
class Phrasing:
    id: str
    regex: re.Pattern[str]
    requires: str | dict[str, str]

    def satisfied(self, front: dict[str, Any]) -> bool:
        """Whether the front matter says what the phrasing requires."""
        if self.requires == "effectif_min":
            return isinstance(front.get("effectif_min"), int) and front["effectif_min"] >= 1
        if self.requires == "effectif_max":
            return front.get("effectif_max") is not None
        if self.requires == "territoire_local":
            return any(str(code).startswith(LOCAL) for code in front.get("territoires") or [])
        assert isinstance(self.requires, dict), self.requires
        return self.requires["agrement"] in (front.get("agrements") or [])


@dataclass(frozen=True)
class Gap:
    aide: str
    phrasing: str
    sentence: str


@cache
def spec() -> dict[str, Any]:
    with DATA.open(encoding="utf-8") as handle:
        loaded: dict[str, Any] = yaml.safe_load(handle)
    return loaded


@cache
def phrasings() -> tuple[Phrasing, ...]:
    return tuple(
        Phrasing(p["id"], re.compile(p["regex"], re.IGNORECASE), p["requires"])
        for p in spec()["phrasings"]
    )


def sentences(body: str) -> list[str]:
    """The body as sentences: Markdown emphasis removed, whitespace collapsed, ’ as ', cut
    at sentence ends, semicolons, headings and list items."""
    text = " ".join(body.replace("’", "'").replace("**", "").split())
    parts = re.split(r"(?<=[.!?;])\s+|\s(?=#+ )|\s(?=- )", text)
    return [part for part in parts if part]


def gaps(slug: str, front: dict[str, Any], body: str) -> list[Gap]:
    """The sentences of `body` stating a condition `front` lacks."""
    return [
        Gap(slug, phrasing.id, sentence)
        for sentence in sentences(body)
        for phrasing in phrasings()
        if phrasing.regex.search(sentence) and not phrasing.satisfied(front)
    ]


def allowed(gap: Gap) -> dict[str, str] | None:
    for entry in spec()["allow"]:
        if (
            entry["aide"] == gap.aide
            and entry["phrasing"] == gap.phrasing
            and entry["excerpt"] in gap.sentence
        ):
            return dict(entry)
    return None


FRONT = {"territoires": ["FR"], "agrements": []}


@pytest.mark.parametrize(
    ("body", "front", "found"),
    [
        # Employers only.
        ("Il faut avoir au moins un salarié.", {}, ["employeur"]),
        ("Il faut avoir au moins un salarié.", {"effectif_min": 1}, []),
        ("Il faut avoir au moins un salarié.", {"effectif_min": 0}, ["employeur"]),
        ("Réservé aux associations employeuses du Nord.", {}, ["employeuses"]),
        ("Structures employant au moins deux personnes.", {}, ["employant-au-moins"]),
        # Size limits, in figures or words, through Markdown emphasis.
        ("Associations de **moins de 30 salariés**.", {}, ["moins-de-n-salaries"]),
        ("Associations de moins de dix salariés.", {"effectif_max": 9}, []),
        ("Ouvert jusqu'à 20 salariés en équivalent temps plein.", {}, ["jusqu-a-n-salaries"]),
        ("Elles emploient au plus 3 ETP.", {}, ["au-plus-n-salaries"]),
        # Agreements.
        ("Clubs affiliés à une fédération agréée.", {}, ["federation-agreee"]),
        ("Clubs affiliés à une fédération.", {}, []),  # which federation: not said
        ("Associations affiliées à une fédération agréée.", {}, ["federation-agreee"]),
        ("Associations affiliées à une fédération agréée.", {"agrements": ["sport"]}, []),
        ("Titulaires de l'agrément sport.", {}, ["agrement-sport"]),
        ("Associations agréées « jeunesse et éducation populaire ».", {}, ["agrement-jep"]),
        ("Associations agréées JEP.", {"agrements": ["jeunesse-education-populaire"]}, []),
        ("Sociétés agréées ESUS.", {}, ["agrement-esus"]),
        ("Structures conventionnées IAE.", {}, ["conventionnement-iae"]),
        ("Associations reconnues d'utilité publique.", {}, ["reconnue-utilite-publique"]),
        (
            "Les organismes agréés au titre de l'engagement de service civique.",
            {},
            ["agrement-service-civique"],
        ),
        # Place: the city or the intercommunality, not its department.
        ("Associations de la ville de Roubaix.", {"territoires": ["DEP-59"]}, ["ville-de"]),
        ("Associations de la ville de Roubaix.", {"territoires": ["COM-59512"]}, []),
        ("Le contrat de la politique de la ville de la métropole.", {}, []),
        (
            "Projets menés sur le territoire de la métropole.",
            {"territoires": ["DEP-59"]},
            ["territoire-intercommunal"],
        ),
        (
            "Projets sur le territoire de Valenciennes Métropole.",
            {"territoires": ["EPCI-245901152"]},
            [],
        ),
        ("Les associations dont le siège est à Tourcoing.", {}, ["siege-a"]),
        ("Les habitants de Méricourt.", {"territoires": ["COM-62570"]}, []),
        ("Les habitants de Méricourt.", {"territoires": ["DEP-62"]}, ["habitants-de"]),
        ("Les habitants de ces quartiers.", {}, []),
        # One finding per sentence and phrasing; sentences are cut at « ; ».
        (
            "Associations employeuses ; agréées ESUS.",
            {},
            ["employeuses", "agrement-esus"],
        ),
        ("Une aide sans condition de taille.", {}, []),
    ],
)
def test_detector(body: str, front: dict[str, Any], found: list[str]) -> None:
    assert [g.phrasing for g in gaps("x", {**FRONT, **front}, body)] == found


def test_every_phrasing_and_allowance_is_reviewed() -> None:
    ids = [p.id for p in phrasings()]
    assert len(ids) == len(set(ids))
    for entry in spec()["allow"]:
        assert entry["phrasing"] in ids, entry
        assert entry["reason"].strip() and entry["excerpt"].strip(), entry


@cache
def real_gaps() -> tuple[Gap, ...]:
    catalog, _ = load(REAL_CONTENT, date.today())
    assert len(catalog.aides) >= 250
    found: list[Gap] = []
    for slug, record in sorted(catalog.aides.items()):
        front = record.data.model_dump(exclude_none=True)
        body = record.path.read_text(encoding="utf-8").split("---", 2)[2]
        found += gaps(slug, front, body)
    return tuple(found)


def test_real_aids_state_their_conditions_in_their_front_matter() -> None:
    unexplained = [
        f"{g.aide}: {g.phrasing}: « {g.sentence[:200]} »" for g in real_gaps() if allowed(g) is None
    ]
    assert unexplained == [], (
        "Condition écrite dans le corps mais absente de l'en-tête (effectif_min, effectif_max, "
        "agrements, territoires) : corrigez la fiche et son pour_qui, ou ajoutez la phrase à "
        "la liste « allow » de tests/data/eligibility_phrasings.yml avec sa raison.\n"
        + "\n".join(unexplained)
    )


def test_allow_list_has_no_stale_entry() -> None:
    """An allowance whose sentence changed or whose record was fixed is removed, so the list
    only holds what was reviewed."""
    stale = [
        entry
        for entry in spec()["allow"]
        if not any(
            g.aide == entry["aide"]
            and g.phrasing == entry["phrasing"]
            and entry["excerpt"] in g.sentence
            for g in real_gaps()
        )
    ]
    assert stale == []
