"""The dossiers' part of the app: their shared objects, routes and background reminders."""

from __future__ import annotations

from starlette.routing import BaseRoute, Route

from form_service.db.database import Database
from form_service.dossiers import http as dossier_http
from form_service.dossiers.effects import Env
from form_service.dossiers.http import ACTION_LIMIT_IP, ACTION_LIMIT_KEY, Dossiers
from form_service.settings import Settings
from form_service.web.abuse import RateLimiter
from generator.content.catalog import Catalog


def env_for(settings: Settings, catalog: Catalog) -> Env:
    return Env(
        site_url=settings.site_url,
        sender=settings.mail_from,
        fallback_email=settings.fallback_email,
        reseaux={slug: record.data for slug, record in catalog.reseaux.items()},
        aide_reseaux={slug: record.data.reseaux for slug, record in catalog.aides.items()},
        aide_titres={slug: record.data.titre for slug, record in catalog.aides.items()},
    )


def dossiers_for(settings: Settings, catalog: Catalog, db: Database) -> Dossiers:
    return Dossiers(
        db=db,
        env=env_for(settings, catalog),
        site_dir=settings.site_dir,
        allowed_origins=settings.allowed_origins,
        retention_days=settings.retention_days,
        body_timeout=settings.body_timeout,
        per_ip=RateLimiter(ACTION_LIMIT_IP),
        per_key=RateLimiter(ACTION_LIMIT_KEY),
    )


def routes() -> list[BaseRoute]:
    return [
        Route("/dossiers/{dossier_id:str}", dossier_http.page, methods=["GET"], name="dossier"),
        Route(
            "/dossiers/{dossier_id:str}/actions",
            dossier_http.action,
            methods=["POST"],
            name="dossier_actions",
        ),
    ]
