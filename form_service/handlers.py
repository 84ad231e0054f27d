"""HTTP handlers: POST /demandes (PRODUCT.md §6) and GET /sante."""

from __future__ import annotations

import json
import logging
import sqlite3
import time
import uuid
from collections.abc import AsyncGenerator
from dataclasses import dataclass, field
from datetime import date

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers, UploadFile
from starlette.formparsers import FormParser, MultiPartException, MultiPartParser
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from form_service import emails
from form_service.abuse import MAX_FIELDS, MAX_PART, BodyTooLarge, RateLimiter, origin_allowed
from form_service.abuse import read_body as read_limited
from form_service.dossier_intake import new_dossier, with_keys
from form_service.fields import HONEYPOT
from form_service.outbox import Runner
from form_service.pages import FormPage, error_page
from form_service.profiles import Planner
from form_service.schema import Raw, from_json, validate
from form_service.settings import Settings
from form_service.storage import DatabaseBusy, Pending, Storage
from form_service.writer import Writer
from generator import urls
from generator.catalog import Catalog

log = logging.getLogger("aidess.demandes")
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
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
    writer: Writer
    runner: Runner | None = None
    counters: dict[str, int] = field(default_factory=dict)

    def count(self, name: str) -> int:
        self.counters[name] = self.counters.get(name, 0) + 1
        return self.counters[name]


class BadForm(Exception):
    pass


def _service(request: Request) -> Service:
    service: Service = request.app.state.service
    return service


def _problem(as_json: bool, status: int, title: str, message: str, **headers: str) -> Response:
    if as_json:
        return JSONResponse({"erreurs": {"_": message}}, status, headers=headers)
    page = error_page(title, message, back=urls.FORM_PATH)
    return HTMLResponse(page, status, headers=headers)


async def _parse_form(headers: Headers, body: bytes, multipart: bool) -> Raw:
    async def replay() -> AsyncGenerator[bytes, None]:
        yield body

    try:
        if multipart:
            form = await MultiPartParser(
                headers, replay(), max_files=1, max_fields=MAX_FIELDS, max_part_size=MAX_PART
            ).parse()
        else:
            form = await FormParser(
                headers, replay(), max_fields=MAX_FIELDS, max_part_size=MAX_PART
            ).parse()
    except MultiPartException as exc:
        raise BadForm(str(exc.message)) from exc
    try:
        raw: dict[str, str | list[str]] = {}
        for key, value in form.multi_items():
            if isinstance(value, UploadFile):
                raise BadForm("fichier joint")
            if key == "besoins":
                besoins = raw.setdefault("besoins", [])
                assert isinstance(besoins, list)
                besoins.append(value)
            else:
                raw[key] = value
        return raw
    finally:
        await form.close()


async def demandes(request: Request) -> Response:
    service, settings = _service(request), _service(request).settings
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    as_json = content_type == "application/json"
    if not origin_allowed(request, settings.allowed_origins):
        service.count("origine_refusee")
        log.warning("origine refusée : %r", request.headers.get("origin"))
        return _problem(as_json, 403, "Accès refusé", "Origine non autorisée.")
    ip = request.client.host if request.client else "inconnue"
    wait = service.limiter.retry_after(ip)
    if wait is not None:
        service.count("trop_de_demandes")
        log.warning("limite de demandes atteinte pour %s", ip)
        return _problem(
            as_json, 429, "Trop de demandes",
            f"Vous avez envoyé trop de demandes. Réessayez dans {wait // 60 + 1} minute(s).",
            **{"Retry-After": str(wait)},
        )  # fmt: skip
    if not as_json and content_type not in FORM_TYPES:
        return _problem(
            as_json, 415, "Format non accepté",
            "Envoyez le formulaire du site, ou du JSON (application/json).",
        )  # fmt: skip
    try:
        body = await read_limited(request)
    except BodyTooLarge:
        service.count("trop_gros")
        return _problem(as_json, 413, "Demande trop volumineuse", "La demande est trop longue.")
    if as_json:
        try:
            raw, errors = from_json(json.loads(body))
        except (ValueError, RecursionError):
            return _problem(True, 400, "JSON illisible", "Le corps n'est pas du JSON valide.")
        if raw is None:
            return JSONResponse({"erreurs": errors}, 422)
    else:
        try:
            raw = await _parse_form(request.headers, body, content_type == FORM_TYPES[1])
        except BadForm as exc:
            service.count("formulaire_refuse")
            log.warning("formulaire refusé de %s : %s", ip, exc)
            return _problem(
                False, 400, "Formulaire refusé",
                "Le formulaire contient trop de champs, des champs trop longs ou un fichier "
                "joint : renvoyez le formulaire du site.",
            )  # fmt: skip
    return await _handle(request, service, raw, as_json, ip)


async def _handle(request: Request, service: Service, raw: Raw, as_json: bool, ip: str) -> Response:
    settings = service.settings
    if raw.get(HONEYPOT):
        service.limiter.hit(ip)
        log.warning("piège à robots rempli (%d depuis le démarrage)", service.count("pot_de_miel"))
        return _success(as_json, settings, uuid.uuid4().hex, [])
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
    request_id, now = uuid.uuid4().hex, time.time()
    dossier = new_dossier(submission, plan.snapshot, settings.fallback_email, now)
    mails = emails.plan(
        request_id, plan.snapshot, submission.email, settings.fallback_email, settings.mail_from
    )
    pending = Pending(
        request_id=request_id,
        submission=submission,
        reseaux=plan.reseaux,
        fallback=plan.routing.fallback,
        snapshot_json=plan.snapshot_json,
        mails=with_keys(mails, dossier),
        created=now,
        dossier=dossier,
    )
    try:
        saved = await service.writer.save(pending)
    except (DatabaseBusy, sqlite3.Error):
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
        service.limiter.hit(ip)
        service.count("enregistree")
        log.info(
            "demande %s enregistrée : %s", saved.id,
            ", ".join(saved.reseaux) or f"adresse de secours ({plan.routing.fallback_reason})",
        )  # fmt: skip
        if service.runner is not None:
            service.runner.poke()
    return _success(as_json, settings, saved.id, saved.reseaux)


def _success(as_json: bool, settings: Settings, request_id: str, reseaux: list[str]) -> Response:
    if as_json:
        return JSONResponse({"id": request_id, "reseaux": reseaux}, 201)
    return RedirectResponse(settings.site_url + urls.CONFIRMATION_PATH, 303)


async def sante(request: Request) -> Response:
    healthy = await run_in_threadpool(_service(request).storage.healthy)
    if healthy:
        return JSONResponse({"etat": "ok"})
    return JSONResponse({"etat": "base inaccessible"}, 503)
