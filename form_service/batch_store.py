"""Storing a batch of requests in one transaction: the batch path (request_batch.py) first,
request by request in savepoints if it fails. Run by the storage process
(form_service/store_process.py) and by `Storage.save_batch`."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import replace

from form_service import dossier_queries, request_batch
from form_service.database import Connection, Database, DatabaseBusy
from form_service.request_queries import Pending, Saved, insert

log = logging.getLogger("aidess.demandes")


def save_batch(
    db: Database,
    batch: Sequence[Pending],
    conn: Connection | None = None,
) -> list[Saved | Exception]:
    """Group commit: store many requests in one transaction (one fsync). First with a few
    statements for the whole batch (request_batch.py); if that fails, it is rolled back and
    the batch is stored again request by request, each in its own savepoint, so an error in
    one leaves the others stored and nothing of itself. DatabaseBusy (the lock, or the
    commit) concerns them all and is raised.

    The requests of every process are stored one transaction at a time (on SQLite, the
    write lock; on PostgreSQL, an advisory lock): the dedupe, the dossier references and the
    rate-limit count each see every request committed before."""
    try:
        with db.transaction(conn) as tx:
            tx.lock("aidess:requests")
            return request_batch.store(tx, batch)
    except DatabaseBusy:
        raise
    except Exception as exc:  # rolled back: nothing of the batch was written
        log.info("lot de %d demande(s) enregistré une par une (%s)", len(batch), exc)
    with db.transaction(conn) as tx:
        tx.lock("aidess:requests")
        return _one_by_one(tx, batch)


def _one_by_one(tx: Connection, batch: Sequence[Pending]) -> list[Saved | Exception]:
    results: list[Saved | Exception] = []
    for pending in batch:
        tx.execute("SAVEPOINT request")
        try:
            results.append(_with_dossier(tx, pending, insert(tx, pending)))
        except DatabaseBusy:
            raise
        except Exception as exc:
            tx.execute("ROLLBACK TO request")
            results.append(exc)
        tx.execute("RELEASE request")
    return results


def _with_dossier(tx: Connection, pending: Pending, saved: Saved) -> Saved:
    """Every stored request is a dossier, created in the same savepoint."""
    if saved.duplicate:
        row = tx.execute("SELECT reference FROM dossiers WHERE id = ?", (saved.id,)).fetchone()
        return replace(saved, reference=row[0] if row else None)
    if pending.dossier is None:
        return saved
    ref = dossier_queries.create(tx, saved.id, pending.dossier, pending.submission,
                                 pending.created)  # fmt: skip
    return replace(saved, reference=ref, requester_key=pending.dossier.requester_key)
