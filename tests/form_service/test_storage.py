from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from form_service import retention
from form_service.db.database import Database, Target
from form_service.db.migrations import MIGRATIONS
from form_service.demandes.save import save
from form_service.requests.mail_plan import Queued
from form_service.requests.queries import Pending
from form_service.requests.schema import validate
from tests.form_service.db_support import rows
from tests.form_service.form_support import valid_form

pytestmark = pytest.mark.both_backends


@pytest.fixture
def storage(database: Target) -> Iterator[Database]:
    storage = Database(database, busy_timeout=0.2)
    storage.migrate()
    yield storage
    storage.close()


def _save(storage: Database, request_id: str, when: float, **changes: str) -> None:
    submission = validate(valid_form(**changes), set())[0]
    assert submission is not None
    mail = Queued("accuse", submission.email, None, f"<{request_id}@aidess.example>")
    save(storage, Pending(request_id, submission, (), True, "{}", [mail], when))


def test_migrations_are_versioned_and_idempotent(storage: Database) -> None:
    assert storage.migrate() == len(MIGRATIONS)
    with storage.connect() as conn:
        assert conn.schema_version() == len(MIGRATIONS)
    if isinstance(storage.target, Path):
        assert rows(storage.target, "PRAGMA journal_mode") == [("wal",)]
    assert storage.healthy()


def test_processes_starting_together_migrate_once(database: Target) -> None:
    """Four workers starting at once on an empty database: one migrates, the others wait
    (PostgreSQL: advisory lock; SQLite: the write lock), none fails."""
    outcomes: list[object] = []

    def start() -> None:
        db = Database(database, busy_timeout=20)
        try:
            outcomes.append(db.migrate())
        except Exception as exc:
            outcomes.append(exc)
        finally:
            db.close()

    threads = [threading.Thread(target=start) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes == [len(MIGRATIONS)] * 4


def test_purge_keeps_anonymous_counts(storage: Database) -> None:
    now = time.time()
    _save(storage, "old", now - 400 * 86400)
    _save(storage, "new", now, nom="Autre")
    assert retention.purge(storage, now - 365 * 86400, now) == 1
    assert retention.purge(storage, now - 365 * 86400, now) == 0
    old = rows(
        storage.target,
        "SELECT personal, fingerprint, departement, forme, besoins, reseaux, purged "
        "FROM requests WHERE id = 'old'",
    )[0]
    new_personal = rows(storage.target, "SELECT personal FROM requests WHERE id = 'new'")[0]
    outbox = rows(storage.target, "SELECT owner_id FROM outbox")
    assert old[:2] == (None, None)
    assert old[2:4] == ("59", "association")
    assert json.loads(old[4]) == ["tresorerie", "emploi"]
    assert old[6] is not None
    assert json.loads(new_personal[0])["nom"] == "Autre"
    assert outbox == [("new",)]
