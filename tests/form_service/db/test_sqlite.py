"""Start-up on SQLite: a version too old for the batch writes stops it, in French; processes
racing to switch a new file to WAL all succeed."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from pathlib import Path

import pytest

from form_service.db import sqlite as sqlite_db
from form_service.db.database import Cursor, Database, DatabaseBusy, DatabaseError


def test_an_sqlite_older_than_3_35_is_refused_before_anything_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sqlite3, "sqlite_version_info", (3, 34, 1))
    monkeypatch.setattr(sqlite3, "sqlite_version", "3.34.1")
    path = tmp_path / "var" / "aidess.sqlite3"
    db = Database(path)
    with pytest.raises(DatabaseError, match=r"SQLite 3\.34\.1 est trop ancien.*3\.35\.0"):
        db.migrate()
    assert not path.exists()


def test_the_switch_to_wal_is_retried_while_another_process_makes_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLite answers « locked » at once, without its busy wait, to a second process
    switching a new file to WAL: the first two tries fail that way here."""
    refusals = []
    execute = sqlite_db.SQLiteConnection.execute

    def racing(self: sqlite_db.SQLiteConnection, sql: str, params: Sequence[object] = ()) -> Cursor:
        if sql == "PRAGMA journal_mode = WAL" and len(refusals) < 2:
            refusals.append(sql)
            raise DatabaseBusy("database is locked")
        return execute(self, sql, params)

    monkeypatch.setattr(sqlite_db.SQLiteConnection, "execute", racing)
    db = Database(tmp_path / "aidess.sqlite3", busy_timeout=5.0)
    db.migrate()
    assert len(refusals) == 2
    with db.connect() as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_the_switch_to_wal_gives_up_after_the_busy_timeout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def locked(self: sqlite_db.SQLiteConnection, sql: str, params: Sequence[object] = ()) -> Cursor:
        raise DatabaseBusy("database is locked")

    monkeypatch.setattr(sqlite_db.SQLiteConnection, "execute", locked)
    with pytest.raises(DatabaseBusy):
        Database(tmp_path / "aidess.sqlite3", busy_timeout=0.1).migrate()
