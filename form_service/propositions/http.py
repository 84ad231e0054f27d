"""POST /propositions (docs/interfaces.md §9): a proposed aid read by the intake pipeline
(form_service/web/intake.py), checked by the rules of `aidess validate`
(generator/content/proposal.py), stored with the editors' mail in one transaction; the outbox
sends it. A form gets 303 to the thank-you page, or the form again with each error next to its
field (422); JSON gets 201 {"id", "slug"} or 422 {"erreurs": {field: message}}."""

from __future__ import annotations

import html
import logging
import re
import time
import uuid
from datetime import date
from pathlib import Path

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from form_service.db import quotas
from form_service.demandes.http import Service
from form_service.outbox.blocks import UnsafeHeader
from form_service.propositions import queries
from form_service.propositions.mail import editors_mail
from form_service.web import intake, site_shell
from form_service.web.abuse import RateLimiter
from form_service.web.endpoint import Endpoint
from generator.content import proposal as rules
from generator.content.forms import proposal as proposal_form

log = logging.getLogger("aidess.propositions")

PROPOSITIONS = intake.Form(
    "propositions", known=frozenset(rules.FIELDS), lists=frozenset(rules.LISTS),
    multiline=frozenset({"description", "porteurs"}), max_fields=120, noun="propositions",
)  # fmt: skip


def _refused(as_json: bool, exc: intake.Refused) -> Response:
    if as_json:
        return JSONResponse({"erreurs": {"_": exc.message}}, exc.status, headers=exc.headers)
    body = (
        f"<h1>Proposition non envoyée</h1><p>{html.escape(exc.message)}</p>"
        f'<p><a href="{proposal_form.PAGE_PATH}">Revenir au formulaire</a></p>'
    )
    shell = site_shell.wrap(None, "Proposition non envoyée", body)
    return HTMLResponse(shell, exc.status, headers=exc.headers)


def _built_page(site_dir: Path | None) -> str | None:
    """The site's « Proposer une aide » page, read at each answer (a rebuild changes its
    scripts' names), when it holds the form's marks."""
    if site_dir is None:
        return None
    try:
        page = (site_dir / proposal_form.PAGE_PATH.strip("/") / "index.html").read_text("utf-8")
    except OSError:
        return None
    marks = proposal_form.START_MARK in page and proposal_form.END_MARK in page
    return page if marks else None


def _invalid(
    request: Request, service: Service, raw: rules.Raw, errors: dict[str, str], as_json: bool
) -> Response:
    """The form again with each error by its field: inside the site's own page when it is
    built (its scripts too: the territories' suggestions), else in the site's shell."""
    if as_json:
        return JSONResponse({"erreurs": errors}, 422)
    action = str(request.url_for("propositions"))
    form = proposal_form.page(action, raw, errors)
    built = _built_page(service.settings.site_dir)
    if built is None:
        shell = site_shell.wrap(service.settings.site_dir, "Proposition à corriger", form)
        return HTMLResponse(shell, 422)
    start = built.index(proposal_form.START_MARK)
    end = built.index(proposal_form.END_MARK) + len(proposal_form.END_MARK)
    page = site_shell.rooted(built[:start] + form + built[end:], proposal_form.PAGE_PATH)
    page = page.replace("<title>", "<title>Proposition à corriger – ", 1)
    page = re.sub(r'<link rel="canonical"[^>]*>', "", page)
    page = page.replace("<head>", '<head>\n<meta name="robots" content="noindex, nofollow">', 1)
    return HTMLResponse(page, 422)


ENDPOINT = Endpoint(PROPOSITIONS, _refused)


async def propositions(request: Request) -> Response:
    service: Service = request.app.state.service
    limiter: RateLimiter = request.app.state.proposition_limiter
    settings = service.settings
    got = await ENDPOINT.read(request, settings, limiter)
    if isinstance(got, Response):
        return got
    as_json, ip, raw = got.as_json, got.client, got.fields
    if got.robot:
        limiter.hit(ip)
        return _success(as_json, settings.site_url, uuid.uuid4().hex, "proposition")
    proposal, errors = rules.check(raw, date.today(), service.catalog.aides)
    if proposal is None:
        return _invalid(request, service, raw, errors, as_json)
    proposal_id = uuid.uuid4().hex
    created = time.time()
    stored = queries.Stored(proposal_id, created, proposal.slug, str(proposal.data["titre"]),
                            rules.to_file(proposal), proposal.email)  # fmt: skip
    try:
        mail = editors_mail(stored, settings.mail_from, settings.editors)
    except UnsafeHeader:
        errors = {"titre": "Le titre contient une suite de caractères refusée (« =? »)."}
        return _invalid(request, service, raw, errors, as_json)
    slot = quotas.slot(quotas.PROPOSITION, ip, settings.rate_limit)
    done = await ENDPOINT.store(
        service.storage, as_json, queries.save, service.storage, stored, mail, slot
    )
    if isinstance(done, Response):
        return done
    limiter.hit(ip)
    log.info("proposition %s enregistrée : %s", proposal_id[:8], proposal.slug)
    if service.runner is not None:
        service.runner.poke()
    return _success(as_json, settings.site_url, proposal_id, proposal.slug)


def _success(as_json: bool, site_url: str, proposal_id: str, slug: str) -> Response:
    if as_json:
        return JSONResponse({"id": proposal_id, "slug": slug}, 201)
    return RedirectResponse(site_url + proposal_form.THANKS_PATH, 303)
