"""A commune as a visitor gives it: code, postcode, name, « Nom (59) »."""

from __future__ import annotations

from collections import Counter

import pytest

from generator.content.places import find_commune, find_department, label
from generator.content.territories import communes

CASES = [
    # (text, department chosen, typed by a person, INSEE code found, or the start of the error)
    ("Roubaix", None, True, "59512"),
    ("  ROUBAIX ", None, True, "59512"),
    ("Roubaix (59)", None, True, "59512"),
    ("Lille (59000)", None, True, "59350"),
    ("59000 Lille", "59", True, "59350"),
    ("59100", None, True, "59512"),  # a person types a postcode
    ("59100", None, False, "59100"),  # a program sends an INSEE code (Bousignies)
    ("COM-59100", None, True, "59100"),
    ("59512", None, True, "59512"),  # not a postcode: the INSEE code
    ("St Omer", "62", True, "62765"),
    ("Saint-Denis", "93", True, "93066"),
    ("Ajaccio (2A)", None, True, "2A004"),
    ("97411", None, False, "97411"),
    ("Saint-Denis", None, True, "plusieurs communes s'appellent Saint-Denis"),
    ("62000", "62", True,
     "plusieurs communes ont le code postal 62000 (Arras (62), Dainville (62))"),
    ("Roubiax", "59", True, "commune inconnue : « Roubiax ». Vouliez-vous dire Roubaix (59) ?"),
    ("Roubaix", "80", True, "Roubaix (59) n'est pas dans le département choisi, Somme (80)"),
    ("00000", None, True, "aucune commune n'a le code postal ou le code INSEE « 00000 »"),
    ("COM-99999", None, True, "code commune inconnu « COM-99999 »"),
    ("", None, True, "indiquez le nom ou le code postal de la commune"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "departement", "typed", "expected"), CASES)
def test_find_commune(text: str, departement: str | None, typed: bool, expected: str) -> None:
    commune, reason = find_commune(text, departement, typed=typed)
    if expected[0].isdigit():
        assert reason is None and commune is not None and commune.code == expected
    else:
        assert commune is None and reason is not None and reason.startswith(expected)


def test_the_label_names_one_commune() -> None:
    """« Nom (département) » reads back to its commune: no department has two communes of
    the same name."""
    rows = communes().communes.values()
    assert max(Counter((c.departement, c.nom) for c in rows).values()) == 1
    roubaix = communes().communes["59512"]
    assert label(roubaix) == "Roubaix (59)"
    assert find_commune(label(roubaix))[0] == roubaix


@pytest.mark.parametrize(("text", "expected"), [
    ("Nord", "59"), ("59", "59"), ("2a", "2A"), ("nord (59)", "59"), ("Côtes d'Armor", "22"),
    ("Réunion", None), ("La Réunion", "974"), ("Roubaix", None), ("59100", None),
])  # fmt: skip
def test_find_department(text: str, expected: str | None) -> None:
    assert find_department(text) == expected
