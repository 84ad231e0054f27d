"""HTTP handlers of the alerts (docs/interfaces.md §8): POST /alertes (form or JSON, with the abuse
limits of /demandes), /alertes/<id>?cle=… (shows the subscription; its button confirms it, by
a POST), and
/alertes/<id>/desabonnement (a page with one button on GET; POST erases, RFC 8058 one-click
included: a bare POST with the key in the URL works). GET and HEAD never change anything: mail
scanners follow links, and send HEAD."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Mapping
from urllib.parse import urlencode

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from form_service.alerts import form, store
from form_service.alerts.filters import REMINDERS, parse
from form_service.alerts.pages import (
    UNKNOWN,
    UNSUBSCRIBED,
    Pages,
    confirm_page,
    manage,
    problem,
    unsubscribe_confirm,
)
from form_service.alerts.service import Alerts
from form_service.db import quotas
from form_service.db.database import DatabaseBusy
from form_service.db.quotas import RateLimited
from form_service.demandes.http import Service
from form_service.web import intake
from generator.content.forms import alert as alert_form

log = logging.getLogger("aidess.alertes")
_ID = re.compile(r"[0-9a-f]{32}")
# The pages' URLs hold a key: no cache, no index, and never the URL in a Referer. Not
# `no-referrer`: with it, browsers send `Origin: null` with the page's own forms, which the
# Origin check refuses; `strict-origin` sends only the origin, and the real Origin.
PRIVATE = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "strict-origin",
    "X-Robots-Tag": "noindex, nofollow",
}


def _state(request: Request) -> tuple[Service, Alerts]:
    return request.app.state.service, request.app.state.alerts


def _html(pages: Pages, status: int, title: str, body: str, depth: int = 1) -> HTMLResponse:
    return HTMLResponse(pages.render(title, body, depth), status, headers=PRIVATE)


SUBSCRIBE = intake.Form("alertes", known=form.KNOWN, lists=form.LISTS, noun="inscriptions")
# The subscription's own pages: the key in the body or, for a bare one-click POST, the URL.
MANAGE = intake.Form("alertes", known=form.KNOWN, lists=form.LISTS, bare=True)


async def _read(
    request: Request, service: Service, spec: intake.Form, alerts: Alerts | None = None
) -> intake.Intake:
    return await intake.read(
        request, spec, allowed_origins=service.settings.allowed_origins,
        limiter=alerts.limiter if alerts is not None else None,
        timeout=service.settings.body_timeout,
    )  # fmt: skip


def _refusal(exc: intake.Refused, as_json: bool, pages: Pages) -> Response:
    if as_json:
        return JSONResponse({"erreurs": {"_": exc.message}}, exc.status, headers=exc.headers)
    return HTMLResponse(
        pages.render(exc.title, problem(exc.title, exc.message)), exc.status, headers=exc.headers
    )


def _accepted(as_json: bool, settings_site: str) -> Response:
    if as_json:
        return JSONResponse(
            {"etat": "a-confirmer", "message": "Un courriel de confirmation a été envoyé."}, 202
        )
    return RedirectResponse(settings_site + alert_form.SENT_PATH, 303)


async def subscribe(request: Request) -> Response:
    service, alerts = _state(request)
    try:
        got = await _read(request, service, SUBSCRIBE, alerts)
    except intake.Refused as exc:
        return _refusal(exc, intake.wants_json(request), alerts.pages)
    except intake.Invalid as exc:
        if intake.wants_json(request):
            return JSONResponse({"erreurs": exc.errors}, 422)
        return _refusal(exc.refused(), False, alerts.pages)
    raw, as_json, ip = got.fields, got.as_json, got.client
    site = service.settings.site_url
    if got.robot:
        alerts.limiter.hit(ip)
        return _accepted(as_json, site)
    email, filters, errors = form.validate(raw, typed=not as_json)
    if email is None or filters is None:
        if as_json:
            return JSONResponse({"erreurs": errors}, 422)
        return HTMLResponse(alerts.pages.subscribe_form(raw, errors), 422)
    now = time.time()
    compose = alerts.mailing.confirmation(now, already=False)
    compose_again = alerts.mailing.confirmation(now, already=True)

    def choose(sub: store.Subscription, key: str) -> store.Outgoing:
        return (compose_again if sub.confirmed else compose)(sub, key)

    quota = quotas.slot(quotas.ALERT, ip, alerts.limiter.limit)
    try:
        queued = await alerts.storage.run(
            store.subscribe, alerts.storage, email, filters, now, choose, quota
        )
    except RateLimited as exc:
        return _refusal(intake.too_many(SUBSCRIBE.noun, exc.retry_after), as_json, alerts.pages)
    except DatabaseBusy:
        return _refusal(intake.busy(), as_json, alerts.pages)
    if queued is None:
        log.info("alerte déjà demandée dans les 24 h : pas de nouveau courriel")
    else:
        alerts.limiter.hit(ip)
        log.info("alerte %s : courriel de confirmation mis en file", queued.id)
        alerts.poke()
    return _accepted(as_json, site)


def _key(request: Request, raw: Mapping[str, str | list[str]] | None = None) -> str:
    key = intake.one(raw, "cle") if raw else ""
    return key or request.query_params.get("cle", "")


async def subscription_page(request: Request) -> Response:
    """GET (and HEAD): show it — with a confirm button while it is not confirmed; POST with
    `confirmer`: confirm it; POST with filters: change them."""
    service, alerts = _state(request)
    subscription = request.path_params["id"]
    unknown = _html(alerts.pages, 404, "Lien inconnu", UNKNOWN)
    if not _ID.fullmatch(subscription):
        return unknown
    if request.method in ("GET", "HEAD"):
        key = _key(request)
        sub = await run_in_threadpool(store.open_with_key, alerts.storage, subscription, key)
        if sub is None:
            return unknown
        if sub.confirmed is None:
            body = confirm_page(sub.id, key, sub.filters)
            return _html(alerts.pages, 200, "Confirmer mon alerte", body)
        if request.query_params.get("modifiee"):
            notice = "Vos critères sont enregistrés : le prochain courriel en tiendra compte."
        elif request.query_params.get("confirmee"):
            notice = "Votre alerte est confirmée : vous recevrez un courriel le lundi matin, "
            notice += "quand il y aura du nouveau pour vos critères"
            notice += f", et {REMINDERS}." if sub.filters.echeances else "."
        else:
            notice = None
        return _html(alerts.pages, 200, "Mon alerte", manage(sub.id, key, sub.filters, notice))
    try:
        raw = (await _read(request, service, MANAGE)).fields
    except intake.Refused as exc:
        return _refusal(exc, False, alerts.pages)
    except intake.Invalid as exc:
        return _refusal(exc.refused(), False, alerts.pages)
    key = _key(request, raw)
    if intake.one(raw, "confirmer"):
        sub = await run_in_threadpool(
            store.open_with_key, alerts.storage, subscription, key, time.time()
        )
        if sub is None:
            return unknown
        query = urlencode({"cle": key, "confirmee": "1"})
        location = f"{service.settings.site_url}{alert_form.ACTION}/{subscription}?{query}"
        return RedirectResponse(location, 303, headers=PRIVATE)
    filters, errors = parse(raw)
    if filters is None:
        sub = await run_in_threadpool(store.open_with_key, alerts.storage, subscription, key)
        if sub is None:
            return unknown
        body = manage(subscription, key, sub.filters, None, raw, errors)
        return _html(alerts.pages, 422, "Erreurs – Mon alerte", body)
    changed = await run_in_threadpool(
        store.change_filters, alerts.storage, subscription, key, filters, time.time()
    )
    if not changed:
        return unknown
    query = urlencode({"cle": key, "modifiee": "1"})
    location = f"{service.settings.site_url}{alert_form.ACTION}/{subscription}?{query}"
    return RedirectResponse(location, 303, headers=PRIVATE)


async def unsubscribe(request: Request) -> Response:
    service, alerts = _state(request)
    subscription = request.path_params["id"]
    unknown = _html(alerts.pages, 404, "Lien inconnu", UNKNOWN, depth=2)
    if not _ID.fullmatch(subscription):
        return unknown
    if request.method in ("GET", "HEAD"):
        key = _key(request)
        sub = await run_in_threadpool(store.open_with_key, alerts.storage, subscription, key)
        if sub is None:
            return unknown
        body = unsubscribe_confirm(subscription, key, sub.filters)
        return _html(alerts.pages, 200, "Se désabonner", body, depth=2)
    try:
        raw = (await _read(request, service, MANAGE)).fields
    except intake.Refused as exc:
        return _refusal(exc, False, alerts.pages)
    except intake.Invalid as exc:
        return _refusal(exc.refused(), False, alerts.pages)
    erased = await run_in_threadpool(
        store.unsubscribe, alerts.storage, subscription, _key(request, raw)
    )
    if not erased:
        return unknown
    log.info("alerte %s : désabonnement, adresse effacée", subscription)
    return _html(alerts.pages, 200, "Désabonnement", UNSUBSCRIBED, depth=2)


def routes() -> list[BaseRoute]:
    return [
        Route(alert_form.ACTION, subscribe, methods=["POST"], name="alertes"),
        Route(alert_form.ACTION + "/{id}", subscription_page, methods=["GET", "POST"]),
        Route(alert_form.ACTION + "/{id}/desabonnement", unsubscribe, methods=["GET", "POST"]),
    ]
