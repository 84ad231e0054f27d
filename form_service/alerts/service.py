"""The alerts inside the running service: set up at start-up (the content recorded in the
ledger), the weekly run on Monday mornings in Paris, the deadline reminders every morning, the
hourly erasure of unconfirmed subscriptions, and the development page's « send now »."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

import anyio.to_thread
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from form_service.alerts import run
from form_service.alerts.digest import local_day
from form_service.alerts.filters import Aid
from form_service.alerts.pages import Pages
from form_service.alerts.schedule import iso_week, next_run, reminders_due
from form_service.db.database import Database, DatabaseBusy
from form_service.outbox.worker import Runner
from form_service.settings import Settings
from form_service.web.abuse import RateLimiter, origin_allowed
from generator.content.catalog import Catalog

log = logging.getLogger("aidess.alertes")
PURGE_EVERY = 3600.0  # seconds between two erasures of unconfirmed subscriptions


@dataclass
class Alerts:
    """What the alert handlers and the weekly run share, built at start-up."""

    storage: Database
    mailing: run.Mailing
    aids: list[Aid]
    pages: Pages
    limiter: RateLimiter
    runner: Runner | None = None  # the outbox's, poked when mails are queued
    last_report: run.Report | None = field(default=None)

    def poke(self) -> None:
        if self.runner is not None:
            self.runner.poke()

    def send_now(self, now: float) -> run.Report:
        """Queue this week's digests now (blocking: run it in a thread from async code)."""
        self.last_report = run.queue_digests(self.storage, self.aids, self.mailing, now)
        return self.last_report

    def remind_now(self, now: float) -> int:
        """Queue today's deadline reminders now (blocking, as `send_now`)."""
        return run.queue_reminders(self.storage, self.aids, self.mailing, now)


def setup(settings: Settings, catalog: Catalog, storage: Database) -> Alerts:
    """The alerts of a service: its content written in the ledger (what is new, what
    changed since the last start)."""
    aids = run.aids_of(catalog.aides)
    run.record_content(storage, aids, time.time())
    return Alerts(
        storage=storage,
        mailing=run.Mailing(settings.site_url, settings.mail_from, settings.fallback_email),
        aids=aids,
        pages=Pages(settings.site_dir),
        limiter=RateLimiter(settings.rate_limit),
    )


async def weekly(alerts: Alerts, clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
    """Forever: the digests on Monday morning (Paris), once per ISO week in this process
    (the database makes it once per week whatever the number of processes), the deadline
    reminders from 08:00 each day (once per deadline, by the database too), and the
    erasure of unconfirmed subscriptions every hour."""
    done: str | None = None
    reminded: date | None = None
    next_purge = 0.0
    while True:
        now = clock()
        try:
            if now.timestamp() >= next_purge:
                await anyio.to_thread.run_sync(run.purge, alerts.storage, now.timestamp())
                next_purge = now.timestamp() + PURGE_EVERY
            if reminders_due(now, reminded):
                if await anyio.to_thread.run_sync(alerts.remind_now, now.timestamp()):
                    alerts.poke()
                reminded = local_day(now.timestamp())
            if next_run(now, done) <= now:
                report = await anyio.to_thread.run_sync(alerts.send_now, now.timestamp())
                done = iso_week(now)
                if report.queued:
                    alerts.poke()
        except DatabaseBusy:
            log.warning("base occupée : alertes reportées d'une minute")
            await asyncio.sleep(60)
            continue
        except Exception:
            log.exception("erreur inattendue des alertes")
        wait = (next_run(clock(), done) - clock()).total_seconds()
        await asyncio.sleep(max(1.0, min(wait, PURGE_EVERY)))


def dev_routes(alerts: Alerts, settings: Settings) -> list[Route]:
    """`aidess serve` only: a button on /dev/courriels queues this week's digests now."""

    async def send(request: Request) -> Response:
        if not origin_allowed(request, settings.allowed_origins):
            return Response("Origine non autorisée.", 403)
        report = await anyio.to_thread.run_sync(alerts.send_now, time.time())
        await anyio.to_thread.run_sync(alerts.remind_now, time.time())
        alerts.poke()
        return RedirectResponse(f"/dev/courriels?alertes={report.queued}-{report.empty}", 303)

    return [Route("/dev/alertes", send, methods=["POST"])]
