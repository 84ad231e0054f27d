"""POST /signalements (PRODUCT.md §9): a report from a page of the site, with the abuse limits
of /demandes (origin allowlist, per-client quota in memory then reserved in the database,
body and field size limits, honeypot),
stored with the editors' mail in one transaction; the outbox sends it."""

from __future__ import annotations

import html
import logging
import time
import uuid

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from form_service import quotas, signalement_queries, site_shell
from form_service.abuse import (
    BodyTooLarge,
    RateLimiter,
    client_key,
    origin_allowed,
)
from form_service.abuse import read_body as read_limited
from form_service.database import DatabaseError
from form_service.form_body import BadEncoding, BadForm, DuplicateKey, parse_json, parse_urlencoded
from form_service.handlers import Service
from form_service.request_queries import RateLimited
from form_service.signalements import FIELDS, content_file, editors_mail, validate
from generator.content.forms.fields import HONEYPOT
from generator.content.forms.report import report_form

log = logging.getLogger("aidess.signalements")
THANKS_PATH = "/contribuer/merci/"
MAX_FIELDS = 12
MAX_BODY = 16 * 1024


def _answer(as_json: bool, status: int, message: str, **headers: str) -> Response:
    if as_json:
        return JSONResponse({"erreurs": {"_": message}}, status, headers=headers)
    body = (
        f"<h1>Message non envoyé</h1><p>{html.escape(message)}</p>"
        '<p><a href="/contribuer/">Revenir à la page Contribuer</a></p>'
    )
    return HTMLResponse(site_shell.wrap(None, "Message non envoyé", body), status, headers=headers)


async def signalements(request: Request) -> Response:
    service: Service = request.app.state.service
    limiter: RateLimiter = request.app.state.signalement_limiter
    settings = service.settings
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    as_json = content_type == "application/json"
    if not origin_allowed(request, settings.allowed_origins):
        log.warning("origine refusée : %r", request.headers.get("origin"))
        return _answer(as_json, 403, "Origine non autorisée.")
    ip = client_key(request.client.host if request.client else None)
    wait = limiter.retry_after(ip)
    if wait is not None:
        return _too_many(as_json, wait)
    if not as_json and content_type != "application/x-www-form-urlencoded":
        return _answer(as_json, 415, "Envoyez le formulaire du site, ou du JSON.")
    try:
        body = await read_limited(request, MAX_BODY)
    except BodyTooLarge:
        return _answer(as_json, 413, "Le message est trop long.")
    try:
        if as_json:
            data = parse_json(body)
            if not isinstance(data, dict):
                raise ValueError
            raw = {k: v for k, v in data.items() if isinstance(v, str)}
        else:
            fields = parse_urlencoded(body, lists=(), max_fields=MAX_FIELDS)
            raw = {k: v for k, v in fields.items() if isinstance(v, str)}
    except BadEncoding:
        if as_json:
            return _answer(True, 422, "caractère invalide (demi-paire UTF-16 isolée) dans le JSON")
        return _answer(False, 400, "Le message contient des caractères mal encodés (UTF-8 "
                       "invalide) : renvoyez le formulaire du site.")  # fmt: skip
    except DuplicateKey as exc:
        return _answer(as_json, 422, f"champ « {exc} » en double : une seule valeur par champ")
    except (ValueError, RecursionError, BadForm):
        return _answer(as_json, 400, "Formulaire illisible : renvoyez le formulaire du site.")
    if raw.get(HONEYPOT):
        limiter.hit(ip)
        log.warning("piège à robots rempli (signalement)")
        return _success(as_json, settings.site_url, uuid.uuid4().hex)
    report, errors = validate(raw)
    if report is None:
        if as_json:
            return JSONResponse({"erreurs": errors}, 422)
        values = {k: raw.get(k, "") for k in FIELDS}
        page = raw.get("page", "/contribuer/")
        form = report_form(str(request.url_for("signalements")), page, True, values, errors)
        page_html = f"<h1>Message à corriger</h1>\n{form}"
        shell = site_shell.wrap(settings.site_dir, "Message à corriger", page_html)
        return HTMLResponse(shell, 422)
    report_id = uuid.uuid4().hex
    created = time.time()
    fichier = content_file(report.page, service.catalog.aides, service.catalog.reseaux)
    message_id, mail = editors_mail(
        report, report_id, fichier, created, settings.site_url, settings.mail_from,
        settings.editors,
    )  # fmt: skip
    stored = signalement_queries.Stored(report_id, created, report, fichier)
    slot = quotas.slot(quotas.SIGNALEMENT, ip, settings.rate_limit)
    try:
        await run_in_threadpool(
            signalement_queries.save, service.storage, stored, settings.editors, message_id,
            mail, slot,
        )  # fmt: skip
    except RateLimited as exc:
        limiter.hit(ip)
        return _too_many(as_json, exc.retry_after)
    except DatabaseError:
        log.error("base occupée : signalement refusé (503)")
        return _answer(
            as_json, 503, "Le service est très sollicité : renvoyez votre message dans un instant.",
            **{"Retry-After": "5"},
        )  # fmt: skip
    limiter.hit(ip)
    log.info("signalement %s enregistré : %s %s", report_id, report.kind, report.page)
    if service.runner is not None:
        service.runner.poke()
    return _success(as_json, settings.site_url, report_id)


def _too_many(as_json: bool, wait: int) -> Response:
    return _answer(
        as_json, 429,
        f"Vous avez envoyé trop de messages. Réessayez dans {wait // 60 + 1} minute(s).",
        **{"Retry-After": str(wait)},
    )  # fmt: skip


def _success(as_json: bool, site_url: str, report_id: str) -> Response:
    if as_json:
        return JSONResponse({"id": report_id}, 201)
    return RedirectResponse(site_url + THANKS_PATH, 303)
