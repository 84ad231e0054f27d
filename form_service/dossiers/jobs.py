"""The reminders, run by the service every few minutes and by `aidess dossiers relancer`:
for every open dossier, the steps of reminders.py that are due and the outcome question of
outcome.py, each recorded once (as an event with a fixed token) with its mails, in one
transaction per dossier."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import anyio.to_thread

from form_service.db.database import Database, DatabaseBusy
from form_service.dossiers import outcome, reminders
from form_service.dossiers import queries as dossier_queries
from form_service.dossiers.effects import Env, add_coordinator, record_service, send
from form_service.dossiers.model import REQUESTER, Mail, status
from form_service.dossiers.needs import ACTIVE, CATCH_ALL
from form_service.dossiers.workdays import IsWorkday, is_workday

log = logging.getLogger("aidess.dossiers")
# Past 15 working days nothing is left to run, except the outcome question 10 working days
# after a late « prendre »: 90 days leaves room for one taken within two months.
HORIZON = timedelta(days=90)


@dataclass
class Report:
    relances: int = 0
    coordinations: int = 0
    sans_suite: int = 0
    questions: int = 0  # « Avez-vous été rappelé ? »
    mails: int = 0


def run_due(
    db: Database, env: Env, now: datetime | None = None, workday: IsWorkday = is_workday
) -> Report:
    moment = now or datetime.now(UTC)
    report = Report()
    with db.connect() as conn:
        ids = dossier_queries.open_ids(conn, (moment - HORIZON).timestamp())
        candidates = []
        for dossier_id in ids:
            loaded = dossier_queries.load(conn, dossier_id)
            if loaded is None or loaded.request is None:
                continue
            d = loaded.dossier
            if reminders.due(d, moment, workday) or outcome.due(d, moment, workday):
                candidates.append(dossier_id)
    for dossier_id in candidates:
        _run_one(db, env, dossier_id, moment, workday, report)
    return report


def _run_one(
    db: Database, env: Env, dossier_id: str, now: datetime, workday: IsWorkday, report: Report
) -> None:
    with db.transaction() as conn:
        dossier_queries.lock(conn, dossier_id)
        loaded = dossier_queries.load(conn, dossier_id)  # again, under the write lock
        if loaded is None or loaded.request is None:
            return
        dossier, request = loaded.dossier, loaded.request
        for step in reminders.due(dossier, now, workday):
            needs = reminders.waiting(dossier)  # the event says which needs it acted on
            recorded = record_service(conn, dossier, step.action, now, " ".join(needs))
            if recorded is None:
                continue
            event, event_id = recorded
            mails = reminders.mails(dossier, step)
            dossier = dossier.with_event(event)
            if step.action == "coordination":
                dossier, added = add_coordinator(conn, env, dossier, now, needs)
                mails += [Mail("nouveau-destinataire", rid) for rid in added]
                # A coordinator already on the dossier (a decline sent it a need) is handed
                # these needs too (needs.handed_over), and told.
                mails += [
                    Mail("coordination", r.id)
                    for r in dossier.recipients
                    if r.role in CATCH_ALL and r.id not in added and status(dossier, r.id) in ACTIVE
                ]
                report.coordinations += 1
            elif step.action == "relance":
                report.relances += 1
            else:
                report.sans_suite += 1
            report.mails += send(conn, env, dossier, request, mails, event, event_id, now)
            log.info("dossier %s : %s (%d courriel(s))", dossier.reference, step.action, len(mails))
        if outcome.due(dossier, now, workday):
            recorded = record_service(conn, dossier, outcome.STEP, now)
            if recorded is None:
                return
            event, event_id = recorded
            dossier = dossier.with_event(event)
            asked = [Mail("resultat-demandeur", REQUESTER)]
            report.questions += 1
            report.mails += send(conn, env, dossier, request, asked, event, event_id, now)
            log.info("dossier %s : question « Avez-vous été rappelé ? »", dossier.reference)


class ReminderRunner:
    """Runs the reminders in the background of the service, every `period` seconds."""

    def __init__(
        self, db: Database, env: Env, period: float, on_mail: Callable[[], None] | None = None
    ) -> None:
        self.db, self.env, self.period, self.on_mail = db, env, period, on_mail

    async def run(self) -> None:
        while True:
            try:
                report = await anyio.to_thread.run_sync(run_due, self.db, self.env)
                if report.mails and self.on_mail is not None:
                    self.on_mail()
            except DatabaseBusy:
                log.warning("base occupée : relances des dossiers reportées")
            except Exception:
                log.exception("erreur inattendue des relances des dossiers")
            with contextlib.suppress(TimeoutError):
                await asyncio.sleep(self.period)
