from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path

from form_service.emails import Queued
from form_service.schema import validate
from form_service.storage import MIGRATIONS, Pending, Storage
from tests.form_service.form_support import valid_form


def _storage(tmp_path: Path) -> Storage:
    storage = Storage(tmp_path / "var" / "db.sqlite3", busy_timeout=0.2)
    storage.migrate()
    return storage


def _save(storage: Storage, request_id: str, when: float, **changes: str) -> None:
    submission = validate(valid_form(**changes), set())[0]
    assert submission is not None
    mail = Queued("accuse", submission.email, None, f"<{request_id}@aidess.example>")
    storage.save(Pending(request_id, submission, (), True, "{}", [mail], when))


def test_migrations_are_versioned_and_idempotent(tmp_path: Path) -> None:
    storage = _storage(tmp_path)
    assert storage.migrate() == len(MIGRATIONS)
    conn = sqlite3.connect(storage.path)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        conn.close()
    assert storage.healthy()


def test_purge_keeps_anonymous_counts(tmp_path: Path) -> None:
    storage = _storage(tmp_path)
    now = time.time()
    _save(storage, "old", now - 400 * 86400)
    _save(storage, "new", now, nom="Autre")
    assert storage.purge(now - 365 * 86400, now) == 1
    assert storage.purge(now - 365 * 86400, now) == 0
    conn = sqlite3.connect(storage.path)
    try:
        old = conn.execute(
            "SELECT personal, fingerprint, departement, forme, besoins, reseaux, purged "
            "FROM requests WHERE id = 'old'"
        ).fetchone()
        new_personal = conn.execute("SELECT personal FROM requests WHERE id = 'new'").fetchone()
        outbox = conn.execute("SELECT request_id FROM outbox").fetchall()
    finally:
        conn.close()
    assert old[:2] == (None, None)
    assert old[2:4] == ("59", "association")
    assert json.loads(old[4]) == ["tresorerie", "emploi"]
    assert old[6] is not None
    assert json.loads(new_personal[0])["nom"] == "Autre"
    assert outbox == [("new",)]
