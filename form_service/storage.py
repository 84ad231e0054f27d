"""SQLite storage: requests and their outbox, written together, with versioned migrations.

One short-lived connection per operation (they are cheap, and safe across worker threads).
Writes take the lock up front (BEGIN IMMEDIATE) so a busy database fails fast and cleanly.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from form_service.dispatch import Routing
from form_service.emails import Outgoing
from form_service.schema import Submission

DEDUPE_WINDOW = 600.0  # seconds: the same form sent again within it is the same request

# One script per schema version (PRAGMA user_version); statements end with ";" and comments
# must not contain one.
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE requests (
        id TEXT PRIMARY KEY,
        created REAL NOT NULL,           -- Unix time
        fingerprint TEXT,                -- hash of the normalised content, for dedupe
        departement TEXT NOT NULL,
        forme TEXT NOT NULL,
        effectif TEXT NOT NULL,
        secteur TEXT NOT NULL,
        etape TEXT,
        besoins TEXT NOT NULL,           -- JSON list
        aide TEXT,
        reseaux TEXT NOT NULL,           -- JSON list of network slugs
        fallback INTEGER NOT NULL,
        personal TEXT,                   -- JSON of the personal fields, NULL once purged
        purged REAL
    );
    CREATE INDEX requests_fingerprint ON requests (fingerprint, created);
    CREATE INDEX requests_created ON requests (created);
    CREATE TABLE outbox (
        id INTEGER PRIMARY KEY,
        request_id TEXT NOT NULL REFERENCES requests (id),
        kind TEXT NOT NULL,              -- reseau, accuse, secours
        recipient TEXT NOT NULL,
        message_id TEXT NOT NULL UNIQUE, -- fixed at queue time: a resend is the same message
        message BLOB NOT NULL,
        status TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'failed')),
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt REAL NOT NULL,
        lease_until REAL,
        lease_owner TEXT,
        last_error TEXT,
        created REAL NOT NULL,
        sent REAL
    );
    CREATE INDEX outbox_due ON outbox (status, next_attempt);
    """,
)


class DatabaseBusy(Exception):
    """The database stayed locked beyond the busy timeout: nothing was written."""


@dataclass(frozen=True)
class Saved:
    id: str
    reseaux: list[str]
    duplicate: bool


@dataclass(frozen=True)
class Row:
    id: int
    request_id: str
    kind: str
    recipient: str
    message_id: str
    message: bytes
    attempts: int  # including the one just claimed


