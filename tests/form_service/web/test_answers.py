"""Defect 12 (issue 9): 404, 405, 500 and the CORS refusal in French, HTML for browsers and
JSON for JSON clients."""

from __future__ import annotations

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response

from tests.form_service.conftest import TestClient
from tests.form_service.form_support import SITE

BROWSER = {"accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
JSON = {"accept": "application/json"}


@pytest.mark.parametrize(
    ("method", "path", "status", "text"),
    [
        ("GET", "/nulle-part", 404, "Cette adresse n'existe pas sur le service AidESS."),
        ("GET", "/demandes", 405, "Cette adresse n'accepte pas cette méthode."),
        ("DELETE", "/sante", 405, "Cette adresse n'accepte pas cette méthode."),
    ],
)
def test_404_and_405_in_french(
    client: TestClient, method: str, path: str, status: int, text: str
) -> None:
    page = client.request(method, path, headers=BROWSER)
    assert page.status_code == status
    assert page.headers["content-type"].startswith("text/html")
    assert '<html lang="fr">' in page.text and text.replace("'", "&#x27;") in page.text
    data = client.request(method, path, headers=JSON)
    assert data.status_code == status
    assert data.json() == {"erreurs": {"_": text}}


def test_500_in_french_without_traceback(app: Starlette) -> None:
    async def boom(request: Request) -> Response:
        raise RuntimeError("panne interne")

    app.add_route("/panne", boom)
    with TestClient(app, raise_server_exceptions=False) as client:
        page = client.get("/panne", headers=BROWSER)
        data = client.get("/panne", headers=JSON)
    assert page.status_code == 500 and '<html lang="fr">' in page.text
    assert "Une erreur inattendue s&#x27;est produite" in page.text
    assert "Traceback" not in page.text and "panne interne" not in page.text
    assert data.status_code == 500
    assert data.json()["erreurs"]["_"].startswith("Une erreur inattendue s'est produite")


def test_cors_refusal_in_french(client: TestClient) -> None:
    answer = client.options(
        "/demandes",
        headers={
            "Origin": "https://evil.example",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
            **JSON,
        },
    )
    assert answer.status_code == 400
    assert "access-control-allow-origin" not in answer.headers
    assert answer.json()["erreurs"]["_"].startswith("Requête refusée : cette origine")
    allowed = client.options(
        "/demandes",
        headers={"Origin": SITE, "Access-Control-Request-Method": "POST"},
    )
    assert allowed.status_code == 200
