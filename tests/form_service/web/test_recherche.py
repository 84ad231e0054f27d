"""The home page's search form without JavaScript: the service answers with a listing page."""

from __future__ import annotations

import pytest

from form_service.web.recherche import destination
from generator.content import urls
from tests.form_service.conftest import TestClient


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"departement": ["59"], "besoin": ["emploi"]}, urls.departement("59") + "#besoin-emploi"),
        ({"departement": ["", "2A"], "q": ["locaux"]}, urls.departement("2A")),
        ({"departement": ["999"], "region": ["53"]}, urls.region("53")),
        ({"besoin": ["nope", "tresorerie"]}, urls.france("tresorerie")),
        ({"q": ["ANS"]}, urls.AIDES_PATH),
        ({}, urls.AIDES_PATH),
        # A commune leads to its department, by name or postcode, before the department
        ({"commune": ["Roubaix"], "besoin": ["emploi"]}, urls.departement("59") + "#besoin-emploi"),
        ({"commune": ["80000"], "departement": [""]}, urls.departement("80")),
        (
            {"commune": ["Nord"], "besoin": ["tresorerie"]},
            urls.departement("59") + "#besoin-tresorerie",
        ),
        ({"commune": ["2a"]}, urls.departement("2A")),
    ],
)
def test_destination(params: dict[str, list[str]], expected: str) -> None:
    assert destination(params) == expected


def test_search_form_without_javascript_is_redirected(client: TestClient) -> None:
    response = client.get("/recherche?q=&departement=35&secteur=culture")
    assert response.status_code == 303
    assert response.headers["location"] == urls.departement("35")


def test_a_commune_the_service_cannot_tell_gets_a_french_page(client: TestClient) -> None:
    response = client.get("/recherche?departement=59&commune=Roubiax")
    assert response.status_code == 422
    assert "Commune : commune inconnue : « Roubiax ». Vouliez-vous dire Roubaix (59) ?" in (
        response.text
    )
    assert 'href="/">Revenir à la recherche' in response.text