class Storage:
    def __init__(self, path: Path, busy_timeout: float = 5.0) -> None:
        self.path = path
        self.busy_timeout = busy_timeout
        self._write_lock = threading.Lock()

    @contextmanager
    def connect(self) -> Iterator[sqlite3.Connection]:
        conn = sqlite3.connect(self.path, timeout=self.busy_timeout, isolation_level=None)
        try:
            conn.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout * 1000)}")
            conn.execute("PRAGMA synchronous = FULL")
            conn.execute("PRAGMA foreign_keys = ON")
            yield conn
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                raise DatabaseBusy(str(exc)) from exc
            raise
        finally:
            conn.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE … COMMIT, rolled back on any error.

        Writers of this process queue on a lock first: SQLite's own busy handler polls with
        sleeps of up to 100 ms, which under load turned waits into 503s. The busy timeout
        still applies between processes (the app and `aidess outbox`)."""
        if not self._write_lock.acquire(timeout=self.busy_timeout):
            raise DatabaseBusy("verrou d'écriture occupé")
        try:
            with self.connect() as conn:
                conn.execute("BEGIN IMMEDIATE")
                try:
                    yield conn
                except BaseException:
                    conn.execute("ROLLBACK")
                    raise
                conn.execute("COMMIT")
        finally:
            self._write_lock.release()

    def migrate(self) -> int:
        """Bring the schema to the latest version; returns it."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.connect() as conn:
            conn.execute("PRAGMA journal_mode = WAL")
        with self.transaction() as conn:
            version: int = conn.execute("PRAGMA user_version").fetchone()[0]
            if version > len(MIGRATIONS):
                raise RuntimeError(
                    f"base {self.path} en version {version}, plus récente que ce code "
                    f"({len(MIGRATIONS)})"
                )
            for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
                for statement in script.split(";"):
                    if statement.strip():
                        conn.execute(statement)
                conn.execute(f"PRAGMA user_version = {number}")
        return len(MIGRATIONS)

    def healthy(self) -> bool:
        try:
            with self.connect() as conn:
                conn.execute("SELECT count(*) FROM outbox WHERE 0").fetchone()
            return True
        except (sqlite3.Error, DatabaseBusy):
            return False

    def save(
        self,
        request_id: str,
        submission: Submission,
        routing: Routing,
        mails: Sequence[Outgoing],
        now: float,
    ) -> Saved:
        """Store the request and one outbox row per email in one transaction, unless the same
        content was stored within the dedupe window (then answer as for the first one)."""
        fingerprint = submission.fingerprint()
        with self.transaction() as conn:
            previous = conn.execute(
                "SELECT id, reseaux FROM requests WHERE fingerprint = ? AND created >= ? "
                "ORDER BY created LIMIT 1",
                (fingerprint, now - DEDUPE_WINDOW),
            ).fetchone()
            if previous:
                return Saved(previous[0], json.loads(previous[1]), True)
            s = submission
            personal = {
                k: getattr(s, k)
                for k in ("structure", "identifiant", "nom", "email", "telephone", "message")
            }
            reseaux = [c.slug for c in routing.choices]
            conn.execute(
                "INSERT INTO requests (id, created, fingerprint, departement, forme, effectif, "
                "secteur, etape, besoins, aide, reseaux, fallback, personal) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    request_id, now, fingerprint, s.departement, s.forme, s.effectif,
                    s.secteur, s.etape, json.dumps(list(s.besoins)), s.aide,
                    json.dumps(reseaux), int(routing.fallback),
                    json.dumps(personal, ensure_ascii=False),
                ),
            )  # fmt: skip
            conn.executemany(
                "INSERT INTO outbox (request_id, kind, recipient, message_id, message, "
                "next_attempt, created) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(request_id, m.kind, m.recipient, m.message_id, m.data, now, now) for m in mails],
            )
        return Saved(request_id, reseaux, False)

    # --- outbox -------------------------------------------------------------------------

    def claim(self, owner: str, now: float, lease: float, limit: int = 20) -> list[Row]:
        """Take due rows for `lease` seconds; a crashed worker's rows come back after it."""
        with self.transaction() as conn:
            rows = conn.execute(
                "SELECT id, request_id, kind, recipient, message_id, message, attempts "
                "FROM outbox WHERE status = 'queued' AND next_attempt <= ? "
                "AND (lease_until IS NULL OR lease_until <= ?) ORDER BY next_attempt, id LIMIT ?",
                (now, now, limit),
            ).fetchall()
            conn.executemany(
                "UPDATE outbox SET lease_until = ?, lease_owner = ?, attempts = attempts + 1 "
                "WHERE id = ?",
                [(now + lease, owner, r[0]) for r in rows],
            )
        return [Row(r[0], r[1], r[2], r[3], r[4], bytes(r[5]), r[6] + 1) for r in rows]

    def _finish(self, row_id: int, owner: str, sql: str, params: tuple[object, ...]) -> None:
        with self.transaction() as conn:
            conn.execute(
                f"UPDATE outbox SET {sql}, lease_until = NULL, lease_owner = NULL "
                "WHERE id = ? AND lease_owner = ?",
                (*params, row_id, owner),
            )

    def mark_sent(self, row_id: int, owner: str, now: float) -> None:
        self._finish(row_id, owner, "status = 'sent', sent = ?, last_error = NULL", (now,))

    def mark_retry(self, row_id: int, owner: str, next_attempt: float, error: str) -> None:
        self._finish(row_id, owner, "next_attempt = ?, last_error = ?", (next_attempt, error))

    def mark_failed(self, row_id: int, owner: str, error: str) -> None:
        self._finish(row_id, owner, "status = 'failed', last_error = ?", (error,))

    def outbox_counts(self) -> dict[str, int]:
        with self.connect() as conn:
            rows = conn.execute("SELECT status, count(*) FROM outbox GROUP BY status").fetchall()
        return {status: count for status, count in rows}

    # --- retention ----------------------------------------------------------------------

    def purge(self, before: float, now: float) -> int:
        """Erase the personal data (and the emails, which carry it) of requests created
        before `before`; keep the anonymous columns for statistics. Returns how many."""
        with self.transaction() as conn:
            ids = [
                r[0]
                for r in conn.execute(
                    "SELECT id FROM requests WHERE created < ? AND purged IS NULL", (before,)
                )
            ]
            conn.executemany("DELETE FROM outbox WHERE request_id = ?", [(i,) for i in ids])
            conn.executemany(
                "UPDATE requests SET personal = NULL, fingerprint = NULL, purged = ? WHERE id = ?",
                [(now, i) for i in ids],
            )
        return len(ids)


def iso(timestamp: float) -> str:
    return datetime.fromtimestamp(timestamp, UTC).isoformat(timespec="seconds")
