"""French answers for what the routes do not handle themselves: unknown path (404), wrong
method (405), an unexpected error (500) and a refused CORS preflight. HTML for browsers,
JSON for JSON clients (Accept or Content-Type application/json)."""

from __future__ import annotations

import logging
from collections.abc import Mapping

from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response

from form_service.web.pages import error_page

log = logging.getLogger("aidess")

MESSAGES: dict[int, tuple[str, str]] = {
    400: ("Requête invalide", "La requête est mal formée."),
    404: ("Page introuvable", "Cette adresse n'existe pas sur le service AidESS."),
    405: ("Méthode non autorisée", "Cette adresse n'accepte pas cette méthode."),
    413: ("Demande trop volumineuse", "La demande est trop longue."),
    500: (
        "Erreur du service",
        "Une erreur inattendue s'est produite ; rien n'a été enregistré. Réessayez dans "
        "quelques minutes.",
    ),
}
CORS_REFUSED = (
    "Requête refusée : cette origine, cette méthode ou ces en-têtes ne sont pas autorisés "
    "pour le service AidESS."
)


def wants_json(headers: Headers) -> bool:
    accept = headers.get("accept", "").lower()
    content_type = headers.get("content-type", "").lower()
    return "application/json" in accept or content_type.startswith("application/json")


def french(
    headers: Headers, status: int, title: str, message: str, extra: Mapping[str, str] | None = None
) -> Response:
    if wants_json(headers):
        return JSONResponse({"erreurs": {"_": message}}, status, headers=extra)
    return HTMLResponse(error_page(title, message), status, headers=extra)


async def http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    title, message = MESSAGES.get(exc.status_code, ("Erreur", "La requête n'a pas abouti."))
    return french(request.headers, exc.status_code, title, message, exc.headers)


async def server_error(request: Request, exc: Exception) -> Response:
    title, message = MESSAGES[500]
    return french(request.headers, 500, title, message)


class FrenchCORSMiddleware(CORSMiddleware):
    """Starlette's CORS handling, with its refusal in French."""

    def preflight_response(self, request_headers: Headers) -> Response:
        response = super().preflight_response(request_headers)
        if response.status_code != 400:
            return response
        keep = {k: v for k, v in response.headers.items() if k.lower().startswith("access-control")}
        keep["vary"] = "Origin"
        return french(request_headers, 400, "Requête refusée", CORS_REFUSED, keep)
