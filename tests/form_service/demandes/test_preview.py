"""GET /demandes/apercu: who would receive a request, before it is sent."""

from __future__ import annotations

from tests.form_service.conftest import TestClient

QUERY = "departement=59&forme=association&effectif=1-3&secteur=culture"


def test_preview_names_the_networks_and_their_reasons(client: TestClient) -> None:
    answer = client.get(f"/demandes/apercu?{QUERY}&besoins=tresorerie&besoins=numerique")
    assert answer.status_code == 200
    data = answer.json()
    assert [r["slug"] for r in data["reseaux"]] == ["culture-hdf", "numerique-national"]
    culture = data["reseaux"][0]
    assert culture["nom"] == "Culture Hdf"
    assert any("Nord" in reason for reason in culture["raisons"])
    assert culture["besoins"] == ["Trésorerie, difficultés financières"]
    assert data["fallback"] is False and data["besoins_non_couverts"] == []
    assert "email" not in culture  # the preview is for the visitor: no routing addresses


def test_preview_follows_the_aid_and_says_what_is_not_covered(client: TestClient) -> None:
    data = client.get(
        f"/demandes/apercu?{QUERY}&besoins=tresorerie,locaux&aide=fonds-emploi-nord"
    ).json()
    assert data["reseaux"][0]["slug"] == "france-active-hdf"  # listed on the aid
    assert data["besoins_non_couverts"] == ["Locaux, matériel"]


def test_preview_fallback_and_errors(client: TestClient) -> None:
    data = client.get(
        "/demandes/apercu?departement=971&forme=association&effectif=0&secteur=sport"
        "&besoins=creation"
    ).json()
    assert data == {"reseaux": [], "fallback": True, "besoins_non_couverts": ["Créer sa structure"]}
    bad = client.get("/demandes/apercu?departement=999&forme=x&besoins=inconnu")
    assert bad.status_code == 422
    assert set(bad.json()["erreurs"]) == {"departement", "forme", "effectif", "secteur", "besoins"}
    assert client.get("/demandes").status_code == 405  # POST only, as before


def test_preview_reads_the_commune_as_typed(client: TestClient) -> None:
    """The reasons name the commune typed (by name or postcode); one the form would refuse
    changes nothing yet."""
    for commune in ("Roubaix", "59100", "Roubaix%20(59)"):
        data = client.get(f"/demandes/apercu?{QUERY}&besoins=tresorerie&commune={commune}").json()
        assert (
            "Couvre la région Hauts-de-France, où se trouve Roubaix (59)"
            in (data["reseaux"][0]["raisons"])
        )
    data = client.get(f"/demandes/apercu?{QUERY}&besoins=tresorerie&commune=Roubiax").json()
    assert (
        "Couvre la région Hauts-de-France, où se trouve Nord (59)" in data["reseaux"][0]["raisons"]
    )
