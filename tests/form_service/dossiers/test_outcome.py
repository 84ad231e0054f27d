"""The outcome loop as tables: when « Avez-vous été rappelé ? » is due, what « Non » re-opens,
what `terminer` and `repondre` accept."""

from __future__ import annotations

from datetime import datetime

import pytest

from form_service.dossiers.model import (
    REQUESTER,
    SERVICE,
    Refused,
    allowed,
    check,
    outcome_parts,
    outcome_value,
    state,
)
from form_service.dossiers.outcome import due
from form_service.dossiers.workdays import PARIS
from tests.form_service.dossiers.test_model import dossier

# test_model's events fall an hour apart from Tuesday 1 December 2026, 10 h (Paris).


def at(day: int, hour: int = 12) -> datetime:
    return datetime(2026, 12, day, hour, tzinfo=PARIS)


TAKEN = ("r1", "prendre")  # at 11 h on the 1st: 10 working days → Tuesday 15th, 11 h


@pytest.mark.parametrize(
    ("steps", "now", "expected"),
    [
        ((), at(31), False),  # nobody took it: nothing to ask
        ((TAKEN,), at(15, 10), False),
        ((TAKEN,), at(15, 12), True),
        ((TAKEN, (SERVICE, "resultat")), at(31), False),  # once
        ((TAKEN, (REQUESTER, "repondre", None, "oui-utile")), at(31), False),  # answered
        ((TAKEN, (REQUESTER, "plus-besoin")), at(31), False),
        ((TAKEN, ("r1", "decliner", "non", None)), at(15, 12), True),  # someone did take it
    ],
)
def test_when_the_question_is_due(
    steps: tuple[tuple[str, str], ...], now: datetime, expected: bool
) -> None:
    assert due(dossier(*steps), now) is expected


@pytest.mark.parametrize(
    ("steps", "expected"),
    [
        ((TAKEN, (REQUESTER, "repondre", None, "oui-utile")), "prise-en-charge"),
        ((TAKEN, (REQUESTER, "repondre", None, "non")), "en-attente"),  # re-opened
        ((TAKEN, (REQUESTER, "repondre", None, "non"), ("r2", "prendre")), "prise-en-charge"),
        ((TAKEN, (REQUESTER, "repondre", None, "non"), (REQUESTER, "plus-besoin")), "terminee"),
    ],
)
def test_non_reopens_the_dossier(steps: tuple[tuple[str, str], ...], expected: str) -> None:
    assert state(dossier(*steps)) == expected


def test_the_requester_answers_once_after_a_prendre() -> None:
    assert "repondre" not in allowed(dossier(), REQUESTER)
    assert "repondre" in allowed(dossier(TAKEN), REQUESTER)
    answered = dossier(TAKEN, (REQUESTER, "repondre", None, "non"))
    assert "repondre" not in allowed(answered, REQUESTER)
    with pytest.raises(Refused, match="trois réponses"):
        check(dossier(TAKEN), REQUESTER, "repondre", None, "peut-etre")
    assert check(dossier(TAKEN), REQUESTER, "repondre", None, "oui-inutile") == (
        None,
        "oui-inutile",
    )


@pytest.mark.parametrize(
    ("issue", "aide", "montant", "stored", "error"),
    [
        ("orientee", "", "", "orientee", None),
        ("aide-obtenue", "pret", "15 000", "aide-obtenue pret 15000", None),
        ("aide-obtenue", "", "2500", "aide-obtenue - 2500", None),
        ("aide-obtenue", "pret", "", "aide-obtenue pret -", None),
        ("orientee", "pret", "", None, "que pour « Aide obtenue »"),
        ("aide-obtenue", "", "douze", None, "en chiffres"),
        ("aide-obtenue", "", "0", None, "en chiffres"),
    ],
)
def test_terminer_carries_the_aid_and_its_amount(
    issue: str, aide: str, montant: str, stored: str | None, error: str | None
) -> None:
    taken = dossier(TAKEN)
    value = outcome_value(issue, aide, montant)
    if error:
        with pytest.raises(Refused, match=error):
            check(taken, "r1", "terminer", None, value)
        return
    assert check(taken, "r1", "terminer", None, value) == (None, stored)
    assert outcome_parts(stored)[0] == issue


def test_older_terminer_values_read_as_the_issue_alone() -> None:
    assert outcome_parts("accompagnee") == ("accompagnee", None, None)
    assert outcome_parts(None) == (None, None, None)
