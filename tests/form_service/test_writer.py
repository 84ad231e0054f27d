from __future__ import annotations

import asyncio
import os
import pickle
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from form_service import store_process
from form_service.database import Conflict, DatabaseError, Target
from form_service.mail_plan import Queued
from form_service.request_queries import RateLimited
from form_service.schema import validate
from form_service.storage import DatabaseBusy, Pending, Saved, Storage
from form_service.writer import Writer
from tests.form_service.db_support import rows
from tests.form_service.form_support import run_async, valid_form

pytestmark = pytest.mark.both_backends


@pytest.fixture
def storage(database: Target) -> Iterator[Storage]:
    storage = Storage(database, busy_timeout=0.3)
    storage.migrate()
    yield storage
    storage.close()


def _pending(n: int, message_id: str | None = None, **changes: str) -> Pending:
    submission = validate(valid_form(nom=f"Personne {n}", **changes), set())[0]
    assert submission is not None
    mails = [
        Queued("reseau", "a@reseaux.example", "a", message_id or f"<r{n}.1@aidess.example>"),
        Queued("accuse", submission.email, None, f"<r{n}.2@aidess.example>"),
    ]
    return Pending(f"r{n}", submission, ("a",), False, "{}", mails, time.time())


def _count(storage: Storage, sql: str) -> int:
    return int(rows(storage.target, sql)[0][0])


def test_concurrent_saves_share_commits(storage: Storage) -> None:
    writer = Writer(storage)

    async def main() -> list[Saved]:
        return await asyncio.gather(*(writer.save(_pending(n)) for n in range(50)))

    try:
        saved = run_async(main())
    finally:
        writer.close()
    assert sorted(s.id for s in saved) == sorted(f"r{n}" for n in range(50))
    assert not any(s.duplicate for s in saved)
    assert _count(storage, "SELECT count(*) FROM requests") == 50
    assert _count(storage, "SELECT count(*) FROM outbox") == 100
    assert writer.batches < 50 and writer.largest > 1  # grouped: fewer commits than requests


def test_a_failing_request_does_not_sink_its_batch(storage: Storage) -> None:
    storage.save(_pending(0))
    # Request 2 reuses request 0's Message-ID (UNIQUE): it fails, alone and entirely.
    batch = [_pending(1), _pending(2, message_id="<r0.1@aidess.example>"), _pending(3)]
    results = storage.save_batch(batch)
    assert [type(r).__name__ for r in results] == ["Saved", "Conflict", "Saved"]
    ids = rows(storage.target, "SELECT id FROM requests ORDER BY id")
    assert ids == [("r0",), ("r1",), ("r3",)]
    assert _count(storage, "SELECT count(*) FROM outbox WHERE request_id = 'r2'") == 0
    assert _count(storage, "SELECT count(*) FROM outbox") == 6


def test_writer_answers_each_request_with_its_own_outcome(storage: Storage) -> None:
    storage.save(_pending(0))
    writer = Writer(storage)

    async def main() -> list[Saved | BaseException]:
        batch = [_pending(1), _pending(2, message_id="<r0.1@aidess.example>"), _pending(3)]
        return await asyncio.gather(*(writer.save(p) for p in batch), return_exceptions=True)

    try:
        first, failed, third = run_async(main())
    finally:
        writer.close()
    assert isinstance(first, Saved) and isinstance(third, Saved)
    assert isinstance(failed, Conflict)


def test_duplicates_in_one_batch_are_one_request(storage: Storage) -> None:
    same = _pending(1)
    again = Pending("other", same.submission, ("a",), False, "{}", [], same.created)
    first, second = storage.save_batch([same, again])
    assert isinstance(first, Saved) and isinstance(second, Saved)
    assert second.duplicate and second.id == "r1"
    assert _count(storage, "SELECT count(*) FROM requests") == 1


def test_locked_database_fails_the_whole_batch_cleanly(storage: Storage) -> None:
    writer = Writer(storage)
    blocker = storage.open()  # another process storing requests
    blocker.begin()
    blocker.lock("aidess:requests")

    async def main() -> list[Saved | BaseException]:
        saves = (writer.save(_pending(n)) for n in range(5))
        return await asyncio.gather(*saves, return_exceptions=True)

    try:
        results = run_async(main())
        blocker.rollback()
        saved = run_async(writer.save(_pending(9)))  # the writer recovers
    finally:
        blocker.close()
        writer.close()
    assert all(isinstance(r, DatabaseBusy) for r in results)
    assert saved.id == "r9"
    assert _count(storage, "SELECT count(*) FROM requests") == 1
    assert _count(storage, "SELECT count(*) FROM outbox") == 2


