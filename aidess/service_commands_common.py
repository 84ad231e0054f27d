"""What the `aidess` subcommands of the service share: how they fail and log, and how those
that need only the database open it."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from form_service.db.database import Database


def fail(message: str) -> int:
    print(f"erreur : {message}", file=sys.stderr)
    return 1


def setup_logging() -> None:
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )


def open_database() -> Database | int:
    """The database AIDESS_DATABASE names, migrated; or, said on stderr, why not (the
    command's exit code): not configured, a SQLite file that does not exist (never created
    by a command that only reads or erases), or unreadable."""
    from form_service.db.database import Database, DatabaseError
    from form_service.settings import ConfigError, database

    try:
        where = database(os.environ)
    except ConfigError as exc:
        return fail(str(exc))
    if isinstance(where, Path) and not where.exists():
        return fail(f"base introuvable : {where} (AIDESS_DATABASE)")
    storage = Database(where)
    try:
        storage.migrate()
    except DatabaseError as exc:
        storage.close()
        return fail(f"base {where} : {exc}")
    return storage
