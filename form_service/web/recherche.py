"""`GET /recherche`: the home page's search form sent without JavaScript. A static site
cannot read a query string, so the service answers with the page that lists what was asked
for: the department's page (at the first requested need), else the region's, else the
national page of the need, else every aid."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from generator.content import territories, urls
from generator.content.vocabularies import BESOINS


def destination(params: Mapping[str, Sequence[str]]) -> str:
    """Site path for the filters of a search form (unknown values are ignored)."""
    ref = territories.reference()

    def first(name: str, known: Mapping[str, object]) -> str | None:
        return next((v for v in params.get(name, ()) if v in known), None)

    besoin = first("besoin", BESOINS)
    anchor = f"#besoin-{besoin}" if besoin else ""
    departement = first("departement", ref.departments)
    if departement:
        return urls.departement(departement) + anchor
    region = first("region", ref.regions)
    if region:
        return urls.region(region) + anchor
    if besoin:
        return urls.france(besoin)
    return urls.AIDES_PATH


async def redirect(request: Request) -> Response:
    params = {key: request.query_params.getlist(key) for key in request.query_params}
    return RedirectResponse(destination(params), status_code=303)
