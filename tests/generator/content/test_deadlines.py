"""The deadline an aid's calendar event and deadline alert keep: a pure function of its dates,
its recurrence, its last known session and the day."""

from __future__ import annotations

from datetime import date

import pytest

from generator.content.deadlines import Deadline, next_deadline, years_later
from generator.content.model import Session

TODAY = date(2026, 12, 6)


def session(cloture: str, ouverture: str | None = None) -> Session:
    return Session.model_validate({"cloture": cloture, "ouverture": ouverture})


def d(text: str) -> date:
    return date.fromisoformat(text)


# (case, ouverture, cloture, recurrence, derniere_session, expected deadline or None)
CASES: list[tuple[str, str | None, str | None, str, Session | str | None, Deadline | None]] = [
    (
        "one-off, deadline ahead",
        None,
        "2027-01-15",
        "ponctuelle",
        None,
        Deadline(d("2027-01-15"), None),
    ),
    (
        "one-off, deadline today",
        None,
        "2026-12-06",
        "ponctuelle",
        None,
        Deadline(d("2026-12-06"), None),
    ),
    ("one-off, closed yesterday", None, "2026-12-05", "ponctuelle", None, None),
    (
        "upcoming session keeps its opening",
        "2027-01-10",
        "2027-03-31",
        "ponctuelle",
        None,
        Deadline(d("2027-03-31"), d("2027-01-10")),
    ),
    ("permanent without end date", None, None, "permanente", None, None),
    (
        "permanent until a date",
        None,
        "2027-06-30",
        "permanente",
        None,
        Deadline(d("2027-06-30"), None),
    ),
    ("permanent, ended", None, "2026-06-30", "permanente", None, None),
    (
        "recurring, current session known",
        "2026-11-01",
        "2027-02-01",
        "recurrente",
        session("2026-02-01", "2025-11-01"),
        Deadline(d("2027-02-01"), d("2026-11-01")),
    ),
    (
        "recurring, last session this year, passed: next year",
        None,
        None,
        "recurrente",
        session("2026-03-15", "2025-12-01"),
        Deadline(d("2027-03-15"), d("2026-12-01"), expected=True, known=d("2026-03-15")),
    ),
    (
        "recurring, last session later this year: this year",
        None,
        None,
        "recurrente",
        session("2025-12-31", "2024-12-31"),
        Deadline(d("2026-12-31"), d("2025-12-31"), expected=True, known=d("2025-12-31")),
    ),
    (
        "recurring, old session: the first year still ahead",
        None,
        None,
        "recurrente",
        session("2019-03-31"),
        Deadline(d("2027-03-31"), None, expected=True, known=d("2019-03-31")),
    ),
    (
        "recurring, its own dates passed: projected from them",
        "2025-10-01",
        "2025-11-30",
        "recurrente",
        session("2024-11-30"),
        Deadline(d("2027-11-30"), d("2027-10-01"), expected=True, known=d("2025-11-30")),
    ),
    ("recurring, no dated session", None, None, "recurrente", "inconnue", None),
    (
        "recurring, next opening announced without deadline",
        "2027-04-01",
        None,
        "recurrente",
        session("2026-03-01"),
        Deadline(d("2028-03-01"), d("2027-04-01"), expected=True, known=d("2026-03-01")),
    ),
]


@pytest.mark.parametrize(
    ("ouverture", "cloture", "recurrence", "derniere", "expected"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_next_deadline(
    ouverture: str | None,
    cloture: str | None,
    recurrence: str,
    derniere: Session | str | None,
    expected: Deadline | None,
) -> None:
    found = next_deadline(
        d(ouverture) if ouverture else None,
        d(cloture) if cloture else None,
        recurrence,
        derniere,
        TODAY,
    )
    assert found == expected


def test_an_expected_deadline_is_never_in_the_past() -> None:
    for day in (date(2026, 1, 1), date(2026, 3, 14), date(2026, 3, 15), date(2026, 3, 16)):
        found = next_deadline(None, None, "recurrente", session("2020-03-15"), day)
        assert found is not None and day <= found.day < years_later(day, 1)


def test_29_february_falls_on_the_28th() -> None:
    assert years_later(date(2024, 2, 29), 1) == date(2025, 2, 28)
    assert years_later(date(2024, 2, 29), 4) == date(2028, 2, 29)
