"""HTTP handlers: POST /demandes (docs/interfaces.md §6) and GET /sante."""

from __future__ import annotations

import logging
import secrets
import time
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from form_service.db.database import Database, DatabaseBusy
from form_service.db.quotas import RateSlot, slot_key
from form_service.demandes.save import save
from form_service.dossiers.opening import new_dossier, with_keys
from form_service.outbox.worker import Runner
from form_service.requests import mail_plan
from form_service.requests.profiles import Planner
from form_service.requests.queries import Pending, new_id
from form_service.requests.schema import FIELDS, MULTILINE, validate
from form_service.settings import Settings
from form_service.web import intake
from form_service.web.abuse import RateLimiter
from form_service.web.endpoint import Endpoint
from form_service.web.pages import FormPage, error_page
from generator.content import urls
from generator.content.catalog import Catalog

log = logging.getLogger("aidess.demandes")


@dataclass
class Service:
    """What the handlers share, built once at start-up."""

    settings: Settings
    catalog: Catalog
    storage: Database
    limiter: RateLimiter
    form_page: FormPage
    planner: Planner
    runner: Runner | None = None


def _service(request: Request) -> Service:
    service: Service = request.app.state.service
    return service


DEMANDES = intake.Form(
    "demandes",
    known=frozenset(FIELDS),
    lists=frozenset({"besoins"}),
    multiline=MULTILINE,
    noun="demandes",
)


async def demandes(request: Request) -> Response:
    service = _service(request)
    got = await ENDPOINT.read(request, service.settings, service.limiter)
    if isinstance(got, Response):
        return got
    return await _handle(request, service, got)


def _refusal(as_json: bool, exc: intake.Refused) -> Response:
    if as_json:
        return JSONResponse({"erreurs": {"_": exc.message}}, exc.status, headers=exc.headers)
    if exc.aborted:
        return Response(status_code=400)  # nobody is left to read it
    page = error_page(exc.title, exc.message, back=urls.FORM_PATH)
    return HTMLResponse(page, exc.status, headers=exc.headers)


ENDPOINT = Endpoint(DEMANDES, _refusal)


async def _handle(request: Request, service: Service, got: intake.Intake) -> Response:
    settings, raw, as_json, key = service.settings, got.fields, got.as_json, got.client
    if got.robot:
        service.limiter.hit(key)
        fake = f"AID-{date.today().year}-{secrets.randbelow(99999) + 1:05d}"  # looks the same
        return _success(as_json, settings, new_id(time.time()), [], fake)
    submission, errors = validate(raw, service.catalog.aides, typed=not as_json)
    if submission is None:
        if as_json:
            return JSONResponse({"erreurs": errors}, 422)
        action = str(request.url_for("demandes"))
        page = service.form_page.render(action, raw, errors)
        return HTMLResponse(page, 422)
    profile, today = submission.profile, date.today()
    plan = service.planner.cached(profile, today)
    if plan is None:  # first request with this profile: tens of ms on a large catalogue
        plan = await run_in_threadpool(service.planner.plan, profile, today)
    now = time.time()
    request_id = new_id(now)
    dossier = new_dossier(submission, plan.snapshot, settings.fallback_email, now)
    mails = mail_plan.plan(
        request_id, plan.snapshot, submission.email, settings.fallback_email, settings.mail_from
    )
    limit = settings.rate_limit
    pending = Pending(
        request_id=request_id,
        submission=submission,
        reseaux=plan.reseaux,
        fallback=plan.routing.fallback,
        snapshot_json=plan.snapshot_json,
        mails=with_keys(mails, dossier),
        created=now,
        rate=RateSlot(slot_key(key), limit.count, limit.period),
    )
    saved = await ENDPOINT.store(service.storage, as_json, save, service.storage, pending, dossier)
    if isinstance(saved, Response):
        return saved
    if saved.duplicate:
        log.info("demande %s reçue à nouveau (doublon ignoré)", saved.id)
    else:
        service.limiter.hit(key)
        log.info(
            "demande %s (%s) enregistrée : %s", saved.id, saved.reference,
            ", ".join(saved.reseaux) or f"adresse de secours ({plan.routing.fallback_reason})",
        )  # fmt: skip
        if service.runner is not None:
            service.runner.poke()
    return _success(
        as_json, settings, saved.id, saved.reseaux, saved.reference, saved.requester_key
    )


def _success(
    as_json: bool,
    settings: Settings,
    request_id: str,
    reseaux: list[str],
    reference: str | None,
    requester_key: str | None = None,
) -> Response:
    if as_json:
        answer: dict[str, object] = {"id": request_id, "reseaux": reseaux}
        if reference:
            answer["reference"] = reference
        return JSONResponse(answer, 201)
    if requester_key:
        # The confirmation is the requester's own dossier page: the reference, who received
        # the request and their contacts, what happens next, and the link to keep.
        query = urlencode({"cle": requester_key, "envoyee": "1"})
        return RedirectResponse(f"{settings.site_url}/dossiers/{request_id}?{query}", 303)
    return RedirectResponse(settings.site_url + urls.CONFIRMATION_PATH, 303)


async def sante(request: Request) -> Response:
    storage = _service(request).storage
    try:
        healthy = await storage.run(storage.healthy)
    except DatabaseBusy:
        healthy = False
    if healthy:
        return JSONResponse({"etat": "ok"})
    return JSONResponse({"etat": "base inaccessible"}, 503)
