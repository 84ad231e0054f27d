from __future__ import annotations

import pytest

from form_service.requests.schema import from_json, validate
from generator.content.forms.fields import MAX_LENGTH
from tests.form_service.form_support import valid_form

AIDES = {"fonds-emploi-nord"}


def _errors(**changes: str | list[str]) -> dict[str, str]:
    return validate(valid_form(**changes), AIDES)[1]


def test_valid_form_is_normalised() -> None:
    submission, errors = validate(
        valid_form(identifiant=" w123456789 ", besoins=["emploi", "tresorerie"]), AIDES
    )
    assert errors == {}
    assert submission is not None
    assert submission.identifiant == "W123456789"
    assert submission.telephone == "+33320123456"
    assert submission.besoins == ("tresorerie", "emploi")  # vocabulary order


@pytest.mark.parametrize(
    ("identifiant", "error"),
    [
        ("73282932000074", None),  # valid SIRET
        ("732 829 320 00074", None),
        ("35600000000048", None),  # La Poste head office
        ("35600000049837", None),  # La Poste establishment: digit sum multiple of 5
        ("73282932000075", "ce SIRET n'est pas valide"),
        ("00000000000000", "ce SIRET n'est pas valide"),
        ("35600000000049", "ce SIRET n'est pas valide"),
        ("W12345678", "format non reconnu"),
        ("X123456789", "format non reconnu"),
        ("", None),
    ],
)
def test_identifiant(identifiant: str, error: str | None) -> None:
    errors = _errors(identifiant=identifiant)
    if error is None:
        assert "identifiant" not in errors
    else:
        assert errors["identifiant"].startswith(error)


@pytest.mark.parametrize(
    ("departement", "telephone", "expected"),
    [
        ("59", "03 20 12 34 56", "+33320123456"),
        ("974", "0262 12 34 56", "+262262123456"),
        ("971", "0690 12 34 56", "+590690123456"),
        ("972", "0696 12 34 56", "+596696123456"),
        ("973", "0694 20 12 34", "+594694201234"),
        ("976", "0269 61 23 45", "+262269612345"),
        ("974", "+33 6 12 34 56 78", "+33612345678"),
    ],
)
def test_phone_by_department(departement: str, telephone: str, expected: str) -> None:
    submission, errors = validate(valid_form(departement=departement, telephone=telephone), AIDES)
    assert errors == {}
    assert submission is not None and submission.telephone == expected


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"telephone": "12"}, "telephone", "numéro de téléphone invalide"),
        ({"email": "a@b"}, "email", "adresse électronique invalide"),
        ({"email": "a@exemple.fr\r\nBcc: x@y.fr"}, "email", "une seule ligne attendue"),
        ({"nom": "Marie\nBcc: x@y.fr"}, "nom", "une seule ligne attendue"),
        ({"structure": "a\x00b"}, "structure", "caractères de contrôle"),
        ({"structure": "Asso\x85"}, "structure", "caractères de contrôle"),  # C1
        ({"message": "Bonjour\x00"}, "message", "caractères de contrôle"),
        ({"nom": "Marie \u202eenimaC"}, "nom", "caractères de contrôle du sens d'écriture"),
        ({"nom": "Marie \u2068x"}, "nom", "caractères de contrôle du sens d'écriture"),
        ({"structure": "Asso \ud800"}, "structure", "caractère invalide (demi-paire"),
        ({"structure": "=?utf-8?q?Asso=0D=0ABcc:_x@y.test?="}, "structure",
         "la suite « =? … ?= »"),
        ({"structure": "x" * (MAX_LENGTH["structure"] + 1)}, "structure", "trop long : 200"),
        ({"message": "x" * (MAX_LENGTH["message"] + 1)}, "message", "trop long : 3000"),
        ({"consentement": ""}, "consentement", "cochez cette case"),
        ({"consentement": "non"}, "consentement", "cochez cette case"),
        ({"besoins": []}, "besoins", "cochez au moins un besoin"),
        ({"besoins": ["tresorerie", "emploi", "locaux", "numerique", "creation", "formation"]},
         "besoins", "cochez 5 besoins au plus"),
        ({"besoins": ["tresorerie", "piscine"]}, "besoins", "valeur inconnue"),
        ({"forme": "sarl"}, "forme", "valeur inconnue"),
        ({"effectif": "2"}, "effectif", "valeur inconnue"),
        ({"secteur": "tous"}, "secteur", "valeur inconnue"),  # content-only value
        ({"etape": "fin"}, "etape", "valeur inconnue"),
        ({"departement": "DEP-59"}, "departement", "valeur inconnue"),
        ({"aide": "inconnue"}, "aide", "aide inconnue"),
        ({"structure": ["a", "b"]}, "structure", "une seule valeur attendue"),
        ({"nom": "   "}, "nom", "ce champ est obligatoire"),
    ],
)  # fmt: skip
def test_errors(changes: dict[str, str | list[str]], field: str, message: str) -> None:
    errors = _errors(**changes)
    assert list(errors) == [field]
    assert errors[field].startswith(message)


