"""An SQLite too old for the batch writes stops the service at start-up, in French."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from form_service.database import Database, DatabaseError


def test_an_sqlite_older_than_3_38_is_refused_before_anything_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sqlite3, "sqlite_version_info", (3, 37, 2))
    monkeypatch.setattr(sqlite3, "sqlite_version", "3.37.2")
    path = tmp_path / "var" / "aidess.sqlite3"
    db = Database(path)
    with pytest.raises(DatabaseError, match=r"SQLite 3\.37\.2 est trop ancien.*3\.38\.0"):
        db.migrate()
    assert not path.exists()


def test_the_installed_sqlite_reads_json_as_the_batch_writes_do(tmp_path: Path) -> None:
    db = Database(tmp_path / "aidess.sqlite3")
    db.migrate()
    with db.connect() as conn:
        row = conn.execute("SELECT j.value ->> 1 FROM json_each(?) AS j", ('[["a", 2.5]]',))
        assert row.fetchone()[0] == 2.5
