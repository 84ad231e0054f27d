"""HTTP handlers: POST /demandes (PRODUCT.md §6) and GET /sante."""

from __future__ import annotations

import logging
import math
import secrets
import time
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlencode

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from form_service import mail_plan
from form_service.abuse import (
    BodyAborted,
    BodyTooLarge,
    BodyTooSlow,
    RateLimiter,
    client_key,
    origin_allowed,
    slot_key,
)
from form_service.abuse import read_body as read_limited
from form_service.dossier_intake import new_dossier, with_keys
from form_service.form_body import (
    FORM_TYPES,
    BadEncoding,
    BadForm,
    DuplicateKey,
    parse_form,
    parse_json,
)
from form_service.outbox import Runner
from form_service.pages import FormPage, error_page
from form_service.profiles import Planner
from form_service.request_queries import RateLimited, RateSlot, new_id
from form_service.schema import Raw, from_json, validate
from form_service.settings import Settings
from form_service.storage import DatabaseError, Pending, Storage
from generator.content import urls
from generator.content.catalog import Catalog
from generator.content.forms.fields import HONEYPOT

log = logging.getLogger("aidess.demandes")
BUSY_RETRY_AFTER = "5"


@dataclass
class Service:
    """What the handlers share, built once at start-up."""

    settings: Settings
    catalog: Catalog
    storage: Storage
    limiter: RateLimiter
    form_page: FormPage
    planner: Planner
    runner: Runner | None = None
    counters: dict[str, int] = field(default_factory=dict)

    def count(self, name: str) -> int:
        self.counters[name] = self.counters.get(name, 0) + 1
        return self.counters[name]


def wait_fr(seconds: int) -> str:
    """A wait as a visitor reads it: « 1 heure », « 1 heure et 5 minutes », « 45 secondes »."""
    if seconds < 60:
        return f"{seconds} seconde{'s' if seconds > 1 else ''}"
    hours, minutes = divmod(math.ceil(seconds / 60), 60)
    parts = []
    if hours:
        parts.append(f"{hours} heure{'s' if hours > 1 else ''}")
    if minutes:
        parts.append(f"{minutes} minute{'s' if minutes > 1 else ''}")
    return " et ".join(parts)


def _service(request: Request) -> Service:
    service: Service = request.app.state.service
    return service


def _problem(as_json: bool, status: int, title: str, message: str, **headers: str) -> Response:
    if as_json:
        return JSONResponse({"erreurs": {"_": message}}, status, headers=headers)
    page = error_page(title, message, back=urls.FORM_PATH)
    return HTMLResponse(page, status, headers=headers)


async def demandes(request: Request) -> Response:
    service, settings = _service(request), _service(request).settings
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    as_json = content_type == "application/json"
    if not origin_allowed(request, settings.allowed_origins):
        service.count("origine_refusee")
        log.warning("origine refusée : %r", request.headers.get("origin"))
        return _problem(as_json, 403, "Accès refusé", "Origine non autorisée.")
    key = client_key(request.client.host if request.client else None)
    wait = service.limiter.retry_after(key)
    if wait is not None:
        return _too_many(service, as_json, wait)
    if not as_json and content_type not in FORM_TYPES:
        return _problem(
            as_json, 415, "Format non accepté",
            "Envoyez le formulaire du site, ou du JSON (application/json).",
        )  # fmt: skip
    try:
        body = await read_limited(request, timeout=settings.body_timeout)
    except BodyTooLarge:
        service.count("trop_gros")
        return _problem(as_json, 413, "Demande trop volumineuse", "La demande est trop longue.")
    except BodyTooSlow:
        service.count("corps_trop_lent")
        log.warning("corps de requête trop lent : abandonné après %.0f s", settings.body_timeout)
        return _problem(
            as_json, 408, "Délai dépassé",
            "La demande a mis trop de temps à arriver : renvoyez-la.", Connection="close",
        )  # fmt: skip
    except BodyAborted:
        service.count("corps_interrompu")
        log.warning("corps de requête interrompu par le client : rien n'est enregistré")
        return Response(status_code=400)  # nobody is left to read it
    try:
        if as_json:
            try:
                raw, errors = from_json(parse_json(body))
            except DuplicateKey as exc:
                return JSONResponse(
                    {"erreurs": {"_": f"champ « {exc} » en double : une seule valeur par champ"}},
                    422,
                )
            except (ValueError, RecursionError):
                return _problem(True, 400, "JSON illisible", "Le corps n'est pas du JSON valide.")
            if raw is None:
                return JSONResponse({"erreurs": errors}, 422)
        else:
            try:
                raw = await parse_form(request.headers, body, content_type == FORM_TYPES[1])
            except BadForm as exc:
                service.count("formulaire_refuse")
                log.warning("formulaire refusé : %s", exc)
                return _problem(
                    False, 400, "Formulaire refusé",
                    "Le formulaire contient trop de champs, des champs trop longs ou un fichier "
                    "joint : renvoyez le formulaire du site.",
                )  # fmt: skip
    except BadEncoding:
        service.count("encodage_invalide")
        if as_json:
            return JSONResponse(
                {"erreurs": {"_": "caractère invalide (demi-paire UTF-16 isolée) dans le JSON"}},
                422,
            )
        return _problem(
            False, 400, "Formulaire illisible",
            "Le formulaire contient des caractères mal encodés (UTF-8 invalide) : renvoyez le "
            "formulaire du site.",
        )  # fmt: skip
    return await _handle(request, service, raw, as_json, key)


def _too_many(service: Service, as_json: bool, wait: int) -> Response:
    service.count("trop_de_demandes")
    log.warning("limite de demandes atteinte pour un client")
    return _problem(
        as_json, 429, "Trop de demandes",
        f"Vous avez envoyé trop de demandes. Réessayez dans {wait_fr(wait)}.",
        **{"Retry-After": str(wait)},
    )  # fmt: skip


async def _handle(
    request: Request, service: Service, raw: Raw, as_json: bool, key: str
) -> Response:
    settings = service.settings
    if raw.get(HONEYPOT):
        service.limiter.hit(key)
        log.warning("piège à robots rempli (%d depuis le démarrage)", service.count("pot_de_miel"))
        fake = f"AID-{date.today().year}-{secrets.randbelow(99999) + 1:05d}"  # looks the same
        return _success(as_json, settings, new_id(time.time()), [], fake)
    submission, errors = validate(raw, service.catalog.aides)
    if submission is None:
        service.count("invalide")
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
        dossier=dossier,
        rate=RateSlot(slot_key(key), limit.count, limit.period),
    )
    try:
        saved = await run_in_threadpool(service.storage.save, pending)
    except RateLimited as exc:
        return _too_many(service, as_json, exc.retry_after)
    except DatabaseError:
        service.count("base_occupee")
        log.error("base occupée : demande refusée (503), rien n'est enregistré")
        return _problem(
            as_json, 503, "Service momentanément indisponible",
            "Le service est très sollicité : renvoyez votre demande dans quelques secondes.",
            **{"Retry-After": BUSY_RETRY_AFTER},
        )  # fmt: skip
    if saved.duplicate:
        service.count("doublon")
        log.info("demande %s reçue à nouveau (doublon ignoré)", saved.id)
    else:
        service.limiter.hit(key)
        service.count("enregistree")
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
    healthy = await run_in_threadpool(_service(request).storage.healthy)
    if healthy:
        return JSONResponse({"etat": "ok"})
    return JSONResponse({"etat": "base inaccessible"}, 503)
