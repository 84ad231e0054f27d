"""GET /demandes/apercu?departement=…&forme=…&effectif=…&secteur=…&besoins=…[&etape][&aide]
[&commune]:
who would receive this request, and why (docs/interfaces.md §3), so the form shows it before it is
sent. Anonymous: it reads only the profile, never personal data, and stores nothing."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from form_service.demandes.http import Service
from form_service.requests.dispatch import Profile
from form_service.requests.phones import national
from generator.content.forms.fields import MAX_BESOINS
from generator.content.places import find_commune
from generator.content.territories import reference
from generator.content.vocabularies import BESOINS, EFFECTIFS, ETAPES, SECTEURS, STRUCTURES

CHOICES: dict[str, Mapping[str, str]] = {
    "forme": STRUCTURES,
    "effectif": EFFECTIFS,
    "secteur": SECTEURS,
}


def profile_of(
    values: Mapping[str, str], besoins: Sequence[str], aides: Mapping[str, object]
) -> tuple[Profile | None, dict[str, str]]:
    """The profile in the query, or the French error of each missing or unknown field."""
    errors: dict[str, str] = {}
    departement = values.get("departement", "").upper().removeprefix("DEP-")
    if departement not in reference().departments:
        errors["departement"] = "département manquant ou inconnu"
    for name, vocabulary in CHOICES.items():
        if values.get(name, "") not in vocabulary:
            errors[name] = "valeur manquante ou inconnue"
    wanted = tuple(b for b in BESOINS if b in besoins)
    if not wanted or len(wanted) != len(set(besoins)) or len(wanted) > MAX_BESOINS:
        errors["besoins"] = f"de 1 à {MAX_BESOINS} besoins de la liste"
    etape = values.get("etape") or None
    if etape is not None and etape not in ETAPES:
        errors["etape"] = "valeur inconnue"
    aide = values.get("aide") or None
    if aide is not None and aide not in aides:
        aide = None  # an unknown aid changes nothing to who receives the request
    if errors:
        return None, errors
    # The commune as typed so far: one the form would refuse changes nothing yet (the
    # form says what is wrong with it when it is sent).
    commune, _ = find_commune(values.get("commune", ""), departement)
    profile = Profile(departement, values["forme"], values["effectif"], values["secteur"],
                      wanted, etape, aide, commune.code if commune else None)  # fmt: skip
    return profile, {}


async def apercu(request: Request) -> Response:
    service: Service = request.app.state.service
    query = request.query_params
    values = {k: query.get(k, "") for k in ("departement", "forme", "effectif", "secteur",
                                            "etape", "aide", "commune")}  # fmt: skip
    besoins = [b for item in query.getlist("besoins") for b in item.split(",") if b]
    profile, errors = profile_of(values, besoins, service.catalog.aides)
    if profile is None:
        return JSONResponse({"erreurs": errors}, 422, headers={"Cache-Control": "no-store"})
    plan = service.planner.cached(profile, date.today())
    if plan is None:
        plan = await run_in_threadpool(service.planner.plan, profile, date.today())
    contacts = plan.snapshot.contacts
    body = {
        "reseaux": [
            {"slug": c.slug, "nom": c.nom, "raisons": list(c.raisons),
             "besoins": [BESOINS[b] for b in c.besoins],
             "telephone": national(c.telephone), "site": c.site}
            for c in contacts
        ],
        "fallback": not contacts,
        "besoins_non_couverts": [BESOINS[b] for b in plan.routing.uncovered],
    }  # fmt: skip
    return JSONResponse(body, headers={"Cache-Control": "public, max-age=300"})
