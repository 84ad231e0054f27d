"""Queries on the outbox: claim due rows with a lease, record each one's outcome, count."""

from __future__ import annotations

from dataclasses import dataclass

from form_service.database import Database
from form_service.emails import Queued
from form_service.request_queries import STORED_COLUMNS, Stored, stored


@dataclass(frozen=True)
class Row:
    id: int
    request_id: str
    mail: Queued
    message: bytes | None  # only for rows queued before emails were rendered at send time
    request: Stored | None  # None once the request's personal data was erased
    attempts: int  # including the one just claimed

    @property
    def kind(self) -> str:
        return self.mail.kind

    @property
    def recipient(self) -> str:
        return self.mail.recipient


def claim(db: Database, owner: str, now: float, lease: float, limit: int = 20) -> list[Row]:
    """Take due rows for `lease` seconds, with the request they are rendered from (read in
    the same transaction); a crashed worker's rows come back after its lease."""
    columns = ", ".join(f"r.{c}" for c in STORED_COLUMNS)
    with db.transaction() as conn:
        rows = conn.execute(
            "SELECT o.id, o.request_id, o.kind, o.recipient, o.reseau, o.message_id, "
            f"o.message, o.attempts, o.cle, {columns} "
            "FROM outbox o JOIN requests r ON r.id = o.request_id "
            "WHERE o.status = 'queued' AND o.next_attempt <= ? "
            "AND (o.lease_until IS NULL OR o.lease_until <= ?) "
            "ORDER BY o.next_attempt, o.id LIMIT ?",
            (now, now, limit),
        ).fetchall()
        conn.executemany(
            "UPDATE outbox SET lease_until = ?, lease_owner = ?, attempts = attempts + 1 "
            "WHERE id = ?",
            [(now + lease, owner, r[0]) for r in rows],
        )
    return [
        Row(
            id=r[0],
            request_id=r[1],
            mail=Queued(r[2], r[3], r[4], r[5], r[8]),
            message=None if r[6] is None else bytes(r[6]),
            request=stored(*r[9:]),
            attempts=r[7] + 1,
        )
        for r in rows
    ]


def _finish(db: Database, row_id: int, owner: str, sql: str, params: tuple[object, ...]) -> None:
    with db.transaction() as conn:
        conn.execute(
            f"UPDATE outbox SET {sql}, lease_until = NULL, lease_owner = NULL "
            "WHERE id = ? AND lease_owner = ?",
            (*params, row_id, owner),
        )


# Once a mail is sent or given up, the dossier key its link carries is no longer kept in
# clear: `cle` is cleared, and so is the message of a dossier mail (rendered with its link).
FORGET = "cle = NULL, message = CASE WHEN kind LIKE 'dossier-%' THEN NULL ELSE message END"


def mark_sent(db: Database, row_id: int, owner: str, now: float) -> None:
    _finish(db, row_id, owner, f"status = 'sent', sent = ?, last_error = NULL, {FORGET}", (now,))


def mark_retry(db: Database, row_id: int, owner: str, next_attempt: float, error: str) -> None:
    _finish(db, row_id, owner, "next_attempt = ?, last_error = ?", (next_attempt, error))


def mark_failed(db: Database, row_id: int, owner: str, error: str) -> None:
    _finish(db, row_id, owner, f"status = 'failed', last_error = ?, {FORGET}", (error,))


def counts(db: Database) -> dict[str, int]:
    with db.connect() as conn:
        rows = conn.execute("SELECT status, count(*) FROM outbox GROUP BY status").fetchall()
    return {status: count for status, count in rows}
