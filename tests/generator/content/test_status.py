"""The status of an aid is a pure function of (ouverture, cloture, recurrence, day): every
recurrence crossed with every kind of date case."""

from datetime import date, timedelta

import pytest

from generator.content.status import status
from generator.content.vocabularies import RECURRENCES, STATUTS

TODAY = date(2026, 11, 22)
D = timedelta(days=1)

# (case, ouverture, cloture, expected status for ponctuelle, permanente, recurrente)
CASES: list[tuple[str, date | None, date | None, str, str, str]] = [
    ("no date", None, None, "ouverte", "ouverte", "a-confirmer"),
    ("opened, no deadline", TODAY - 30 * D, None, "ouverte", "ouverte", "ouverte"),
    ("opens today", TODAY, None, "ouverte", "ouverte", "ouverte"),
    ("opens tomorrow, no deadline", TODAY + D, None, "a-venir", "a-venir", "a-venir"),
    ("deadline in 31 days", None, TODAY + 31 * D, "ouverte", "ouverte", "ouverte"),
    ("deadline in 30 days", None, TODAY + 30 * D, "cloture-proche", "cloture-proche",
     "cloture-proche"),
    ("deadline today", None, TODAY, "cloture-proche", "cloture-proche", "cloture-proche"),
    ("deadline yesterday", None, TODAY - D, "cloturee", "cloturee", "a-confirmer"),
    ("upcoming session", TODAY + 9 * D, TODAY + 99 * D, "a-venir", "a-venir", "a-venir"),
    ("upcoming session closing within 30 days", TODAY + 2 * D, TODAY + 20 * D, "a-venir",
     "a-venir", "a-venir"),
    ("current session, far deadline", TODAY - 9 * D, TODAY + 90 * D, "ouverte", "ouverte",
     "ouverte"),
    ("current session, near deadline", TODAY - 9 * D, TODAY + 5 * D, "cloture-proche",
     "cloture-proche", "cloture-proche"),
    ("past session", TODAY - 200 * D, TODAY - 100 * D, "cloturee", "cloturee", "a-confirmer"),
]  # fmt: skip
ORDER = ("ponctuelle", "permanente", "recurrente")
TABLE = [
    (case, ouverture, cloture, recurrence, expected[ORDER.index(recurrence)])
    for case, ouverture, cloture, *expected in CASES
    for recurrence in ORDER
]


@pytest.mark.parametrize(
    ("ouverture", "cloture", "recurrence", "expected"),
    [row[1:] for row in TABLE],
    ids=[f"{row[3]}: {row[0]}" for row in TABLE],
)
def test_status(
    ouverture: date | None, cloture: date | None, recurrence: str, expected: str
) -> None:
    assert status(ouverture, cloture, recurrence, TODAY) == expected


def test_table_covers_every_recurrence_and_every_status() -> None:
    assert set(ORDER) == set(RECURRENCES)
    assert {row[4] for row in TABLE} == set(STATUTS)


def test_a_recurring_call_is_never_closed() -> None:
    """A recurring call comes back: after its session it waits for the next dates."""
    for case, ouverture, cloture, *_ in CASES:
        assert status(ouverture, cloture, "recurrente", TODAY) != "cloturee", case
