"""`GET /recherche`: the home page's search form sent without JavaScript. A static site
cannot read a query string, so the service answers with the page that lists what was asked
for: the department's page (at the first requested need), else the region's, else the
national page of the need, else every aid. A commune (typed by name or postcode) leads to its
department's page, where the aids of its city and EPCI are listed with their place; one the
service cannot tell gets a French page saying why."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from form_service.web.pages import error_page
from generator.content import places, territories, urls
from generator.content.vocabularies import BESOINS


def destination(params: Mapping[str, Sequence[str]]) -> str:
    """Site path for the filters of a search form (unknown values are ignored)."""
    ref = territories.reference()

    def first(name: str, known: Mapping[str, object]) -> str | None:
        return next((v for v in params.get(name, ()) if v in known), None)

    besoin = first("besoin", BESOINS)
    anchor = f"#besoin-{besoin}" if besoin else ""
    departement = commune_department(params) or first("departement", ref.departments)
    if departement:
        return urls.departement(departement) + anchor
    region = first("region", ref.regions)
    if region:
        return urls.region(region) + anchor
    if besoin:
        return urls.france(besoin)
    return urls.AIDES_PATH


def _commune(params: Mapping[str, Sequence[str]]) -> tuple[str | None, str | None]:
    """The department of the commune asked for (or None when none is), or the French error."""
    text = next((v for v in params.get("commune", ()) if v.strip()), None)
    if text is None:
        return None, None
    named = places.find_department(text)  # the guided entry's « commune ou département »
    if named is not None:
        return named, None
    ref = territories.reference()
    departement = next((v for v in params.get("departement", ()) if v in ref.departments), None)
    commune, reason = places.find_commune(text, departement)
    return (commune.departement, None) if commune else (None, reason)


def commune_department(params: Mapping[str, Sequence[str]]) -> str | None:
    return _commune(params)[0]


async def redirect(request: Request) -> Response:
    params = {key: request.query_params.getlist(key) for key in request.query_params}
    _, reason = _commune(params)
    if reason is not None:
        page = error_page(
            "Commune non reconnue",
            f"Commune : {reason}" + ("" if reason.endswith(("?", ".")) else "."),
            "/",
            "Revenir à la recherche",
        )
        return HTMLResponse(page, 422)
    return RedirectResponse(destination(params), status_code=303)
