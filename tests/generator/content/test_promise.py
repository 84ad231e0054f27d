"""The promise and its measured figure, said only once there are enough dossiers."""

from __future__ import annotations

import pytest

from generator.content.forms.promise import PROMISE, measured


@pytest.mark.parametrize(
    ("total", "fast", "expected"),
    [
        (19, 19, None),  # too few to say anything
        (20, 16, "8 demandes sur 10"),
        (37, 10, "3 demandes sur 10"),
        (20, 0, "0 demandes sur 10"),
    ],
)
def test_the_measured_figure(total: int, fast: int, expected: str | None) -> None:
    said = measured(total, fast)
    if expected is None:
        assert said is None
    else:
        assert said is not None and expected in said and "90 derniers jours" in said


def test_the_promise_matches_the_reminders() -> None:
    assert "2 jours ouvrés" in PROMISE and "coordinateur de votre région" in PROMISE
