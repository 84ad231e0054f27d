"""The PostgreSQL back-end (psycopg 3): a pool of connections per process, in autocommit
outside the service's explicit transactions, so N workers and N instances share one state.

What makes them behave as one process: the schema migrated under an advisory lock; the
requests stored under one advisory lock (dedupe, the dossier reference, the rate-limit count
see every committed request); a dossier changed under a lock of its own (one reminder, one
re-routing); the outbox claimed with FOR UPDATE SKIP LOCKED (one sender per mail). Waiting
for a lock is bounded by the busy timeout (`lock_timeout`), then DatabaseBusy, as on SQLite.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, cast

import psycopg
from psycopg import errors, pq
from psycopg_pool import ConnectionPool, PoolTimeout

from form_service.db.connection import Conflict, Connection, Cursor, DatabaseBusy, DatabaseError
from form_service.db.dialect import postgres, postgres_ddl

STATEMENT_TIMEOUT_MS = 60_000
POOL_SIZE = 10  # connections per process (each thread holds one per operation)
BUSY = (
    errors.LockNotAvailable,
    errors.DeadlockDetected,
    errors.SerializationFailure,
    errors.QueryCanceled,
    psycopg.OperationalError,
)
VERSION_TABLE = "CREATE TABLE IF NOT EXISTS aidess_schema (version INTEGER NOT NULL)"

Raw = psycopg.Connection[tuple[Any, ...]]


def _error(exc: psycopg.Error) -> DatabaseError:
    if isinstance(exc, psycopg.IntegrityError):
        return Conflict(str(exc))
    if isinstance(exc, BUSY):
        return DatabaseBusy(str(exc))
    return DatabaseError(str(exc))


class PostgresConnection(Connection):
    dialect = "postgresql"

    def __init__(self, raw: Raw, pool: ConnectionPool[Raw]) -> None:
        self.raw, self._pool = raw, pool

    def execute(self, sql: str, params: Sequence[object] = ()) -> Cursor:
        try:
            return cast(Cursor, self.raw.execute(postgres(sql), params))
        except psycopg.Error as exc:
            raise _error(exc) from exc

    def executemany(self, sql: str, rows: Sequence[Sequence[object]]) -> None:
        if not rows:
            return
        try:
            with self.raw.cursor() as cursor:
                cursor.executemany(postgres(sql), rows)
        except psycopg.Error as exc:
            raise _error(exc) from exc

    @property
    def in_transaction(self) -> bool:
        return self.raw.info.transaction_status in (
            pq.TransactionStatus.INTRANS,
            pq.TransactionStatus.INERROR,
        )

    def lock(self, name: str) -> None:
        self.execute("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))", (name,))

    def for_update(self, alias: str) -> str:
        return f" FOR UPDATE OF {alias} SKIP LOCKED"

    def schema_version(self) -> int:
        self.execute(VERSION_TABLE)
        row = self.execute("SELECT max(version) FROM aidess_schema").fetchone()
        return int(row[0] or 0)

    def set_schema_version(self, version: int) -> None:
        self.execute(VERSION_TABLE)
        self.execute("DELETE FROM aidess_schema")
        self.execute("INSERT INTO aidess_schema (version) VALUES (?)", (version,))

    def migration_script(self, script: str) -> str:
        return postgres_ddl(script)

    def after_migration(self) -> None:
        """A table rebuilt by a migration (INSERT … SELECT with its ids) leaves its identity
        sequence behind: restart each past the largest id, so the next row gets a new one."""
        columns = self.execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND is_identity = 'YES'"
        ).fetchall()
        for table, column in columns:
            self.execute(
                f"SELECT setval(pg_get_serial_sequence(?, ?), "
                f'coalesce((SELECT max("{column}") FROM "{table}"), 0) + 1, false)',
                (table, column),
            )

    def close(self) -> None:
        if self.in_transaction:  # only after an error the caller could not roll back
            self.raw.rollback()
        self._pool.putconn(self.raw)


class PostgresEngine:
    """The pool opens on first use and again after close() (a test's second client)."""

    def __init__(self, url: str, busy_timeout: float) -> None:
        self.url, self.busy_timeout = url, busy_timeout
        self._pool: ConnectionPool[Raw] | None = None
        self._lock = threading.Lock()
        _ENGINES.add(self)

    def _configure(self, conn: Raw) -> None:
        conn.execute(f"SET lock_timeout = {max(1, int(self.busy_timeout * 1000))}")
        # The server's own bounds (a client that stops waiting cannot stop the server): no
        # statement runs for a minute, and a transaction left idle by a client gone silent (a
        # request abandoned past its deadline, form_service/db/deadline.py) ends and releases
        # its locks.
        conn.execute(f"SET statement_timeout = {STATEMENT_TIMEOUT_MS}")
        conn.execute(f"SET idle_in_transaction_session_timeout = {STATEMENT_TIMEOUT_MS}")
        conn.execute("SET TIME ZONE 'UTC'")

    @property
    def pool(self) -> ConnectionPool[Raw]:
        with self._lock:
            if self._pool is None:
                self._pool = ConnectionPool(
                    self.url,
                    min_size=1,
                    max_size=POOL_SIZE,
                    kwargs={"autocommit": True},
                    configure=self._configure,
                    timeout=self.busy_timeout,
                    name="aidess",
                    open=True,
                )
            return self._pool

    def open(self) -> PostgresConnection:
        pool = self.pool
        try:
            raw = pool.getconn()
        except PoolTimeout as exc:
            raise DatabaseBusy(f"aucune connexion PostgreSQL disponible ({exc})") from exc
        return PostgresConnection(raw, pool)

    @contextmanager
    def writing(self) -> Iterator[None]:
        yield  # transactions of several threads run at once; locks are the database's

    def prepare(self) -> None:
        pass

    def close(self) -> None:
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.close()


_ENGINES: weakref.WeakSet[PostgresEngine] = weakref.WeakSet()


def close_all() -> None:
    """Close every pool of this process (tests, before dropping their database)."""
    for engine in list(_ENGINES):
        engine.close()
