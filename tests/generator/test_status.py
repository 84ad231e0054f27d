from datetime import date

import pytest

from generator.status import status

TODAY = date(2026, 11, 22)


@pytest.mark.parametrize(
    ("ouverture", "cloture", "expected"),
    [
        (None, None, "ouverte"),
        (date(2026, 12, 1), None, "a-venir"),
        (date(2026, 12, 1), date(2027, 3, 1), "a-venir"),
        (None, date(2026, 12, 22), "cloture-proche"),
        (None, date(2026, 11, 22), "cloture-proche"),
        (None, date(2026, 12, 23), "ouverte"),
        (None, date(2026, 11, 21), "cloturee"),
        (date(2026, 1, 1), date(2026, 6, 30), "cloturee"),
    ],
)
def test_status_from_dates(ouverture: date | None, cloture: date | None, expected: str) -> None:
    assert status(ouverture, cloture, TODAY) == expected
