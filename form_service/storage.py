"""SQLite storage: requests and their outbox, written together, with versioned migrations.

One short-lived connection per operation (they are cheap, and safe across worker threads),
except for the group-commit writer (form_service/writer.py), which keeps its own. Writes take
the lock up front (BEGIN IMMEDIATE) so a busy database fails fast and cleanly.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from form_service.emails import Queued, Snapshot
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
    # Emails rendered at send time: the request keeps what they need besides its personal
    # data (mails, JSON), an outbox row names its network, and `message` is only kept for
    # rows queued before this version.
    """
    ALTER TABLE requests ADD COLUMN mails TEXT;
    CREATE TABLE outbox_v2 (
        id INTEGER PRIMARY KEY,
        request_id TEXT NOT NULL REFERENCES requests (id),
        kind TEXT NOT NULL,
        recipient TEXT NOT NULL,
        reseau TEXT,
        message_id TEXT NOT NULL UNIQUE,
        message BLOB,
        status TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'failed')),
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt REAL NOT NULL,
        lease_until REAL,
        lease_owner TEXT,
        last_error TEXT,
        created REAL NOT NULL,
        sent REAL
    );
    INSERT INTO outbox_v2 (id, request_id, kind, recipient, message_id, message, status,
        attempts, next_attempt, lease_until, lease_owner, last_error, created, sent)
        SELECT id, request_id, kind, recipient, message_id, message, status, attempts,
        next_attempt, lease_until, lease_owner, last_error, created, sent FROM outbox;
    DROP TABLE outbox;
    ALTER TABLE outbox_v2 RENAME TO outbox;
    CREATE INDEX outbox_due ON outbox (status, next_attempt);
    """,
)
PERSONAL = ("structure", "identifiant", "nom", "email", "telephone", "message")


class DatabaseBusy(Exception):
    """The database stayed locked beyond the busy timeout: nothing was written."""


@dataclass(frozen=True)
class Saved:
    id: str
    reseaux: list[str]
    duplicate: bool


@dataclass(frozen=True)
class Pending:
    """A valid request and its emails, to store in one transaction."""

    request_id: str
    submission: Submission
    reseaux: tuple[str, ...]
    fallback: bool
    snapshot_json: str  # emails.Snapshot, as JSON
    mails: Sequence[Queued]
    created: float


@dataclass(frozen=True)
class Stored:
    """A stored request, as its emails are rendered from it."""

    created: float
    submission: Submission
    snapshot: Snapshot


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


class Storage:
    def __init__(self, path: Path, busy_timeout: float = 5.0) -> None:
        self.path = path
        self.busy_timeout = busy_timeout
        self._write_lock = threading.Lock()

    def open(self) -> sqlite3.Connection:
        """A connection with this service's settings (durable commits: synchronous=FULL)."""
        conn = sqlite3.connect(
            self.path, timeout=self.busy_timeout, isolation_level=None, check_same_thread=False
        )
        conn.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout * 1000)}")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
        return conn

    @contextmanager
    def connect(self) -> Iterator[sqlite3.Connection]:
        conn = self.open()
        try:
            with busy_as_exception():
                yield conn
        finally:
            conn.close()

    @contextmanager
    def transaction(self, conn: sqlite3.Connection | None = None) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE … COMMIT, rolled back on any error (on `conn`, or a new connection).

        Writers of this process queue on a lock first: SQLite's own busy handler polls with
        sleeps of up to 100 ms, which under load turned waits into 503s. The busy timeout
        still applies between processes (the app and `aidess outbox`)."""
        if not self._write_lock.acquire(timeout=self.busy_timeout):
            raise DatabaseBusy("verrou d'écriture occupé")
        try:
            with contextlib.ExitStack() as stack:
                if conn is None:
                    conn = stack.enter_context(self.connect())
                stack.enter_context(busy_as_exception())
                conn.execute("BEGIN IMMEDIATE")
                try:
                    yield conn
                    conn.execute("COMMIT")
                except BaseException:
                    if conn.in_transaction:
                        conn.execute("ROLLBACK")
                    raise
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

    def save(self, pending: Pending) -> Saved:
        """Store the request and one outbox row per email in one transaction, unless the same
        content was stored within the dedupe window (then answer as for the first one)."""
        result = self.save_batch([pending])[0]
        if isinstance(result, Exception):
            raise result
        return result

    def save_batch(
        self, batch: Sequence[Pending], conn: sqlite3.Connection | None = None
    ) -> list[Saved | Exception]:
        """Group commit: store many requests in one transaction (one fsync), each in its own
        savepoint, so an error in one leaves the others stored and nothing of itself.
        DatabaseBusy (the lock, or the commit) concerns them all and is raised."""
        results: list[Saved | Exception] = []
        with self.transaction(conn) as db:
            for pending in batch:
                db.execute("SAVEPOINT request")
                try:
                    results.append(_insert(db, pending))
                except sqlite3.OperationalError as exc:
                    if "locked" in str(exc) or "busy" in str(exc):
                        raise
                    db.execute("ROLLBACK TO request")
                    results.append(exc)
                except Exception as exc:
                    db.execute("ROLLBACK TO request")
                    results.append(exc)
                db.execute("RELEASE request")
        return results

    # --- outbox -------------------------------------------------------------------------

    def claim(self, owner: str, now: float, lease: float, limit: int = 20) -> list[Row]:
        """Take due rows for `lease` seconds, with the request they are rendered from (read
        in the same transaction); a crashed worker's rows come back after its lease."""
        with self.transaction() as conn:
            rows = conn.execute(
                "SELECT o.id, o.request_id, o.kind, o.recipient, o.reseau, o.message_id, "
                "o.message, o.attempts, r.created, r.departement, r.forme, r.effectif, "
                "r.secteur, r.etape, r.besoins, r.aide, r.personal, r.mails "
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
                mail=Queued(r[2], r[3], r[4], r[5]),
                message=None if r[6] is None else bytes(r[6]),
                request=_stored(*r[8:]),
                attempts=r[7] + 1,
            )
            for r in rows
        ]

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
                "UPDATE requests SET personal = NULL, fingerprint = NULL, mails = NULL, "
                "purged = ? WHERE id = ?",
                [(now, i) for i in ids],
            )
        return len(ids)


