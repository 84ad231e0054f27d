"""Reading a test's database (SQLite file or PostgreSQL schema) the way the service does."""

from __future__ import annotations

from typing import Any

from form_service.database import Database, Postgres, Target


def url(where: Target) -> str:
    """AIDESS_DATABASE for a child process (str() of a Postgres hides its password)."""
    return where.url if isinstance(where, Postgres) else str(where)


def rows(where: Target, sql: str, params: tuple[object, ...] = ()) -> list[tuple[Any, ...]]:
    """The rows of one query, as tuples (SQL in SQLite's spelling, like the service's)."""
    db = Database(where)
    try:
        with db.connect() as conn:
            return [tuple(r) for r in conn.execute(sql, params).fetchall()]
    finally:
        db.close()


def run(where: Target, sql: str, params: tuple[object, ...] = ()) -> None:
    """One statement, committed."""
    db = Database(where)
    try:
        with db.transaction() as conn:
            conn.execute(sql, params)
    finally:
        db.close()
