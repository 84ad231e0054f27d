"""HTTP handlers of the dossiers: GET /dossiers/<id> and POST /dossiers/<id>/actions.

The key comes in the query of a mail's link (?cle=…), moves at once into a cookie scoped to
its dossier (then the page is shown at a URL without it), and travels in the body of an
action; unknown dossier and wrong key get the same 404. Actions go through
the intake pipeline of every POST (form_service/web/intake.py), are rate-limited per key and
per IP (quotas reserved in the database, so shared by every worker; the in-memory limiters only
refuse early), and idempotent through the form's token.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from urllib.parse import urlencode

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from form_service.db import quotas
from form_service.db.database import Connection, Database, DatabaseBusy
from form_service.db.quotas import RateLimit, RateLimited
from form_service.dossiers import keys
from form_service.dossiers import page as dossier_page
from form_service.dossiers import queries as dossier_queries
from form_service.dossiers.actions import act
from form_service.dossiers.effects import Env, transmit_options
from form_service.dossiers.figure import region_figure
from form_service.dossiers.model import ANSWERS, REQUESTER, outcome_value
from form_service.dossiers.queries import Loaded
from form_service.outbox.worker import Runner
from form_service.web import intake
from form_service.web.abuse import RateLimiter

log = logging.getLogger("aidess.dossiers")
ACTION_LIMIT_IP = RateLimit(120, 3600)
ACTION_LIMIT_KEY = RateLimit(40, 3600)


@dataclass
class Dossiers:
    """What the dossier handlers share, built once at start-up (app.state.dossiers)."""

    db: Database
    env: Env
    site_dir: Path | None
    allowed_origins: frozenset[str]
    retention_days: int
    body_timeout: float
    per_ip: RateLimiter
    per_key: RateLimiter
    runner: Runner | None = None


def _dossiers(request: Request) -> Dossiers:
    dossiers: Dossiers = request.app.state.dossiers
    return dossiers


def _html(page: str, status: int = 200, **extra: str) -> HTMLResponse:
    return HTMLResponse(page, status, headers={**dossier_page.HEADERS, **extra})


def _open(conn: Connection, dossier_id: str, key: str) -> tuple[Loaded, str] | None:
    """The dossier and who `key` opens it for, or None. An unknown id, an erased dossier and
    a wrong key take the same path: the key is compared (in constant time) against stored
    digests, or stand-ins, either way."""
    loaded = dossier_queries.load(conn, dossier_id)
    usable = loaded is not None and not loaded.purged and loaded.request is not None
    holder = keys.match(key, loaded.digests if loaded is not None and usable else keys.DECOYS)
    if loaded is None or not usable or holder is None:
        return None
    return loaded, holder


def _page(
    d: Dossiers,
    dossier_id: str,
    key: str,
    done: str | None,
    error: str | None = None,
    sent: bool = False,
    answer: str | None = None,
) -> tuple[str, int]:
    with d.db.connect() as conn:
        opened = _open(conn, dossier_id, key)
        if opened is None:
            return dossier_page.not_found(d.site_dir), 404
        loaded, holder = opened
        # The region's measured delay is read by the requester's page only (the promise).
        figure = (
            region_figure(conn, loaded.dossier.departement, time.time())
            if holder == REQUESTER
            else None
        )
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
        answer=answer,
        aides=d.env.aide_titres,
        figure=figure,
    )
    return page, 422 if error else 200


def _confirmation(
    d: Dossiers, dossier_id: str, key: str, action: str, token: str
) -> tuple[str, int] | None:
    """The confirmation step of the requester's key (a wrong key: the same 404; a
    network's: None, the action is refused as usual)."""
    with d.db.connect() as conn:
        opened = _open(conn, dossier_id, key)
    if opened is None:
        return dossier_page.not_found(d.site_dir), 404
    if opened[1] != REQUESTER:
        return None
    post_url = f"/dossiers/{dossier_id}/actions"
    return dossier_page.confirm(d.site_dir, action, key, token, post_url), 200


# The key travels in the mails' links (?cle=…); on arrival it moves into a cookie scoped to
# its dossier and the page is shown at a URL without it, so the key stays out of proxies'
# access logs, of the Referer of the page's own requests and of the browser's history.
KEY_COOKIE = "aidess_cle"
KEY_COOKIE_AGE = 30 * 86400  # a month in this browser; the mail's link sets it again


def _with_key_cookie(response: Response, request: Request, dossier_id: str, key: str) -> Response:
    response.set_cookie(
        KEY_COOKIE, key, max_age=KEY_COOKIE_AGE, path=f"/dossiers/{dossier_id}",
        secure=request.url.scheme == "https", httponly=True, samesite="lax",
    )  # fmt: skip
    return response