@contextmanager
def busy_as_exception() -> Iterator[None]:
    """SQLite's "database is locked" as DatabaseBusy."""
    try:
        yield
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            raise DatabaseBusy(str(exc)) from exc
        raise


def _insert(db: sqlite3.Connection, pending: Pending) -> Saved:
    s, now = pending.submission, pending.created
    fingerprint = s.fingerprint()
    previous = db.execute(
        "SELECT id, reseaux FROM requests WHERE fingerprint = ? AND created >= ? "
        "ORDER BY created LIMIT 1",
        (fingerprint, now - DEDUPE_WINDOW),
    ).fetchone()
    if previous:
        return Saved(previous[0], json.loads(previous[1]), True)
    personal = {k: getattr(s, k) for k in PERSONAL}
    reseaux = list(pending.reseaux)
    db.execute(
        "INSERT INTO requests (id, created, fingerprint, departement, forme, effectif, "
        "secteur, etape, besoins, aide, reseaux, fallback, personal, mails) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            pending.request_id, now, fingerprint, s.departement, s.forme, s.effectif,
            s.secteur, s.etape, json.dumps(list(s.besoins)), s.aide, json.dumps(reseaux),
            int(pending.fallback), json.dumps(personal, ensure_ascii=False),
            pending.snapshot_json,
        ),
    )  # fmt: skip
    db.executemany(
        "INSERT INTO outbox (request_id, kind, recipient, reseau, message_id, "
        "next_attempt, created) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            (pending.request_id, m.kind, m.recipient, m.reseau, m.message_id, now, now)
            for m in pending.mails
        ],
    )
    return Saved(pending.request_id, reseaux, False)


def _stored(
    created: float, departement: str, forme: str, effectif: str, secteur: str,
    etape: str | None, besoins: str, aide: str | None, personal: str | None, mails: str | None,
) -> Stored | None:  # fmt: skip
    if personal is None or mails is None:
        return None
    submission = Submission(
        **json.loads(personal), forme=forme, effectif=effectif, departement=departement,
        secteur=secteur, besoins=tuple(json.loads(besoins)), etape=etape, aide=aide,
    )  # fmt: skip
    return Stored(created, submission, Snapshot.from_json(mails))


def iso(timestamp: float) -> str:
    return datetime.fromtimestamp(timestamp, UTC).isoformat(timespec="seconds")
