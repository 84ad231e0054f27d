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
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from form_service import migrations


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
        """Bring the schema to the latest version (form_service/migrations.py); returns it."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.connect() as conn:
            conn.execute("PRAGMA journal_mode = WAL")
        with self.transaction() as conn:
            return migrations.apply(conn, self.path)

    def healthy(self) -> bool:
        try:
            with self.connect() as conn:
                conn.execute("SELECT count(*) FROM outbox WHERE 0").fetchone()
            return True
        except (sqlite3.Error, DatabaseBusy):
            return False