def _without_key(request: Request, dossier_id: str, key: str) -> Response:
    rest = [(k, v) for k, v in request.query_params.multi_items() if k != "cle"]
    url = f"/dossiers/{dossier_id}" + (f"?{urlencode(rest)}" if rest else "")
    redirect = RedirectResponse(url, 303, headers=dossier_page.HEADERS)
    return _with_key_cookie(redirect, request, dossier_id, key)


async def page(request: Request) -> Response:
    d = _dossiers(request)
    dossier_id = request.path_params["dossier_id"]
    if "cle" in request.query_params:
        return _without_key(request, dossier_id, request.query_params["cle"])
    key = request.cookies.get(KEY_COOKIE, "")
    done = request.query_params.get("fait")
    sent = request.query_params.get("envoyee") == "1"
    # A link of « Avez-vous été rappelé ? »: the page asks to confirm (a GET changes nothing:
    # mail scanners follow links).
    answer = request.query_params.get("reponse")
    answer = answer if answer in ANSWERS else None
    html, status = await run_in_threadpool(_page, d, dossier_id, key, done, None, sent, answer)
    return _html(html, status)


# The action forms' fields (docs/interfaces.md §7): `motif` (decliner), `note` (noter), `issue`
# (terminer), `reseau` (transmettre), besides `cle`, `action` and the double-submit `jeton`;
# `confirmer=oui` is the second step of the requester's two irreversible buttons.
# `terminer` with « aide-obtenue » may carry `aide` (slug) and `montant` (euros); the
# requester answers « Avez-vous été rappelé ? » with `reponse` (`repondre`).
TEXT_FIELDS = ("motif", "note")
VALUE_FIELDS = ("issue", "reseau", "reponse")
OUTCOME_FIELDS = ("aide", "montant")
ACTIONS = intake.Form(
    "dossiers",
    known=frozenset(
        {"cle", "action", "jeton", "confirmer", *TEXT_FIELDS, *VALUE_FIELDS, *OUTCOME_FIELDS}
    ),
    multiline=frozenset(TEXT_FIELDS),
    multipart=False,
    noun="actions",
    null_origin_same_site=True,
)


def _refused(d: Dossiers, exc: intake.Refused) -> Response:
    if exc.aborted:
        return Response(status_code=400)  # nobody is left to read it
    page = dossier_page.refused(d.site_dir, exc.title, exc.message)
    return _html(page, exc.status, **exc.headers)


def _first(fields: Mapping[str, str | list[str]], names: tuple[str, ...]) -> str | None:
    """The first of `names` given (each action's form carries one of them)."""
    for name in names:
        value = intake.one(fields, name).strip()
        if value:
            return value
    return None


async def action(request: Request) -> Response:
    d = _dossiers(request)
    dossier_id = request.path_params["dossier_id"]
    try:
        got = await intake.read(
            request, ACTIONS, allowed_origins=d.allowed_origins, limiter=d.per_ip,
            timeout=d.body_timeout,
        )  # fmt: skip
    except intake.Refused as exc:
        return _refused(d, exc)
    except intake.Invalid as exc:
        return _refused(d, exc.refused())
    form, ip = got.fields, got.client
    key = intake.one(form, "cle")
    digest = keys.digest(key)
    limited = d.per_key.retry_after(digest)
    if limited is not None:
        return _refused(d, intake.too_many(ACTIONS.noun, limited))
    name = intake.one(form, "action")
    value = _first(form, VALUE_FIELDS)
    if name == "terminer" and value:
        value = outcome_value(value, intake.one(form, "aide"), intake.one(form, "montant"))
    if name in dossier_page.CONFIRM and intake.one(form, "confirmer") != "oui":
        asked = await run_in_threadpool(
            _confirmation, d, dossier_id, key, name, intake.one(form, "jeton")
        )
        if asked is not None:
            return _html(*asked)
    quota = (
        quotas.slot(quotas.DOSSIER_IP, ip, d.per_ip.limit),
        quotas.slot(quotas.DOSSIER_KEY, digest, d.per_key.limit),
    )
    try:
        outcome = await d.db.run(
            partial(act, quota=quota),
            d.db,
            d.env,
            dossier_id,
            key,
            name,
            _first(form, TEXT_FIELDS),
            value,
            intake.one(form, "jeton") or None,
        )
    except RateLimited as exc:
        return _refused(d, intake.too_many(ACTIONS.noun, exc.retry_after))
    except DatabaseBusy:
        return _refused(d, intake.busy())
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
    query = urlencode({"fait": name})
    after = RedirectResponse(f"/dossiers/{dossier_id}?{query}", 303, headers=dossier_page.HEADERS)
    return _with_key_cookie(after, request, dossier_id, key)
