"""App wiring: `create_app(settings)` for tests and `aidess serve`; `app` for uvicorn, built
from the environment on first access (`uvicorn form_service.app:app`)."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import os
import sys
from collections.abc import AsyncIterator
from datetime import date

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from form_service import devmail, devreload
from form_service.alerts import handlers as alert_handlers
from form_service.alerts import service as alert_service
from form_service.db.database import Database
from form_service.demandes import http as handlers
from form_service.demandes import preview
from form_service.demandes.http import Service
from form_service.dossiers import wiring as dossier_wiring
from form_service.dossiers.figure import region_figure
from form_service.dossiers.jobs import ReminderRunner
from form_service.outbox.mailer import Mailer, SMTPMailer
from form_service.outbox.worker import Renderer, Runner, Worker
from form_service.propositions.http import propositions
from form_service.requests.delivery import RequestMails
from form_service.requests.profiles import Planner
from form_service.requests.queries import OWNER
from form_service.settings import ConfigError, Settings, from_env
from form_service.signalements.http import signalements
from form_service.web import recherche
from form_service.web.abuse import RateLimiter
from form_service.web.answers import FrenchCORSMiddleware, http_error, server_error
from form_service.web.pages import FormPage
from generator.content.catalog import Catalog, load
from generator.content.issues import errors

log = logging.getLogger("aidess")
app: Starlette  # see __getattr__ below


def load_catalog(settings: Settings) -> Catalog:
    """The content, validated; any error stops start-up."""
    if not settings.content.is_dir():
        raise ConfigError(f"AIDESS_CONTENT : dossier de contenu introuvable « {settings.content} »")
    catalog, issues = load(settings.content, date.today())
    problems = errors(issues)
    if problems:
        listing = "\n".join(issue.format() for issue in problems)
        raise ConfigError(f"le contenu contient {len(problems)} erreur(s) :\n{listing}")
    return catalog


def smtp_mailer(settings: Settings) -> SMTPMailer:
    return SMTPMailer(
        settings.smtp_host,
        settings.smtp_port,
        user=settings.smtp_user,
        password=settings.smtp_password,
        starttls=settings.smtp_starttls,
        timeout=settings.smtp_timeout,
    )


def outbox_worker(settings: Settings, db: Database, mailer: Mailer) -> Worker:
    """The outbox worker, with the renderers of the mails queued without their message (each
    feature's own)."""
    requests = RequestMails(
        db, settings.mail_from, settings.site_url, settings.fallback_email, region_figure
    )
    renderers: dict[str, Renderer] = {OWNER: requests}
    return Worker(db, mailer, settings.mail_from, renderers=renderers)


def create_app(settings: Settings, mailer: Mailer | None = None) -> Starlette:
    """The form service (and, for `aidess serve`, the site and the mail listing)."""
    catalog = load_catalog(settings)
    storage = Database(settings.database, settings.busy_timeout)
    try:
        storage.migrate()
    except Exception as exc:
        storage.close()
        raise ConfigError(
            f"AIDESS_DATABASE : base « {settings.database} » inutilisable ({exc})"
        ) from exc
    try:
        storage.check_writable()
    except Exception as exc:
        raise ConfigError(
            f"AIDESS_DATABASE : impossible d'écrire dans la base « {settings.database} » "
            f"({exc}) : vérifiez les droits du fichier et de son dossier, et l'espace disque"
        ) from exc
    service = Service(
        settings=settings,
        catalog=catalog,
        storage=storage,
        limiter=RateLimiter(settings.rate_limit),
        form_page=FormPage(settings.site_dir, settings.site_url),
        planner=Planner(catalog, settings),
    )
    worker = outbox_worker(settings, storage, mailer or smtp_mailer(settings))
    dossiers = dossier_wiring.dossiers_for(settings, catalog, storage)
    alerts = alert_service.setup(settings, catalog, storage)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        # The content stays in memory for the life of the process: keep it out of the
        # garbage collector's full passes, which otherwise stall every request (~60 ms
        # each with 10,000 aids).
        gc.collect()
        gc.freeze()
        task = reminders = None
        if settings.outbox_worker:
            service.runner = dossiers.runner = Runner(worker, settings.outbox_poll)
            task = asyncio.create_task(service.runner.run(), name="aidess-outbox")
            relance = ReminderRunner(storage, dossiers.env, settings.reminders_poll,
                                     service.runner.poke)  # fmt: skip
            reminders = asyncio.create_task(relance.run(), name="aidess-relances")
        alerts.runner = service.runner
        weekly = None
        if settings.alerts_schedule:
            weekly = asyncio.create_task(alert_service.weekly(alerts), name="aidess-alertes")
        log.info(
            "service de formulaire prêt : %d réseaux, %d aides, base %s, envoi %s",
            len(catalog.reseaux), len(catalog.aides), settings.database,
            "actif" if task else "désactivé (aidess outbox)",
        )  # fmt: skip
        try:
            yield
        finally:
            for running in (weekly, reminders):
                if running is not None:
                    running.cancel()
                    with contextlib.suppress(asyncio.CancelledError):
                        await running
            if task is not None and service.runner is not None:
                await service.runner.stop(task, settings.smtp_timeout + 5)
            service.runner = dossiers.runner = None
            alerts.runner = None
            storage.close()

    routes: list[BaseRoute] = [
        Route("/demandes", handlers.demandes, methods=["POST"], name="demandes"),
        Route("/signalements", signalements, methods=["POST"], name="signalements"),
        Route("/propositions", propositions, methods=["POST"], name="propositions"),
        Route("/sante", handlers.sante, methods=["GET"], name="sante"),
        Route("/demandes/apercu", preview.apercu, methods=["GET"], name="apercu"),
        *dossier_wiring.routes(),
        Route("/recherche", recherche.redirect, methods=["GET"], name="recherche"),
        *alert_handlers.routes(),
    ]
    if settings.dev_mail_dir is not None:
        actions = [("Envoyer maintenant le résumé des alertes", "/dev/alertes")]
        routes += devmail.routes(settings.dev_mail_dir, actions)
        routes += alert_service.dev_routes(alerts, settings)
    if settings.static_dir is not None and settings.dev_reload:
        routes += devreload.routes(settings.static_dir)
        routes.append(
            Mount("/", devreload.LiveStaticFiles(directory=settings.static_dir, html=True))
        )
    elif settings.static_dir is not None:
        routes.append(Mount("/", StaticFiles(directory=settings.static_dir, html=True)))
    middleware = [
        Middleware(
            FrenchCORSMiddleware,
            allow_origins=sorted(settings.allowed_origins),
            allow_methods=["GET", "POST"],
            allow_headers=["content-type"],
            max_age=3600,
        )
    ]
    app = Starlette(
        routes=routes,
        middleware=middleware,
        lifespan=lifespan,
        exception_handlers={HTTPException: http_error, Exception: server_error},
    )
    app.state.service = service
    app.state.signalement_limiter = RateLimiter(settings.rate_limit)
    app.state.proposition_limiter = RateLimiter(settings.rate_limit)
    app.state.worker = worker
    app.state.dossiers = dossiers
    app.state.alerts = alerts
    return app


def from_environment() -> Starlette:
    """The app configured by `AIDESS_*`; a configuration error exits with its French message."""
    try:
        return create_app(from_env(os.environ))
    except ConfigError as exc:
        print(f"aidess : configuration invalide : {exc}", file=sys.stderr)
        raise SystemExit(2) from None


def __getattr__(name: str) -> Starlette:
    # Built lazily so importing this module (tests, aidess serve) needs no environment.
    if name == "app":
        global app
        app = from_environment()
        return app
    raise AttributeError(name)
