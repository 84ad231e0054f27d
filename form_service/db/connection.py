"""What both back-ends provide (form_service/db/sqlite.py, postgres.py): a connection whose
driver errors come out as DatabaseError, and an engine that opens them."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from typing import Any, Protocol


class DatabaseError(Exception):
    """The database refused or failed an operation (the driver's error is the cause)."""


class DatabaseBusy(DatabaseError):
    """The database stayed locked or unreachable beyond the timeout: nothing was written."""


class Conflict(DatabaseError):
    """A constraint (unique key, foreign key, check) refused the row."""


class Cursor(Protocol):
    rowcount: int

    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...

    def __iter__(self) -> Iterator[Any]: ...


class Connection:
    """One connection of either back-end; driver errors come out as DatabaseError."""

    dialect = ""

    def execute(self, sql: str, params: Sequence[object] = ()) -> Cursor:
        raise NotImplementedError

    def executemany(self, sql: str, rows: Sequence[Sequence[object]]) -> None:
        raise NotImplementedError

    def begin(self) -> None:
        """Start a write transaction (SQLite takes the file's write lock at once)."""
        self.execute("BEGIN")

    def commit(self) -> None:
        self.execute("COMMIT")

    def rollback(self) -> None:
        self.execute("ROLLBACK")

    @property
    def in_transaction(self) -> bool:
        raise NotImplementedError

    def lock(self, name: str) -> None:
        """Exclude other transactions that lock `name` until this one ends (PostgreSQL; on
        SQLite write transactions already exclude each other)."""

    def for_update(self, alias: str) -> str:
        """The clause that keeps the rows of `alias` a query reads to this transaction, the
        others skipping them (PostgreSQL's FOR UPDATE SKIP LOCKED; empty on SQLite)."""
        return ""

    def schema_version(self) -> int:
        raise NotImplementedError

    def set_schema_version(self, version: int) -> None:
        raise NotImplementedError

    def migration_script(self, script: str) -> str:
        return script

    def after_migration(self) -> None:
        """What a back-end must do once a migration script ran (PostgreSQL: identities)."""

    def close(self) -> None:
        raise NotImplementedError


class Engine(Protocol):
    """How one back-end opens connections (form_service/db/sqlite.py, postgres_db.py)."""

    def open(self) -> Connection: ...

    def writing(self) -> contextlib.AbstractContextManager[None]: ...

    def prepare(self) -> None: ...

    def close(self) -> None: ...
