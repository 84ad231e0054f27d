"""Reading a test's database (SQLite file or PostgreSQL schema) the way the service does."""

from __future__ import annotations

from typing import Any

from form_service.db.database import Database, Postgres, Target


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


def dump(where: Target) -> str:
    """Every row of every table, as text (bytes decoded): what a search for personal data
    left in the database must not find."""
    db = Database(where)
    try:
        with db.connect() as conn:
            if conn.dialect == "postgresql":
                listing = (
                    "SELECT table_name FROM information_schema.tables "
                    "WHERE table_schema = current_schema() ORDER BY table_name"
                )
            else:
                listing = "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            tables = [r[0] for r in conn.execute(listing).fetchall()]
            lines = []
            for table in tables:
                for row in conn.execute(f'SELECT * FROM "{table}"').fetchall():
                    cells = [
                        bytes(c).decode("utf-8", "replace")
                        if isinstance(c, bytes | memoryview)
                        else str(c)
                        for c in row
                    ]
                    lines.append(f"{table}: " + " | ".join(cells))
            return "\n".join(lines)
    finally:
        db.close()
