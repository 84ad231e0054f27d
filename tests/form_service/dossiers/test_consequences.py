"""What an action sets off, as a table: its mails, the needs to route again, erasure."""

from __future__ import annotations

from datetime import timedelta

import pytest

from form_service.dossiers.consequences import effects
from form_service.dossiers.model import REQUESTER, Event, Mail
from tests.form_service.dossiers.test_model import T0, dossier


def event(actor: str, action: str, text: str | None = None) -> Event:
    return Event(T0 + timedelta(days=1), actor, action, text)


@pytest.mark.parametrize(
    ("steps", "new", "mails", "reroute"),
    [
        (
            (),
            event("r2", "prendre"),
            [
                Mail("pris-demandeur", REQUESTER),
                Mail("pris-reseau", "r1"),
                Mail("pris-reseau", "r3"),
            ],
            (),
        ),
        ((), event("r1", "noter", "n"), [Mail("note", "r2"), Mail("note", "r3")], ()),
        ((), event("r1", "injoignable"), [], ()),
        (
            (("r1", "injoignable"),),
            event("r1", "injoignable"),
            [Mail("injoignable-demandeur", REQUESTER)],
            (),
        ),
        ((("r2", "injoignable"),), event("r1", "injoignable"), [], ()),  # 2 networks, 1 each
        ((("r1", "injoignable"), ("r1", "injoignable")), event("r1", "injoignable"), [], ()),
        ((), event("r1", "decliner", "non"), [], ()),
        ((("r2", "decliner", "non", None),), event("r1", "decliner", "non"), [], ()),
        (
            (("r2", "decliner", "non", None), ("r3", "decliner", "non", None)),
            event("r1", "decliner", "non"),
            [],
            ("emploi",),
        ),
        (
            (("r2", "decliner", "non", None), ("r3", "injoignable")),
            event("r1", "decliner", "non"),
            [],
            (),  # r3 still holds the need: it tries to reach the structure
        ),
        (
            (("r2", "prendre"), ("r3", "decliner", "non", None)),
            event("r1", "decliner", "non"),
            [],
            (),
        ),
        # Taken again after a decline (a flip back and forth): nobody is mailed again.
        ((("r1", "prendre"), ("r1", "decliner", "non", None)), event("r1", "prendre"), [], ()),
        (
            (("r2", "prendre"),),
            event("r1", "prendre"),
            [
                Mail("pris-demandeur", REQUESTER),
                Mail("pris-reseau", "r2"),
                Mail("pris-reseau", "r3"),
            ],
            (),
        ),
        (
            (),
            event(REQUESTER, "plus-besoin"),
            [Mail("plus-besoin", "r1"), Mail("plus-besoin", "r2"), Mail("plus-besoin", "r3")],
            (),
        ),
    ],
)
def test_effects_of_an_action(
    steps: tuple[tuple[str, str], ...], new: Event, mails: list[Mail], reroute: tuple[str, ...]
) -> None:
    result = effects(dossier(*steps), new)
    assert list(result.mails) == mails
    assert result.reroute == reroute


def test_erasure_is_an_effect() -> None:
    assert effects(dossier(), event(REQUESTER, "effacer")).erase
