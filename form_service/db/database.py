"""The service's database, SQLite or PostgreSQL: connections, write transactions, schema
migrations and the health check, the same API for both.

`Database(target)` with a `Path` is a SQLite file (form_service/db/sqlite.py: one worker, the
default); with a `Postgres` URL it is a PostgreSQL server reached through a connection pool
(form_service/db/postgres.py: several workers and instances). The queries take a
`Connection` and write SQL once, in SQLite's spelling (form_service/db/dialect.py says what is
rewritten for PostgreSQL); the few things only PostgreSQL needs to behave as one process are
methods of the connection: `lock(name)` (an advisory lock until the end of the transaction)
and `for_update(alias)` (the rows a claim reads stay its own, others skip them).
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar
from urllib.parse import urlsplit, urlunsplit

from form_service.db import deadline, migrations
from form_service.db.connection import (
    Conflict,
    Connection,
    Cursor,
    DatabaseBusy,
    DatabaseError,
    Engine,
)
from form_service.db.postgres import PostgresEngine
from form_service.db.sqlite import SQLiteEngine

__all__ = [
    "Conflict",
    "Connection",
    "Cursor",
    "Database",
    "DatabaseBusy",
    "DatabaseError",
    "Postgres",
    "Target",
    "target",
]


T = TypeVar("T")


@dataclass(frozen=True)
class Postgres:
    """A `postgresql://` URL; printed without its password."""

    url: str

    def __str__(self) -> str:
        parts = urlsplit(self.url)
        if parts.password is None:
            return self.url
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        return urlunsplit(parts._replace(netloc=netloc))


Target = Path | Postgres


def target(value: str) -> Target:
    """AIDESS_DATABASE: a PostgreSQL URL, else the path of a SQLite file."""
    if value.startswith(("postgresql://", "postgres://")):
        return Postgres(value)
    return Path(value)


def _engine(where: Target, busy_timeout: float) -> Engine:
    if isinstance(where, Postgres):
        return PostgresEngine(where.url, busy_timeout)
    return SQLiteEngine(where, busy_timeout)


class Database:
    def __init__(self, where: Target, busy_timeout: float = 5.0) -> None:
        self.target = where
        self.busy_timeout = busy_timeout
        self._engine = _engine(where, busy_timeout)

    @property
    def postgres(self) -> bool:
        return isinstance(self.target, Postgres)

    def open(self) -> Connection:
        """A connection of its own (for a long job of its own); close() it."""
        return self._engine.open()

    @contextmanager
    def connect(self) -> Iterator[Connection]:
        conn = self.open()
        try:
            yield conn
        finally:
            conn.close()

    @contextmanager
    def transaction(self, conn: Connection | None = None) -> Iterator[Connection]:
        """BEGIN … COMMIT, rolled back on any error (on `conn`, or a new connection)."""
        with self._engine.writing(), contextlib.ExitStack() as stack:
            if conn is None:
                conn = stack.enter_context(self.connect())
            conn.begin()
            try:
                yield conn
                limit = deadline.current()
                if limit is not None and not limit.may_commit():
                    raise deadline.Abandoned("réponse 503 déjà donnée : rien n'est enregistré")
                conn.commit()
                if limit is not None:
                    limit.committed()
            except BaseException:
                if conn.in_transaction:
                    with contextlib.suppress(DatabaseError):
                        conn.rollback()
                raise

    async def run(self, work: Callable[..., T], *args: object) -> T:
        """Run `work(*args)` (blocking database work) off the event loop, within a deadline
        past which a hung database is answered as busy (DatabaseBusy: nothing committed, see
        form_service/db/deadline.py). The deadline leaves room for one wait on a lock
        (the busy timeout) and the work itself."""
        return await deadline.within(self.busy_timeout * 2 + 1, work, *args)

    def migrate(self) -> int:
        """Bring the schema to the latest version (form_service/db/migrations.py); returns it.
        Several processes starting together: one migrates, the others wait for it."""
        self._engine.prepare()
        with self.transaction() as conn:
            conn.lock("aidess:migrations")
            return migrations.apply(conn, str(self.target))

    def check_writable(self) -> None:
        """Write one row and commit (to the disk): raises DatabaseError when
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
        except (DatabaseError, OSError):
            return False

    def checkpoint(self, attempts: int = 5) -> bool:
        """SQLite: copy the WAL into the database and truncate it (purged data must not
        survive in it); retried briefly while readers hold it. True when it completed.
        PostgreSQL: nothing to do (its WAL is the server's)."""
        if self.postgres:
            return True
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

    def close(self) -> None:
        """Close the pool of connections (PostgreSQL); the object is unusable after."""
        self._engine.close()
