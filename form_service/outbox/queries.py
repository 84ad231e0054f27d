"""The outbox table, which the outbox owns: `queue` is the one way in for every feature; the
worker claims due rows with a lease and records each one's outcome.

A row names the feature whose mail it is (`owner`) and its id there (`owner_id`). The feature
either renders the mail when it queues it (`message`), or registers a renderer the worker
asks at send time (form_service/outbox/worker.py)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from form_service.db.connection import Connection
from form_service.db.database import Database


@dataclass(frozen=True)
class Mail:
    """One mail to queue."""

    owner: str  # the feature whose mail it is: « demande », « signalement », « alerte »
    owner_id: str  # its id there (a request's, a report's, a subscription's)
    kind: str  # what the mail is, for its owner (« reseau », « accuse »…)
    recipient: str
    message_id: str  # fixed now: a resend after a crash is the same message
    reseau: str | None = None  # the network it is for, if any
    message: bytes | None = None  # rendered now; None: the owner's renderer renders it
    cle: str | None = None  # a key the message's link carries, kept until sent
    forget: bool = False  # once sent or given up, clear the message and the key
    after_kind: str | None = None  # wait while a sibling of this kind is untried or sent


@dataclass(frozen=True)
class Row:
    """A claimed row."""

    id: int
    owner: str
    owner_id: str
    kind: str
    recipient: str
    reseau: str | None
    message_id: str
    message: bytes | None
    cle: str | None
    attempts: int  # including the one just claimed


COLUMNS = (
    "owner", "owner_id", "kind", "recipient", "reseau", "message_id", "message", "cle",
    "forget", "after_kind", "next_attempt", "created",
)  # fmt: skip
INSERT = (
    f"INSERT INTO outbox ({', '.join(COLUMNS)}) VALUES ({', '.join('?' for _ in COLUMNS)}) "
    "ON CONFLICT (message_id) DO NOTHING"
)
CLAIM_LIMIT = 10  # rows per claim: few, and their leases renewed while they are sent


def queue(conn: Connection, mails: Iterable[Mail], now: float) -> None:
    """Queue `mails` in the caller's transaction (with what they tell: both or neither). A
    message id already queued is not queued twice."""
    conn.executemany(
        INSERT,
        [
            (m.owner, m.owner_id, m.kind, m.recipient, m.reseau, m.message_id, m.message,
             m.cle, int(m.forget), m.after_kind, now, now)
            for m in mails
        ],
    )  # fmt: skip


def claim(
    db: Database, owner: str, now: float, lease: float, limit: int = CLAIM_LIMIT
) -> list[Row]:
    """Take due rows for `lease` seconds; a crashed worker's rows come back after its lease.
    A row with `after_kind` waits while a sibling of that kind (same owner and id) is queued
    and untried or being sent. On PostgreSQL the rows are locked as they are read, and rows
    another worker is claiming are skipped: two workers never take the same row."""
    with db.transaction() as conn:
        rows = conn.execute(
            "SELECT o.id, o.owner, o.owner_id, o.kind, o.recipient, o.reseau, o.message_id, "
            "o.message, o.cle, o.attempts FROM outbox o "
            "WHERE o.status = 'queued' AND o.next_attempt <= ? "
            "AND (o.lease_until IS NULL OR o.lease_until <= ?) "
            "AND NOT (o.after_kind IS NOT NULL AND EXISTS (SELECT 1 FROM outbox s "
            "WHERE s.owner = o.owner AND s.owner_id = o.owner_id AND s.kind = o.after_kind "
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
    message = None if r[7] is None else bytes(r[7])
    return Row(r[0], r[1], r[2], r[3], r[4], r[5], r[6], message, r[8], r[9] + 1)


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


def release(db: Database, owner: str, ids: Sequence[int]) -> None:
    """Give back `owner`'s claimed rows among `ids` that it did not try (a stopping worker):
    due at once for the next worker, their attempt not counted."""
    if not ids:
        return
    marks = ", ".join("?" * len(ids))
    with db.transaction() as conn:
        conn.execute(
            "UPDATE outbox SET lease_until = NULL, lease_owner = NULL, attempts = attempts - 1 "
            f"WHERE id IN ({marks}) AND lease_owner = ? AND status = 'queued'",
            (*ids, owner),
        )


def statuses(conn: Connection, owner: str, owner_id: str, kind: str) -> dict[str, str]:
    """Where the mails of one kind of an owner's id stand: network slug -> queued, sent or
    failed (the acknowledgment says where the request went)."""
    rows = conn.execute(
        "SELECT reseau, status FROM outbox WHERE owner = ? AND owner_id = ? AND kind = ?",
        (owner, owner_id, kind),
    ).fetchall()
    return {slug: status for slug, status in rows if slug}


def erase(conn: Connection, owner: str, owner_ids: Sequence[str]) -> None:
    """Delete an owner's rows (its personal data erased: their mails carry them)."""
    conn.executemany(
        "DELETE FROM outbox WHERE owner = ? AND owner_id = ?", [(owner, i) for i in owner_ids]
    )


# Once a mail is sent or given up, the key its link carries is no longer kept in clear, and
# a message its owner asked to forget (it holds personal data or a key) is cleared.
FORGET = "cle = NULL, message = CASE WHEN forget = 1 THEN NULL ELSE message END"


def fail(db: Database, row: Row, owner: str, error: str, hand_on: Mail | None, now: float) -> bool:
    """Mark the row failed; with `hand_on`, queue that mail in the same transaction (the
    owner's replacement, e.g. the request handed on to the fallback address). False when the
    row was no longer ours."""
    with db.transaction() as conn:
        updated = conn.execute(
            "UPDATE outbox SET status = 'failed', last_error = ?, lease_until = NULL, "
            f"lease_owner = NULL, {FORGET} WHERE id = ? AND lease_owner = ?",
            (error, row.id, owner),
        ).rowcount
        if updated and hand_on is not None:
            queue(conn, [hand_on], now)
    return bool(updated)


def _finish(db: Database, row_id: int, owner: str, sql: str, params: tuple[object, ...]) -> None:
    with db.transaction() as conn:
        conn.execute(
            f"UPDATE outbox SET {sql}, lease_until = NULL, lease_owner = NULL "
            "WHERE id = ? AND lease_owner = ?",
            (*params, row_id, owner),
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