def test_save_raises_the_failure(storage: Storage) -> None:
    storage.save(_pending(0))
    with pytest.raises(Conflict):
        storage.save(_pending(1, message_id="<r0.1@aidess.example>"))


def test_requests_are_stored_by_a_process_of_their_own(storage: Storage) -> None:
    writer = Writer(storage)
    try:
        saved = run_async(writer.save(_pending(1)))
        store = writer.store
        assert store is not None and store.alive()
        assert store.pid is not None and store.pid != os.getpid()
    finally:
        writer.close()
    assert saved.id == "r1"
    assert _count(storage, "SELECT count(*) FROM requests") == 1
    assert not store.alive()  # closing the writer ends its storage process


def test_a_lost_storage_process_is_replaced_and_its_batch_stored_once(
    storage: Storage,
) -> None:
    """The child killed while it waits for the database lock: a new child stores the batch,
    each request once, and each visitor gets their own answer."""
    slow = Storage(storage.target, busy_timeout=30.0)  # the child would wait for the lock
    writer = Writer(slow)
    run_async(writer.save(_pending(0)))
    store = writer.store
    assert store is not None and store.pid is not None
    blocker = storage.open()
    blocker.begin()
    blocker.lock("aidess:requests")

    async def main() -> list[Saved | BaseException]:
        saves = asyncio.gather(
            *(writer.save(_pending(n)) for n in range(1, 4)), return_exceptions=True
        )
        await asyncio.sleep(0.5)  # the batch is in the child, waiting for the lock
        os.kill(store.pid or 0, signal.SIGKILL)
        await asyncio.sleep(0.5)  # the batch is sent again, to a new child
        blocker.rollback()
        return await saves

    try:
        results = run_async(main())
        second = writer.store
    finally:
        blocker.close()
        writer.close()
        slow.close()
    assert [r.id for r in results if isinstance(r, Saved)] == ["r1", "r2", "r3"]
    assert not any(isinstance(r, Saved) and r.duplicate for r in results)
    assert second is not None and second.pid != store.pid
    assert rows(storage.target, "SELECT id FROM requests ORDER BY id") == [
        ("r0",), ("r1",), ("r2",), ("r3",),
    ]  # fmt: skip
    assert _count(storage, "SELECT count(*) FROM outbox") == 8


def test_a_process_that_never_closes_its_writer_still_exits(storage: Storage) -> None:
    """The child ignores SIGTERM (it stores the last requests of a stopping service): a
    service that exits without closing its writer must not wait for it forever."""
    script = (
        "import asyncio, sys\n"
        "from form_service.database import target\n"
        "from form_service.storage import Storage\n"
        "from form_service.writer import Writer\n"
        "from tests.form_service.test_writer import _pending\n"
        "storage = Storage(target(sys.argv[1]))\n"
        "asyncio.run(Writer(storage).save(_pending(1)))\n"
        "print('saved')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, getattr(storage.target, "url", str(storage.target))],
        capture_output=True, text=True, timeout=60, cwd=Path(__file__).parents[2],
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "saved"
    assert _count(storage, "SELECT count(*) FROM requests") == 1


def test_a_refusal_keeps_its_wait_across_processes() -> None:
    again = pickle.loads(pickle.dumps(RateLimited(1234)))
    assert isinstance(again, RateLimited) and again.retry_after == 1234


class _TwoArguments(Exception):
    def __init__(self, table: str, column: str) -> None:
        super().__init__(f"{table}.{column}")


def test_an_outcome_that_cannot_travel_back_goes_as_a_database_error() -> None:
    saved = Saved("r1", ["a"], False, "AID-2026-00001", "cle")
    outcomes = pickle.loads(store_process._pickled([saved, _TwoArguments("outbox", "cle")]))
    assert outcomes[0] == saved
    assert isinstance(outcomes[1], DatabaseError)
    assert str(outcomes[1]) == "_TwoArguments: outbox.cle"
