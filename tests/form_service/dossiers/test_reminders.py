"""The reminder schedule as a table: what is due, given the events and the calendar."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from form_service.dossiers.model import REQUESTER, SERVICE, Dossier, Event, Mail
from form_service.dossiers.reminders import STEPS, due, mails, next_deadline
from form_service.dossiers.workdays import PARIS
from tests.form_service.dossiers.test_model import THREE
from tests.form_service.dossiers.test_needs import NEEDS, SOPHIE

T0 = datetime(2026, 12, 1, 10, tzinfo=PARIS)  # a Tuesday


def at(day: int, hour: int = 10) -> datetime:
    return datetime(2026, 12, day, hour, tzinfo=PARIS)


def dossier(*events: tuple[str, str]) -> Dossier:
    recorded = tuple(
        Event(T0 + timedelta(minutes=n), a, b, id=n) for n, (a, b) in enumerate(events)
    )
    return Dossier("d1", "AID-2026-00001", T0, "59", ("emploi",), THREE, recorded)


@pytest.mark.parametrize(
    ("events", "now", "expected"),
    [
        ((), at(3, 9), []),  # Thursday 9 h: not yet 2 working days
        ((), at(3, 10), ["relance"]),
        (((SERVICE, "relance"),), at(3, 11), []),  # sent once
        (((SERVICE, "relance"),), at(8, 10), ["coordination"]),  # 5 working days: Tue 8
        ((), at(8, 10), ["coordination"]),  # too late for the 2-day reminder alone
        (((SERVICE, "relance"), (SERVICE, "coordination")), at(21, 10), []),
        (((SERVICE, "relance"), (SERVICE, "coordination")), at(22, 10), ["sans-suite"]),
        ((), at(23), ["coordination", "sans-suite"]),  # the service was stopped for weeks
        ((("r1", "prendre"),), at(23), []),  # somebody has it
        (((REQUESTER, "plus-besoin"),), at(23), []),
        (((SERVICE, "relance"), (SERVICE, "coordination"), (SERVICE, "sans-suite")), at(30), []),
        ((("r1", "prendre"), ("r1", "decliner")), at(3, 10), ["relance"]),  # free again
        ((("r1", "injoignable"),), at(3, 10), ["relance"]),
    ],
)
def test_what_is_due(
    events: tuple[tuple[str, str], ...], now: datetime, expected: list[str]
) -> None:
    assert [s.action for s in due(dossier(*events), now)] == expected


def test_the_reminder_goes_only_to_recipients_still_new() -> None:
    d = dossier(("r2", "injoignable"), ("r3", "decliner"))
    assert mails(d, STEPS[0]) == [Mail("relance", "r1")]


def test_coordination_and_abandon_tell_the_requester() -> None:
    assert mails(dossier(), STEPS[1]) == [Mail("suivi-demandeur", REQUESTER)]
    assert mails(dossier(), STEPS[2]) == [Mail("sans-suite-demandeur", REQUESTER)]


def test_holidays_push_the_deadlines() -> None:
    before_christmas = Dossier(
        "d2", "AID-2026-00002", datetime(2026, 12, 23, 9, tzinfo=PARIS), "59", ("emploi",), THREE
    )
    assert due(before_christmas, datetime(2026, 12, 27, 12, tzinfo=PARIS)) == []
    assert [s.action for s in due(before_christmas, datetime(2026, 12, 28, 9, tzinfo=PARIS))] == [
        "relance"
    ]


def test_next_deadline() -> None:
    assert next_deadline(dossier()) == at(3)
    assert next_deadline(dossier((SERVICE, "relance"))) == at(8)
    assert next_deadline(dossier(("r1", "prendre"))) is None


def sophie(*events: tuple[str, str]) -> Dossier:
    recorded = tuple(
        Event(T0 + timedelta(minutes=n), a, b, id=n) for n, (a, b) in enumerate(events)
    )
    return Dossier("d3", "AID-2026-00003", T0, "59", NEEDS, SOPHIE, recorded)


@pytest.mark.parametrize(
    ("events", "now", "expected", "reminded"),
    [
        # The DLA took the business model: cash flow and paperwork still wait, and are chased.
        ((("r1", "prendre"),), at(3, 10), ["relance"], ["r2", "r3"]),
        # The Maison des associations took too (paperwork and business model): cash flow waits.
        ((("r1", "prendre"), ("r3", "prendre")), at(3, 10), ["relance"], ["r2"]),
        ((("r1", "prendre"), ("r3", "prendre")), at(8, 10), ["coordination"], ["r2"]),
        ((("r1", "prendre"), ("r2", "prendre"), ("r3", "prendre")), at(23), [], []),
        # Paperwork declined: its holder is no longer reminded; Nord Actif still is.
        ((("r1", "prendre"), ("r3", "decliner")), at(3, 10), ["relance"], ["r2"]),
    ],
)
def test_the_schedule_acts_on_the_needs_nobody_took(
    events: tuple[tuple[str, str], ...], now: datetime, expected: list[str], reminded: list[str]
) -> None:
    d = sophie(*events)
    assert [s.action for s in due(d, now)] == expected
    assert [m.to for m in mails(d, STEPS[0])] == reminded
