"""The service's storage as one object: the database (form_service/db/database.py, SQLite or
PostgreSQL) with the queries on requests (request_queries.py), dossiers and the outbox
(outbox_queries.py). New tables: a migration appended to form_service/db/migrations.py, their
queries in a module of their own taking a `Database`.

Writes are simple: one transaction per request, run off the event loop by the handler. A form
that gets a few requests a minute needs correctness more than group commits.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import replace

from form_service.db.database import Database, DatabaseBusy, DatabaseError
from form_service.db.migrations import MIGRATIONS
from form_service.dossiers import queries as dossier_queries
from form_service.outbox import queries as outbox_queries
from form_service.outbox.queries import Row
from form_service.requests import queries as request_queries
from form_service.requests.mail_plan import Queued
from form_service.requests.queries import Pending, Saved, Stored, insert

PURGE_BATCH = 500  # requests per purge transaction (a few milliseconds each)
PURGE_PAUSE = 0.15  # seconds between two: SQLite's busy handler sleeps up to 0.1 s

__all__ = [
    "MIGRATIONS",
    "DatabaseBusy",
    "DatabaseError",
    "Pending",
    "Row",
    "Saved",
    "Storage",
    "Stored",
]


class Storage(Database):
    def save(self, pending: Pending) -> Saved:
        """Store the request, its dossier and one outbox row per email in one transaction,
        unless the same content was stored within the dedupe window (then answer as for the
        first one). Raises RateLimited past the client's quota, DatabaseBusy when the lock or
        the commit did not come in time: then nothing was written.

        Requests are stored one transaction at a time across every process (SQLite's write
        lock; an advisory lock on PostgreSQL), so the dedupe, the yearly reference numbers and
        the quotas each see every request committed before."""
        with self.transaction() as tx:
            tx.lock("aidess:requests")
            saved = insert(tx, pending)
            if saved.duplicate:
                row = tx.execute(
                    "SELECT reference FROM dossiers WHERE id = ?", (saved.id,)
                ).fetchone()
                return replace(saved, reference=row[0] if row else None)
            if pending.dossier is None:
                return saved
            reference = dossier_queries.create(
                tx, saved.id, pending.dossier, pending.submission, pending.created
            )
            return replace(saved, reference=reference, requester_key=pending.dossier.requester_key)

    # --- outbox -------------------------------------------------------------------------

    def claim(
        self, owner: str, now: float, lease: float, limit: int = outbox_queries.CLAIM_LIMIT
    ) -> list[Row]:
        return outbox_queries.claim(self, owner, now, lease, limit)

    def renew(self, owner: str, ids: Sequence[int], until: float) -> set[int]:
        return outbox_queries.renew(self, owner, ids, until)

    def delivery(self, request_id: str) -> dict[str, str]:
        return outbox_queries.delivery(self, request_id)

    def fail(self, row: Row, owner: str, error: str, hand_on: Queued | None, now: float) -> bool:
        return outbox_queries.fail(self, row, owner, error, hand_on, now)

    def mark_sent(self, row_id: int, owner: str, now: float) -> None:
        outbox_queries.mark_sent(self, row_id, owner, now)

    def mark_retry(self, row_id: int, owner: str, next_attempt: float, error: str) -> None:
        outbox_queries.mark_retry(self, row_id, owner, next_attempt, error)

    def mark_failed(self, row_id: int, owner: str, error: str) -> None:
        outbox_queries.mark_failed(self, row_id, owner, error)

    def outbox_counts(self) -> dict[str, int]:
        return outbox_queries.counts(self)

    # --- retention ----------------------------------------------------------------------

    def purge(
        self, before: float, now: float, batch: int = PURGE_BATCH, pause: float = PURGE_PAUSE
    ) -> int:
        """Erase the personal data (and the emails, which carry it) of requests created
        before `before`; keep the anonymous columns for statistics. Returns how many.

        In batches of `batch` requests, one short transaction each, with a `pause` between
        them longer than SQLite's busy-handler sleeps, so the service's writes get the lock
        meanwhile; then a checkpoint, so no erased byte stays in the WAL (secure_delete
        overwrites it in the database file)."""
        total = 0
        while True:
            with self.transaction() as conn:
                ids = request_queries.expired(conn, before, batch)
                dossier_queries.erase(conn, ids, now)
                request_queries.erase(conn, ids, now)
                if len(ids) < batch:
                    request_queries.forget_rate_slots(conn, now)
            total += len(ids)
            if len(ids) < batch:
                break
            time.sleep(pause)
        self.checkpoint()
        return total
