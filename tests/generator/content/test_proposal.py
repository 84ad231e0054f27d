"""A proposal as the form sends it, checked by validate's rules (generator/content/proposal.py):
names become territory codes, every error lands on its form field, in French."""

from __future__ import annotations

from datetime import date

import pytest

from generator.content.proposal import check, territory, to_file

TODAY = date(2026, 12, 6)
VALID: dict[str, str | list[str]] = {
    "titre": "Aide « Émergence » : l'ESS",
    "resume": "Un accompagnement pour lancer un projet.",
    "pour_qui": "Porteurs de projet d'ESS en Bretagne.",
    "porteurs": "Région Bretagne",
    "natures": ["accompagnement"],
    "besoins": ["creation"],
    "secteurs": ["tous"],
    "structures": ["association", "cooperative"],
    "territoires": ["Bretagne"],
    "recurrence": "permanente",
    "source": "https://www.bretagne.bzh/aides/emergence/",
    "description": "Un accompagnement de six mois.",
}


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("France entière", "FR"),
        ("Hauts-de-France", "REG-32"),
        ("Nord (59)", "DEP-59"),
        ("DEP-2A", "DEP-2A"),
        ("Roubaix (59)", "COM-59512"),
        ("59100", "COM-59512"),  # a postcode, as a person types it
        ("Métropole Européenne de Lille", "EPCI-200093201"),
    ],
)
def test_a_territory_by_its_name(typed: str, code: str) -> None:
    assert territory(typed) == (code, None)


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("Saint-Denis", "Plusieurs territoires correspondent à « Saint-Denis »"),
        ("Atlantide", "Territoire inconnu « Atlantide » : choisissez une région"),
    ],
)
def test_a_territory_no_name_fits(typed: str, said: str) -> None:
    code, why = territory(typed)
    assert code is None and why is not None and why.startswith(said)


def test_a_valid_proposal_becomes_its_file() -> None:
    proposal, errors = check(VALID, TODAY)
    assert errors == {} and proposal is not None
    assert proposal.slug == "aide-emergence-l-ess"
    text = to_file(proposal)
    assert text.startswith("---\ntitre: 'Aide « Émergence » : l''ESS'\n")
    assert "territoires:\n- REG-53\n" in text
    assert "mise_a_jour: 2026-12-06\n---\nUn accompagnement de six mois.\n" in text


@pytest.mark.parametrize(
    ("changed", "field", "said"),
    [
        ({"titre": ""}, "titre", "Ce champ est obligatoire."),
        ({"structures": []}, "structures", "Cochez au moins une case."),
        ({"porteurs": "  "}, "porteurs", "Indiquez au moins un organisme."),
        ({"pour_qui": "x" * 161}, "pour_qui", "Trop long : 160 caractères au plus"),
        ({"cloture": "2026-02-30"}, "cloture", "Date impossible « 2026-02-30 »"),
        ({"ouverture": "2027-05-01", "cloture": "2027-04-01"}, "cloture", "La clôture"),
        ({"montant_min": "5 000", "montant_max": "1000"}, "montant_min", "Le minimum (5000 €)"),
        ({"effectif_min": "beaucoup"}, "effectif_min", "Doit être un nombre entier"),
        ({"recurrence": "recurrente"}, "periode", "Dites quand ont lieu les sessions"),
        ({"periode": "en mars"}, "periode", "La période ne sert qu'aux aides récurrentes"),
        ({"source": "https://www.example.org/x"}, "source", "Adresse d'exemple"),
        ({"description": ""}, "description", "Décrivez l'aide"),
        ({"email": "lea@asso.fr"}, "consentement", "Cochez la case"),
        ({"exclusions": ["Lille (59)"]}, "exclusions", "COM-59350 n'est pas dans"),
    ],
)
def test_each_error_on_its_field(
    changed: dict[str, str | list[str]], field: str, said: str
) -> None:
    proposal, errors = check({**VALID, **changed}, TODAY)
    assert proposal is None
    assert errors[field].startswith(said), errors


def test_an_aid_already_in_the_directory() -> None:
    _, errors = check(VALID, TODAY, existing={"aide-emergence-l-ess"})
    assert errors == {
        "titre": "Cette aide est déjà dans l'annuaire (/aides/aide-emergence-l-ess/) : pour la "
        "corriger, utilisez « Signaler une erreur » sur sa page."
    }