def test_every_error_at_once_in_form_order() -> None:
    errors = validate({}, AIDES)[1]
    assert list(errors) == [
        "structure", "forme", "effectif", "departement", "secteur", "besoins", "nom", "email",
        "telephone", "consentement",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"telephone": ""}, {"telephone": "indiquez un numéro pour être rappelé"}),
        ({"telephone": "", "contact": "telephone"}, {"telephone": "indiquez un numéro"}),
        ({"telephone": "", "contact": "courriel"}, {}),
        ({"contact": "courriel"}, {}),  # a phone all the same: kept
        ({"telephone": "12"}, {"telephone": "numéro de téléphone invalide"}),
        ({"contact": "pigeon"}, {"contact": "valeur inconnue"}),
    ],
)
def test_a_callback_needs_a_phone_unless_mail_is_preferred(
    changes: dict[str, str], expected: dict[str, str]
) -> None:
    errors = _errors(**changes)
    assert set(errors) == set(expected)
    for field, start in expected.items():
        assert errors[field].startswith(start)


def test_the_preferred_contact_is_kept() -> None:
    submission, errors = validate(valid_form(telephone="", contact="courriel"), AIDES)
    assert errors == {} and submission is not None
    assert submission.contact == "courriel" and submission.telephone is None
    phoned, _ = validate(valid_form(), AIDES)
    assert phoned is not None and phoned.contact == "telephone"


def test_from_json() -> None:
    raw, errors = from_json({"besoins": ["emploi"], "consentement": True, "etape": None})
    assert errors == {}
    assert raw == {"besoins": ["emploi"], "consentement": "oui", "etape": ""}
    assert from_json({"nom": 3})[1] == {"nom": "type invalide : texte attendu"}


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("structure", "Asso =? sans fin"),  # "=?" alone is no encoded word
        ("message", "Le sujet était =?utf-8?q?x?= : que faire ?"),  # never in a header
        ("message", "Deux lignes\r\net une tabulation\t"),
    ],
)
def test_accepted_lookalikes(field: str, value: str) -> None:
    assert _errors(**{field: value}) == {}


@pytest.mark.parametrize(("commune", "typed", "expected", "error"), [
    ("", True, None, None),  # optional: the department is enough
    ("Roubaix", True, "59512", None),
    ("roubaix (59)", True, "59512", None),  # what the suggestions fill in
    ("59100", True, "59512", None),  # typed: Roubaix's postcode
    ("59100", False, "59100", None),  # JSON: the INSEE code of Bousignies
    ("59000 Lille", True, "59350", None),
    ("Amiens", True, None, "Amiens (80) n'est pas dans le département choisi, Nord (59)"),
    ("Roubiax", True, None, "commune inconnue : « Roubiax ». Vouliez-vous dire Roubaix (59) ?"),
    ("59310", True, None, "plusieurs communes ont le code postal 59310"),
])  # fmt: skip
def test_commune(commune: str, typed: bool, expected: str | None, error: str | None) -> None:
    submission, errors = validate(valid_form(commune=commune), AIDES, typed=typed)
    if error is None:
        assert errors == {} and submission is not None
        assert submission.commune == expected
        assert submission.profile.commune == expected
    else:
        assert errors["commune"].startswith(error)


def test_a_request_without_commune_keeps_its_fingerprint() -> None:
    """Requests stored before the commune existed are still recognised as duplicates."""
    without, _ = validate(valid_form(), AIDES)
    with_one, _ = validate(valid_form(commune="Roubaix"), AIDES)
    assert without is not None and with_one is not None
    # valid_form()'s fingerprint before the commune existed (its JSON had no such key)
    assert without.fingerprint() == (
        "aceb9f5e31aed528c8daa71e7f33c6d672477cb924bd079af75e13f0af9c20e6"
    )
    assert with_one.fingerprint() != without.fingerprint()
