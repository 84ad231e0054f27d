"""Needs, not only networks, as tables: who holds which need, each need's status, what a
decline leaves with nobody, « qui s'occupe de quoi »."""

from __future__ import annotations

from datetime import timedelta

import pytest

from form_service.dossiers.model import REQUESTER, SERVICE, Dossier, Event, Recipient
from form_service.dossiers.needs import board, held, need_status, orphaned, untaken
from form_service.dossiers.texts import who_does_what
from tests.form_service.dossiers.test_model import T0

# Sophie's request: cash flow, business model, paperwork; three networks, one need each
# (the Maison des associations also helps with the business model).
NEEDS = ("tresorerie", "modele-economique", "administratif")


def recipient(rid: str, nom: str, needs: tuple[str, ...] | None, role: str = "reseau") -> Recipient:
    return Recipient(rid, role, rid, nom, f"{rid}@reseaux.example", T0, "routage", needs)


SOPHIE = (
    recipient("r1", "DLA du Nord", ("modele-economique",)),
    recipient("r2", "Nord Actif", ("tresorerie",)),
    recipient("r3", "Maison des associations", ("administratif", "modele-economique")),
)
COORDINATOR = recipient("r4", "CRESS", ("administratif",), role="coordination")


def dossier(
    *steps: tuple[str, str] | tuple[str, str, str | None, str | None],
    recipients: tuple[Recipient, ...] = SOPHIE,
) -> Dossier:
    events = []
    for n, step in enumerate(steps, start=1):
        text = step[2] if len(step) > 2 else None
        value = step[3] if len(step) > 3 else None
        events.append(Event(T0 + timedelta(hours=n), step[0], step[1], text, value, n))
    return Dossier("d1", "AID-2026-00001", T0, "59", NEEDS, recipients, tuple(events))


TAKEN_DLA = ("r1", "prendre")
DECLINED_MDA = ("r3", "decliner", "hors champ", None)


@pytest.mark.parametrize(
    ("steps", "expected"),
    [
        ((), ("nouvelle", "nouvelle", "nouvelle")),
        ((TAKEN_DLA,), ("nouvelle", "prise-en-charge", "nouvelle")),
        ((("r3", "prendre"),), ("nouvelle", "prise-en-charge", "prise-en-charge")),
        ((TAKEN_DLA, ("r1", "injoignable")), ("nouvelle", "prise-en-charge", "nouvelle")),
        ((("r2", "injoignable"),), ("nouvelle", "nouvelle", "nouvelle")),  # tried, not taken
        (
            (TAKEN_DLA, ("r1", "terminer", None, "orientee")),
            ("nouvelle", "terminee", "nouvelle"),
        ),
        (
            # Finished by one, still taken by the other: taken.
            (TAKEN_DLA, ("r3", "prendre"), ("r1", "terminer", None, "orientee")),
            ("nouvelle", "prise-en-charge", "prise-en-charge"),
        ),
        ((TAKEN_DLA, ("r1", "decliner", "non", None)), ("nouvelle", "nouvelle", "nouvelle")),
        (
            (TAKEN_DLA, (SERVICE, "sans-suite", None, "tresorerie administratif")),
            ("sans-suite", "prise-en-charge", "sans-suite"),
        ),
        (((SERVICE, "sans-suite"),), ("sans-suite", "sans-suite", "sans-suite")),  # older event
        (
            ((SERVICE, "sans-suite", None, "tresorerie"), ("r2", "prendre")),
            ("prise-en-charge", "nouvelle", "nouvelle"),  # taken late all the same
        ),
        (((REQUESTER, "plus-besoin"),), ("terminee", "terminee", "terminee")),
    ],
)
def test_need_status(steps: tuple[tuple[str, str], ...], expected: tuple[str, ...]) -> None:
    d = dossier(*steps)
    assert tuple(need_status(d, b) for b in NEEDS) == expected


@pytest.mark.parametrize(
    ("steps", "expected"),
    [
        ((), NEEDS),
        ((TAKEN_DLA,), ("tresorerie", "administratif")),  # another need was taken
        ((TAKEN_DLA, ("r2", "prendre"), ("r3", "prendre")), ()),
    ],
)
def test_untaken(steps: tuple[tuple[str, str], ...], expected: tuple[str, ...]) -> None:
    assert untaken(dossier(*steps)) == expected


@pytest.mark.parametrize(
    ("steps", "decliner", "expected"),
    [
        ((), "r3", ("administratif",)),  # the business model stays with the DLA
        ((), "r2", ("tresorerie",)),
        ((("r1", "decliner", "non", None),), "r3", ("administratif", "modele-economique")),
        ((TAKEN_DLA,), "r3", ("administratif",)),
        ((("r1", "injoignable"),), "r3", ("administratif",)),  # r1 still holds its need
        ((), "r9", ()),
    ],
)
def test_a_decline_routes_again_only_the_needs_nobody_else_holds(
    steps: tuple[tuple[str, str], ...], decliner: str, expected: tuple[str, ...]
) -> None:
    assert orphaned(dossier(*steps), decliner) == expected


def test_the_coordinator_holds_what_it_was_given_and_what_nobody_holds() -> None:
    with_coordinator = (*SOPHIE, COORDINATOR)
    d = dossier(recipients=with_coordinator)
    assert held(d, COORDINATOR) == ("administratif",)
    d = dossier(("r2", "decliner", "non", None), recipients=with_coordinator)
    assert held(d, COORDINATOR) == ("tresorerie", "administratif")
    # A recipient of a dossier stored before needs were: every need.
    legacy = recipient("r1", "Ancien", None)
    assert held(dossier(recipients=(legacy,)), legacy) == NEEDS


def test_who_does_what_need_by_need() -> None:
    d = dossier(TAKEN_DLA, DECLINED_MDA)
    lines = board(d)
    assert [line.need for line in lines] == list(NEEDS)
    assert [r.nom for r in lines[1].takers] == ["DLA du Nord"]
    assert [r.nom for r in lines[0].waiting] == ["Nord Actif"]
    assert who_does_what(d) == [
        ("Trésorerie, difficultés financières", "pas encore pris en charge ; reçu par Nord Actif"),
        ("Modèle économique, stratégie", "pris en charge par DLA du Nord"),
        (
            "Démarches administratives, juridiques, montage de dossier",
            "pas encore pris en charge ; le coordinateur de la région le reçoit",
        ),
    ]
