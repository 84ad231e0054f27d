"""Running the schema's migrations (the scripts are in form_service/db/scripts.py, where the
rules for adding one are written)."""

from __future__ import annotations

from form_service.db.connection import Connection
from form_service.db.dialect import statements
from form_service.db.scripts import MIGRATIONS

__all__ = ["MIGRATIONS", "apply"]


def apply(conn: Connection, label: str) -> int:
    """Run the missing migrations on `conn` (inside the caller's transaction); returns the
    schema version reached."""
    version = conn.schema_version()
    if version > len(MIGRATIONS):
        raise RuntimeError(
            f"base {label} en version {version}, plus récente que ce code ({len(MIGRATIONS)})"
        )
    for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
        for statement in statements(conn.migration_script(script)):
            conn.execute(statement)
        conn.after_migration()
        conn.set_schema_version(number)
    return len(MIGRATIONS)
