"""Retention (docs/interfaces.md §6): the personal data of requests past the configured time are
erased, with their dossiers' and their mails (which carry them); the anonymous columns stay
for the statistics. Run by `aidess purge`."""

from __future__ import annotations

import time

from form_service.db import quotas
from form_service.db.database import Database
from form_service.dossiers import queries as dossier_queries
from form_service.requests import queries as request_queries

PURGE_BATCH = 500  # requests per purge transaction (a few milliseconds each)
PURGE_PAUSE = 0.15  # seconds between two: SQLite's busy handler sleeps up to 0.1 s


def purge(
    db: Database, before: float, now: float, batch: int = PURGE_BATCH, pause: float = PURGE_PAUSE
) -> int:
    """Erase the personal data of requests created before `before`. Returns how many.

    In batches of `batch` requests, one short transaction each, with a `pause` between them
    longer than SQLite's busy-handler sleeps, so the service's writes get the lock meanwhile;
    then a checkpoint, so no erased byte stays in the WAL (secure_delete overwrites it in the
    database file)."""
    total = 0
    while True:
        with db.transaction() as conn:
            ids = request_queries.expired(conn, before, batch)
            dossier_queries.erase(conn, ids, now)
            request_queries.erase(conn, ids, now)
            if len(ids) < batch:
                quotas.forget_rate_slots(conn, now)
        total += len(ids)
        if len(ids) < batch:
            break
        time.sleep(pause)
    db.checkpoint()
    return total
