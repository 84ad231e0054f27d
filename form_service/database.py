"""The SQLite database file: connections with this service's settings, write transactions,
schema migrations and the health check.

One short-lived connection per operation (they are cheap, and safe across worker threads),
except for the group-commit writer (form_service/writer.py), which keeps its own. Writes take
the lock up front (BEGIN IMMEDIATE) so a busy database fails fast and cleanly.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from form_service import migrations

# The WAL is truncated back to this size after each checkpoint (it reached 866 MB under load
# without it); checkpoints run every 1,000 pages (SQLite's default), after each purge and
# periodically from the outbox runner.
JOURNAL_SIZE_LIMIT = 16 * 1024 * 1024


class DatabaseBusy(Exception):
    """The database stayed locked beyond the busy timeout: nothing was written."""


@contextmanager
def busy_as_exception() -> Iterator[None]:
    """SQLite's "database is locked" as DatabaseBusy."""
    try:
        yield
    except sqlite3.OperationalError as exc:
        if is_busy(exc):
            raise DatabaseBusy(str(exc)) from exc
        raise


def is_busy(exc: sqlite3.OperationalError) -> bool:
    return "locked" in str(exc) or "busy" in str(exc)


class Database:
    def __init__(self, path: Path, busy_timeout: float = 5.0) -> None:
        self.path = path
        self.busy_timeout = busy_timeout
        self._write_lock = threading.Lock()

    def open(self) -> sqlite3.Connection:
        """A connection with this service's settings: durable commits (synchronous=FULL),
        deleted content overwritten with zeros (secure_delete: purged personal data does
        not linger in free pages), a bounded WAL."""
        conn = sqlite3.connect(
            self.path, timeout=self.busy_timeout, isolation_level=None, check_same_thread=False
        )
        conn.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout * 1000)}")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA secure_delete = ON")
        conn.execute(f"PRAGMA journal_size_limit = {JOURNAL_SIZE_LIMIT}")
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
        """Bring the schema to the latest version (form_service/migrations.py); returns it."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.connect() as conn:
            conn.execute("PRAGMA journal_mode = WAL")
        with self.transaction() as conn:
            return migrations.apply(conn, self.path)

    def check_writable(self) -> None:
        """Write one row and commit (to the disk): raises sqlite3.Error or DatabaseBusy when
        the database cannot be written (read-only file, full disk, lock held too long)."""
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO health (id, at) VALUES (1, ?) "
                "ON CONFLICT (id) DO UPDATE SET at = excluded.at",
                (time.time(),),
            )

    def healthy(self) -> bool:
        """The database answers and can be written."""
        try:
            self.check_writable()
            return True
        except (sqlite3.Error, DatabaseBusy, OSError):
            return False

    def checkpoint(self, attempts: int = 5) -> bool:
        """Copy the WAL into the database and truncate it (purged data must not survive in
        it); retried briefly while readers hold it. True when it completed."""
        for attempt in range(attempts):
            try:
                with self.connect() as conn:
                    busy, _, _ = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
            except DatabaseBusy:
                busy = 1
            if not busy:
                return True
            time.sleep(0.05 * (attempt + 1))
        return False
