"""Queries on the outbox: claim due rows with a lease, record each one's outcome, count."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from form_service.db.database import Database
from form_service.requests.mail_plan import Queued
from form_service.requests.queries import STORED_COLUMNS, Stored, stored


@dataclass(frozen=True)
class Row:
    id: int
    request_id: str
    mail: Queued
    message: bytes | None  # only for rows queued before emails were rendered at send time
    request: Stored | None  # None once the request's personal data was erased
    attempts: int  # including the one just claimed
    problem: str | None = None  # the stored request could not be read back
    reference: str | None = None  # the dossier's AID-2026-00042

    @property
    def kind(self) -> str:
        return self.mail.kind

    @property
    def recipient(self) -> str:
        return self.mail.recipient


CLAIM_LIMIT = 10  # rows per claim: few, and their leases renewed while they are sent


def claim(
    db: Database, owner: str, now: float, lease: float, limit: int = CLAIM_LIMIT
) -> list[Row]:
    """Take due rows for `lease` seconds, with the request they are rendered from (read in
    the same transaction); a crashed worker's rows come back after its lease. An
    acknowledgment waits until each network mail of its request was tried once and is not
    being sent, so it can say where the request went. A report's row
    (form_service/signalements/report.py) or an alert's (form_service/alerts/) has no
    request: its message was rendered when queued. On
    PostgreSQL the rows are locked as they are read, and rows another worker is claiming
    are skipped: two workers never take the same row."""
    columns = ", ".join(f"r.{c}" for c in STORED_COLUMNS)
    with db.transaction() as conn:
        rows = conn.execute(
            "SELECT o.id, "
            "coalesce(o.request_id, 'signalement ' || o.signalement, 'alerte ' || o.alert), "
            "o.kind, "
            f"o.recipient, o.reseau, o.message_id, o.message, o.attempts, o.cle, d.reference, "
            f"{columns} "
            "FROM outbox o LEFT JOIN requests r ON r.id = o.request_id "
            "LEFT JOIN dossiers d ON d.id = o.request_id "
            "WHERE o.status = 'queued' AND o.next_attempt <= ? "
            "AND (o.lease_until IS NULL OR o.lease_until <= ?) "
            "AND NOT (o.kind = 'accuse' AND EXISTS (SELECT 1 FROM outbox s "
            "WHERE s.request_id = o.request_id AND s.kind = 'reseau' "
            "AND s.status = 'queued' AND (s.attempts = 0 OR s.lease_until > ?))) "
            f"ORDER BY o.next_attempt, o.id LIMIT ?{conn.for_update('o')}",
            (now, now, now, limit),
        ).fetchall()
        conn.executemany(
            "UPDATE outbox SET lease_until = ?, lease_owner = ?, attempts = attempts + 1 "
            "WHERE id = ?",
            [(now + lease, owner, r[0]) for r in rows],
        )
    return [_row(r) for r in rows]


def _row(r: Sequence[Any]) -> Row:
    request, problem = None, None
    try:
        request = stored(*r[10:])
    except (KeyError, TypeError, ValueError) as exc:  # one unreadable request: its rows only
        problem = f"{type(exc).__name__}: {exc}"
    return Row(
        id=r[0],
        request_id=r[1],
        mail=Queued(r[2], r[3], r[4], r[5], r[8]),
        message=None if r[6] is None else bytes(r[6]),
        request=request,
        attempts=r[7] + 1,
        problem=problem,
        reference=r[9],
    )


def renew(db: Database, owner: str, ids: Sequence[int], until: float) -> set[int]:
    """Extend the lease of `owner`'s rows among `ids`; returns those still held (a row whose
    lease expired and that another worker took is not sent by this one)."""
    if not ids:
        return set()
    marks = ", ".join("?" * len(ids))
    with db.transaction() as conn:
        held = {
            r[0]
            for r in conn.execute(
                f"SELECT id FROM outbox WHERE id IN ({marks}) AND lease_owner = ? "
                "AND status = 'queued'",
                (*ids, owner),
            )
        }
        conn.executemany(
            "UPDATE outbox SET lease_until = ? WHERE id = ?", [(until, i) for i in held]
        )
    return held


def delivery(db: Database, request_id: str) -> dict[str, str]:
    """Where each network mail of a request stands: slug -> queued, sent or failed."""
    with db.connect() as conn:
        rows = conn.execute(
            "SELECT reseau, status FROM outbox WHERE request_id = ? AND kind = 'reseau'",
            (request_id,),
        ).fetchall()
    return {slug: status for slug, status in rows if slug}


def fail(
    db: Database, row: Row, owner: str, error: str, hand_on: Queued | None, now: float
) -> bool:
    """Mark the row failed; with `hand_on`, queue that mail (the request handed on to the
    fallback address) in the same transaction. False when the row was no longer ours."""
    with db.transaction() as conn:
        updated = conn.execute(
            "UPDATE outbox SET status = 'failed', last_error = ?, lease_until = NULL, "
            f"lease_owner = NULL, {FORGET} WHERE id = ? AND lease_owner = ?",
            (error, row.id, owner),
        ).rowcount
        if updated and hand_on is not None:
            conn.execute(
                "INSERT INTO outbox (request_id, kind, recipient, reseau, message_id, "
                "next_attempt, created) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                (row.request_id, hand_on.kind, hand_on.recipient, hand_on.reseau,
                 hand_on.message_id, now, now),
            )  # fmt: skip
    return bool(updated)


def _finish(db: Database, row_id: int, owner: str, sql: str, params: tuple[object, ...]) -> None:
    with db.transaction() as conn:
        conn.execute(
            f"UPDATE outbox SET {sql}, lease_until = NULL, lease_owner = NULL "
            "WHERE id = ? AND lease_owner = ?",
            (*params, row_id, owner),
        )


# Once a mail is sent or given up, the dossier key its link carries is no longer kept in
# clear: `cle` is cleared, and so is the message of a dossier mail (rendered with its link)
# and of a report's mail (the visitor's text stays in `signalements` until purged).
FORGET = (
    "cle = NULL, message = CASE WHEN kind LIKE 'dossier-%' OR kind = 'signalement' "
    "OR alert IS NOT NULL THEN NULL ELSE message END"
)


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
