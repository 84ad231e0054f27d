"""Storing a callback request: the request, its dossier and its mails in one transaction, run
off the event loop by the handler. A form that gets a few requests a minute needs correctness
more than group commits."""

from __future__ import annotations

from dataclasses import replace

from form_service.db.database import Database
from form_service.dossiers import queries as dossier_queries
from form_service.dossiers.opening import NewDossier
from form_service.requests.queries import Pending, Saved, insert


def save(db: Database, pending: Pending, dossier: NewDossier | None = None) -> Saved:
    """Store the request, its dossier and one outbox row per mail in one transaction, unless
    the same content was stored within the dedupe window (then answer as for the first one).
    Raises RateLimited past the client's quota, DatabaseBusy when the lock or the commit did
    not come in time: then nothing was written.

    Requests are stored one transaction at a time across every process (SQLite's write lock;
    an advisory lock on PostgreSQL), so the dedupe, the yearly reference numbers and the quotas
    each see every request committed before."""
    with db.transaction() as tx:
        tx.lock("aidess:requests")
        saved = insert(tx, pending)
        if saved.duplicate:
            row = tx.execute("SELECT reference FROM dossiers WHERE id = ?", (saved.id,)).fetchone()
            return replace(saved, reference=row[0] if row else None)
        if dossier is None:
            return saved
        reference = dossier_queries.create(
            tx, saved.id, dossier, pending.submission, pending.created
        )
        return replace(saved, reference=reference, requester_key=dossier.requester_key)
