"""When an aid's `pour_qui` makes its sector a condition (generator/content/sector_condition.py):
narrowly, so that no aid a structure can get is ranked apart."""

from __future__ import annotations

import pytest

from generator.content.sector_condition import required_sectors


@pytest.mark.parametrize(
    ("secteurs", "pour_qui", "required"),
    [
        (["sport"], "Associations sportives affiliées à une fédération agréée", ["sport"]),
        (["sport"], "Clubs de la Somme affiliés à une fédération agréée", ["sport"]),
        (["sport"], "Clubs et associations sportives à but non lucratif", ["sport"]),
        (["sport"], "Comités sportifs départementaux de la Somme", ["sport"]),
        (["culture"], "Associations culturelles qui agissent à Quimper", ["culture"]),
        (
            ["culture"],
            "Employeurs du spectacle, dont les associations, qui embauchent",
            ["culture"],
        ),
        (
            ["solidarite-internationale"],
            "Associations loi 1901 de solidarité internationale domiciliées en France",
            ["solidarite-internationale"],
        ),
        (
            ["insertion"],
            "Structures d'insertion par l'activité économique (ACI, AI)",
            ["insertion"],
        ),
        # A topic: the beneficiaries are not named by the sector.
        (["social-sante"], "Personnes morales à but non lucratif menant des actions", []),
        (["sport"], "Associations qui accueillent des jeunes", []),
        # A list of kinds, or another kind after the phrase: anyone of them may apply.
        (["culture"], "Associations culturelles, d'éducation populaire ou autres structures", []),
        (["culture"], "Structures culturelles professionnelles ou structures menant un projet", []),
        (["sport"], "Associations sportives agréées et autres organismes à but non lucratif", []),
        (["culture", "social-sante"], "Structures culturelles et structures sociales", []),
        # Not one of the aid's own sectors: the record does not say it, the phrase is not read.
        (["environnement"], "Associations sportives ou culturelles", []),
        (["tous"], "Associations sportives", []),
    ],
)
def test_the_pour_qui_makes_the_sector_a_condition(
    secteurs: list[str], pour_qui: str, required: list[str]
) -> None:
    assert required_sectors(secteurs, pour_qui) == required
