"""An aid listed apart says why, in French, naming each value by its own vocabulary."""

from __future__ import annotations

import pytest

from generator.content.reasons import reason


@pytest.mark.parametrize(
    ("code", "values", "text"),
    [
        ("structure", ("cooperative",), "réservée aux structures : coopérative (SCOP, SCIC, CAE…)"),
        ("employeur", (), "réservée aux structures employeuses"),
        (
            "agrement",
            ("jeunesse-education-populaire",),
            "agrément requis : agrément jeunesse et éducation populaire (JEP)",
        ),
        (
            "agrement",
            ("reconnue-utilite-publique", "sport"),
            "agréments requis : reconnaissance d'utilité publique, agrément sport ou affiliation"
            " à une fédération agréée",
        ),
        ("secteur", ("sport",), "réservée au secteur : sport"),
        ("", (), ""),
    ],
)
def test_reasons_are_said_in_french(code: str, values: tuple[str, ...], text: str) -> None:
    assert reason(code, values) == text


def test_sport_as_an_agreement_is_named_as_the_agreement() -> None:
    """« sport » is an agreement and a sector: the agreement's reason names the agreement."""
    assert reason("agrement", ("sport",)).startswith("agrément requis : agrément sport")
