"""HTTP handlers of the dossiers: GET /dossiers/<id>?cle=… and POST /dossiers/<id>/actions.

The key is in the query of the page (it comes from a mail link) and in the body of an
action, never in a header; unknown dossier and wrong key get the same 404. Actions: Origin
checked like /demandes, rate-limited per key and per IP (quotas reserved in the database, so
shared by every worker; the in-memory limiters only refuse early), idempotent through the
form's token.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlencode

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from form_service import dossier_page, dossier_queries, keys, quotas
from form_service.abuse import BodyTooLarge, RateLimiter, client_key, origin_allowed, read_body
from form_service.database import Database, DatabaseBusy
from form_service.dossier_actions import act
from form_service.dossier_effects import Env, transmit_options
from form_service.outbox import Runner
from form_service.request_queries import RateLimited
from form_service.settings import RateLimit

log = logging.getLogger("aidess.dossiers")
ACTION_LIMIT_IP = RateLimit(120, 3600)
ACTION_LIMIT_KEY = RateLimit(40, 3600)
MAX_ACTION_BODY = 16 * 1024


@dataclass
class Dossiers:
    """What the dossier handlers share, built once at start-up (app.state.dossiers)."""

    db: Database
    env: Env
    site_dir: Path | None
    allowed_origins: frozenset[str]
    retention_days: int
    per_ip: RateLimiter
    per_key: RateLimiter
    runner: Runner | None = None


def _dossiers(request: Request) -> Dossiers:
    dossiers: Dossiers = request.app.state.dossiers
    return dossiers


def _html(page: str, status: int = 200, **extra: str) -> HTMLResponse:
    return HTMLResponse(page, status, headers={**dossier_page.HEADERS, **extra})


def _page(
    d: Dossiers,
    dossier_id: str,
    key: str,
    done: str | None,
    error: str | None = None,
    sent: bool = False,
) -> tuple[str, int]:
    with d.db.connect() as conn:
        loaded = dossier_queries.load(conn, dossier_id)
    holder = None
    if loaded is not None and not loaded.purged and loaded.request is not None:
        holder = keys.match(key, loaded.digests)
    if loaded is None or holder is None:
        return dossier_page.not_found(d.site_dir), 404
    names = {slug: r.nom for slug, r in d.env.reseaux.items()}
    page = dossier_page.render(
        d.site_dir,
        loaded,
        holder,
        key,
        f"/dossiers/{dossier_id}/actions",
        d.env.public(),
        names,
        transmit_options(d.env, loaded.dossier.departement),
        d.retention_days,
        done=done,
        error=error,
        sent=sent,
    )
    return page, 422 if error else 200


async def page(request: Request) -> Response:
    d = _dossiers(request)
    dossier_id = request.path_params["dossier_id"]
    key = request.query_params.get("cle", "")
    done = request.query_params.get("fait")
    sent = request.query_params.get("envoyee") == "1"
    html, status = await run_in_threadpool(_page, d, dossier_id, key, done, None, sent)
    return _html(html, status)


def _origin_ok(request: Request, allowed: frozenset[str]) -> bool:
    """Origin checked like /demandes. The dossier page's `Referrer-Policy: no-referrer` makes
    browsers send `Origin: null` with its own forms: that is accepted only when the browser
    also says the form came from this same origin (Fetch metadata, `Sec-Fetch-Site`)."""
    if origin_allowed(request, allowed):
        return True
    same_site = request.headers.get("sec-fetch-site") == "same-origin"
    return request.headers.get("origin") == "null" and same_site


def _too_many(d: Dossiers, wait: int) -> Response:
    message = f"Trop d'actions en peu de temps : réessayez dans {wait // 60 + 1} minute(s)."
    return _html(
        dossier_page.refused(d.site_dir, "Trop d'actions", message),
        429,
        **{"Retry-After": str(wait)},
    )


def _field(form: dict[str, list[str]], name: str) -> str:
    values = form.get(name) or [""]
    return values[0]


async def action(request: Request) -> Response:
    d = _dossiers(request)
    dossier_id = request.path_params["dossier_id"]
    if not _origin_ok(request, d.allowed_origins):
        log.warning("dossier : origine refusée : %r", request.headers.get("origin"))
        return _html(
            dossier_page.refused(d.site_dir, "Accès refusé", "Origine non autorisée."), 403
        )
    ip = client_key(request.client.host if request.client else None)
    try:
        body = await read_body(request, MAX_ACTION_BODY)
    except BodyTooLarge:
        return _html(dossier_page.refused(d.site_dir, "Trop long", "Le texte est trop long."), 413)
    form = parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)
    key = _field(form, "cle")
    digest = keys.digest(key)
    limited = d.per_ip.retry_after(ip) or d.per_key.retry_after(digest)
    if limited is not None:
        return _too_many(d, limited)
    name = _field(form, "action")
    quota = (
        quotas.slot(quotas.DOSSIER_IP, ip, d.per_ip.limit),
        quotas.slot(quotas.DOSSIER_KEY, digest, d.per_key.limit),
    )
    try:
        outcome = await run_in_threadpool(
            act,
            d.db,
            d.env,
            dossier_id,
            key,
            name,
            _field(form, "texte") or None,
            _field(form, "valeur") or None,
            _field(form, "jeton") or None,
            quota=quota,
        )
    except RateLimited as exc:
        return _too_many(d, exc.retry_after)
    except DatabaseBusy:
        message = "Le service est très sollicité : renvoyez le formulaire dans un instant."
        return _html(
            dossier_page.refused(d.site_dir, "Service indisponible", message),
            503,
            **{"Retry-After": "5"},
        )
    d.per_ip.hit(ip)
    d.per_key.hit(digest)
    if outcome.kind == "inconnu":
        return _html(dossier_page.not_found(d.site_dir), 404)
    if outcome.kind == "efface":
        return _html(dossier_page.erased(d.site_dir))
    if outcome.kind == "refuse":
        html, status = await run_in_threadpool(_page, d, dossier_id, key, None, outcome.message)
        return _html(html, status)
    if d.runner is not None and not outcome.duplicate:
        d.runner.poke()
    query = urlencode({"cle": key, "fait": name})
    return RedirectResponse(f"/dossiers/{dossier_id}?{query}", 303, headers=dossier_page.HEADERS)
