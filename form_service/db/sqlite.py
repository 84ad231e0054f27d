"""The SQLite back-end: one file, one short-lived connection per operation (they are cheap,
and safe across worker threads).

Writes take the lock up front (BEGIN IMMEDIATE) so a busy database fails fast and cleanly;
writers of this process queue on a lock first: SQLite's own busy handler polls with sleeps
of up to 100 ms, which under load turned waits into 503s. The busy timeout still applies
between processes: the app's workers and
`aidess outbox`.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import cast

from form_service.db.connection import Conflict, Connection, Cursor, DatabaseBusy, DatabaseError

# The WAL is truncated back to this size after each checkpoint (it reached 866 MB under load
# without it); checkpoints run every 1,000 pages (SQLite's default), after each purge and
# periodically from the outbox runner.
JOURNAL_SIZE_LIMIT = 16 * 1024 * 1024
# UPDATE … RETURNING (the dossiers' yearly numbers) is new in SQLite 3.35.
MIN_SQLITE = (3, 35, 0)


def _error(exc: sqlite3.Error) -> DatabaseError:
    if isinstance(exc, sqlite3.IntegrityError):
        return Conflict(str(exc))
    if isinstance(exc, sqlite3.OperationalError) and ("locked" in str(exc) or "busy" in str(exc)):
        return DatabaseBusy(str(exc))
    return DatabaseError(str(exc))


class SQLiteConnection(Connection):
    dialect = "sqlite"

    def __init__(self, raw: sqlite3.Connection) -> None:
        self.raw = raw

    def execute(self, sql: str, params: Sequence[object] = ()) -> Cursor:
        try:
            return cast(Cursor, self.raw.execute(sql, params))
        except sqlite3.Error as exc:
            raise _error(exc) from exc

    def executemany(self, sql: str, rows: Sequence[Sequence[object]]) -> None:
        try:
            self.raw.executemany(sql, rows)
        except sqlite3.Error as exc:
            raise _error(exc) from exc

    def begin(self) -> None:
        self.execute("BEGIN IMMEDIATE")

    @property
    def in_transaction(self) -> bool:
        return self.raw.in_transaction

    def schema_version(self) -> int:
        version: int = self.execute("PRAGMA user_version").fetchone()[0]
        return version

    def set_schema_version(self, version: int) -> None:
        self.execute(f"PRAGMA user_version = {int(version)}")

    def close(self) -> None:
        self.raw.close()


class SQLiteEngine:
    def __init__(self, path: Path, busy_timeout: float) -> None:
        self.path, self.busy_timeout = path, busy_timeout
        self._write_lock = threading.Lock()
        # Kept open from prepare() to close(): closing the last connection of a file makes
        # SQLite checkpoint the WAL then, which made every short-lived connection's close
        # cost ~0.8 ms (measured) when it happened to be the only one. Checkpoints still run
        # every 1,000 pages, after each purge and from the outbox runner.
        self._anchor: SQLiteConnection | None = None

    def open(self) -> SQLiteConnection:
        """A connection with this service's settings (durable commits: synchronous=FULL)."""
        try:
            raw = sqlite3.connect(
                self.path, timeout=self.busy_timeout, isolation_level=None, check_same_thread=False
            )
        except sqlite3.Error as exc:
            raise _error(exc) from exc
        conn = SQLiteConnection(raw)
        conn.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout * 1000)}")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
        # Deleted content overwritten with zeros (purged personal data do not linger in free
        # pages), a bounded WAL.
        conn.execute("PRAGMA secure_delete = ON")
        conn.execute(f"PRAGMA journal_size_limit = {JOURNAL_SIZE_LIMIT}")
        return conn

    @contextmanager
    def writing(self) -> Iterator[None]:
        if not self._write_lock.acquire(timeout=self.busy_timeout):
            raise DatabaseBusy("verrou d'écriture occupé")
        try:
            yield
        finally:
            self._write_lock.release()

    def prepare(self) -> None:
        if sqlite3.sqlite_version_info < MIN_SQLITE:
            raise DatabaseError(
                f"SQLite {sqlite3.sqlite_version} est trop ancien : il faut la version "
                f"{'.'.join(map(str, MIN_SQLITE))} ou plus récente"
            )
        self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = self.open()
        try:
            self._wal(conn)
        except BaseException:
            conn.close()
            raise
        if self._anchor is None:
            self._anchor = conn
        else:
            conn.close()

    def _wal(self, conn: SQLiteConnection) -> None:
        """Switch to WAL. Processes starting together on a new file race for it, and SQLite
        answers « locked » at once, without its busy wait: retry until the busy timeout."""
        deadline = time.monotonic() + self.busy_timeout
        while True:
            try:
                conn.execute("PRAGMA journal_mode = WAL")
                return
            except DatabaseBusy:
                if time.monotonic() >= deadline:
                    raise
                time.sleep(0.02)

    def close(self) -> None:
        if self._anchor is not None:
            self._anchor.close()
            self._anchor = None
