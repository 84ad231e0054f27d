"""POST /signalements (docs/interfaces.md §9): a report from a page of the site, read by the intake
pipeline (form_service/web/intake.py), its quota reserved in the database, stored with the
editors' mail in one transaction; the outbox sends it."""

from __future__ import annotations

import html
import logging
import time
import uuid

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from form_service.db import quotas
from form_service.demandes.http import Service
from form_service.signalements import queries as signalement_queries
from form_service.signalements.report import FIELDS, content_file, editors_mail, validate
from form_service.web import intake, site_shell
from form_service.web.abuse import RateLimiter
from form_service.web.endpoint import Endpoint
from generator.content.forms.report import report_form

log = logging.getLogger("aidess.signalements")
THANKS_PATH = "/contribuer/merci/"
MAX_FIELDS = 12


def _answer(as_json: bool, exc: intake.Refused) -> Response:
    if as_json:
        return JSONResponse({"erreurs": {"_": exc.message}}, exc.status, headers=exc.headers)
    body = (
        f"<h1>Message non envoyé</h1><p>{html.escape(exc.message)}</p>"
        '<p><a href="/contribuer/">Revenir à la page Contribuer</a></p>'
    )
    shell = site_shell.wrap(None, "Message non envoyé", body)
    return HTMLResponse(shell, exc.status, headers=exc.headers)


SIGNALEMENTS = intake.Form(
    "signalements", known=frozenset(FIELDS), max_fields=MAX_FIELDS,
    multiline=frozenset({"message"}),
    multipart=False, noun="messages",
)  # fmt: skip


ENDPOINT = Endpoint(SIGNALEMENTS, _answer)


async def signalements(request: Request) -> Response:
    service: Service = request.app.state.service
    limiter: RateLimiter = request.app.state.signalement_limiter
    settings = service.settings
    got = await ENDPOINT.read(request, settings, limiter)
    if isinstance(got, Response):
        return got
    as_json, ip = got.as_json, got.client
    raw = {k: v for k, v in got.fields.items() if isinstance(v, str)}
    if got.robot:
        limiter.hit(ip)
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
    done = await ENDPOINT.store(
        service.storage, as_json, signalement_queries.save, service.storage, stored,
        settings.editors, message_id, mail, slot,
    )  # fmt: skip
    if isinstance(done, Response):
        return done
    limiter.hit(ip)
    log.info("signalement %s enregistré : %s %s", report_id, report.kind, report.page)
    if service.runner is not None:
        service.runner.poke()
    return _success(as_json, settings.site_url, report_id)


def _success(as_json: bool, site_url: str, report_id: str) -> Response:
    if as_json:
        return JSONResponse({"id": report_id}, 201)
    return RedirectResponse(site_url + THANKS_PATH, 303)
