"""The dossier rules as tables: statuses, state, allowed actions."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from form_service.dossiers.model import (
    REQUESTER,
    SERVICE,
    Dossier,
    Event,
    Recipient,
    Refused,
    allowed,
    check,
    excluded_networks,
    requester_view,
    state,
    status,
)
from form_service.dossiers.workdays import PARIS

T0 = datetime(2026, 12, 1, 10, tzinfo=PARIS)


def recipient(rid: str, slug: str) -> Recipient:
    return Recipient(rid, "reseau", slug, slug.upper(), f"{slug}@reseaux.example", T0, "routage")


THREE = (recipient("r1", "dla"), recipient("r2", "fa"), recipient("r3", "culture"))


def dossier(*steps: tuple[str, str] | tuple[str, str, str | None, str | None]) -> Dossier:
    events = []
    for n, step in enumerate(steps, start=1):
        actor, action = step[0], step[1]
        text = step[2] if len(step) > 2 else None
        value = step[3] if len(step) > 3 else None
        events.append(Event(T0 + timedelta(hours=n), actor, action, text, value, n))
    return Dossier("d1", "AID-2026-00001", T0, "59", ("emploi",), THREE, tuple(events))


@pytest.mark.parametrize(
    ("steps", "expected"),
    [
        ((), "nouvelle"),
        ((("r1", "prendre"),), "prise-en-charge"),
        ((("r1", "noter", "x", None),), "nouvelle"),
        ((("r2", "prendre"),), "nouvelle"),  # another network's action
        ((("r1", "decliner", "hors champ", None),), "pas-pour-nous"),
        ((("r1", "prendre"), ("r1", "injoignable")), "injoignable"),
        ((("r1", "prendre"), ("r1", "terminer", None, "aide-obtenue")), "terminee"),
        ((("r1", "decliner", "non", None), ("r1", "prendre")), "prise-en-charge"),
    ],
)
def test_recipient_status(steps: tuple[tuple[str, str], ...], expected: str) -> None:
    assert status(dossier(*steps), "r1") == expected


@pytest.mark.parametrize(
    ("steps", "expected"),
    [
        ((), "en-attente"),
        ((("r1", "noter", "x", None),), "en-attente"),
        ((("r2", "prendre"),), "prise-en-charge"),
        ((("r2", "prendre"), ("r2", "injoignable")), "prise-en-charge"),
        ((("r2", "prendre"), ("r2", "decliner", "non", None)), "en-attente"),
        ((("r1", "injoignable"),), "en-attente"),  # tried, never took it
        ((("r1", "prendre"), ("r1", "terminer", None, "orientee")), "prise-en-charge"),
        (
            (
                ("r1", "prendre"),
                ("r1", "terminer", None, "orientee"),
                ("r2", "decliner", "non", None),
                ("r3", "decliner", "non", None),
            ),
            "terminee",
        ),
        (tuple(("r" + n, "decliner", "non", None) for n in "123"), "en-attente"),
        (((SERVICE, "sans-suite"),), "sans-suite"),
        (((SERVICE, "sans-suite"), ("r3", "prendre")), "prise-en-charge"),
        (((REQUESTER, "plus-besoin"),), "terminee"),
        ((("r1", "prendre"), (REQUESTER, "plus-besoin")), "terminee"),
    ],
)
def test_dossier_state(steps: tuple[tuple[str, str], ...], expected: str) -> None:
    assert state(dossier(*steps)) == expected


@pytest.mark.parametrize(
    ("steps", "actor", "expected"),
    [
        ((), "r1", ("prendre", "decliner", "injoignable", "noter", "transmettre")),
        (
            (("r1", "prendre"),),
            "r1",
            ("injoignable", "terminer", "decliner", "noter", "transmettre"),
        ),
        ((("r1", "decliner", "non", None),), "r1", ("prendre", "noter")),
        (
            (("r1", "prendre"), ("r1", "terminer", None, "accompagnee")),
            "r1",
            ("noter", "transmettre"),
        ),
        ((), "r9", ()),  # not on the dossier
        ((), REQUESTER, ("plus-besoin", "effacer")),
        (((REQUESTER, "plus-besoin"),), REQUESTER, ("effacer",)),
        (((REQUESTER, "plus-besoin"),), "r1", ("noter",)),
        ((), SERVICE, ()),
    ],
)
def test_allowed_actions(
    steps: tuple[tuple[str, str], ...], actor: str, expected: tuple[str, ...]
) -> None:
    assert allowed(dossier(*steps), actor) == expected


@pytest.mark.parametrize(
    ("actor", "action", "text", "value", "message"),
    [
        ("r1", "terminer", None, "aide-obtenue", "pas possible"),  # not taken yet
        ("r1", "decliner", "  ", None, "motif"),
        ("r1", "noter", "", None, "vide"),
        ("r1", "noter", "x" * 3001, None, "3000 caractères"),
        ("r1", "transmettre", None, "fa", "déjà destinataire"),
        ("r1", "transmettre", None, None, "Choisissez"),
        ("r1", "envoyer", None, None, "pas possible"),
        ("r9", "prendre", None, None, "pas possible"),
    ],
)
def test_refused_actions_say_why_in_french(
    actor: str, action: str, text: str | None, value: str | None, message: str
) -> None:
    with pytest.raises(Refused, match=message):
        check(dossier(), actor, action, text, value)


def test_checked_values_are_cleaned() -> None:
    assert check(dossier(), "r1", "decliner", "  hors champ  ", "x") == ("hors champ", None)
    taken = dossier(("r1", "prendre"))
    assert check(taken, "r1", "terminer", None, "orientee") == (None, "orientee")
    with pytest.raises(Refused):
        check(taken, "r1", "terminer", None, "inconnue")


def test_requester_never_sees_notes_nor_motifs() -> None:
    d = dossier(
        ("r1", "noter", "secret", None), ("r2", "decliner", "motif", None), ("r3", "prendre")
    )
    assert [e.action for e in requester_view(d)] == ["prendre"]


def test_rerouting_skips_every_network_already_on_the_dossier() -> None:
    assert excluded_networks(dossier()) == {"dla", "fa", "culture"}
