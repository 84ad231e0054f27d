"""A batch stored with one statement per table (request_batch.py) stores what storing its
requests one by one stores: the same rows, references, follow-ups, duplicates and quota
refusals, on a real database of each back-end."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest

from form_service import batch_quotas, mail_plan, request_batch
from form_service.batch_store import _one_by_one, save_batch
from form_service.database import Connection, Cursor, Database
from form_service.dossier_intake import new_dossier, with_keys
from form_service.request_queries import Pending, RateLimited, RateSlot, Saved
from form_service.schema import validate
from tests.form_service.form_support import valid_form

pytestmark = pytest.mark.both_backends

TABLES = {
    "requests": "id, created, fingerprint, besoins, reseaux, fallback, personal, mails",
    "outbox": "request_id, kind, recipient, reseau, message_id, next_attempt, created, cle",
    "dossiers": "id, reference, created, follows, email_hash, ident_hash",
    "recipients": "dossier_id, id, role, slug, nom, email, added, via",
    "dossier_keys": "dossier_id, holder, digest",
    "rate_slots": "key, at",
    "rate_keys": "key, n",
    "dossier_numbers": "year, last",
}
SNAPSHOT = mail_plan.Snapshot((), (), "aucun réseau", None, (), "https://aides.example/", 90)
NEW_YEAR = datetime(2027, 1, 1, tzinfo=UTC).timestamp()


def pending(
    rid: str, created: float, quota: int = 3, key: str = "client-1", **form: str
) -> Pending:
    submission = validate(valid_form(**form), set())[0]
    assert submission is not None
    dossier = new_dossier(submission, SNAPSHOT, "secours@aides.example", created)
    mails = mail_plan.plan(
        rid, SNAPSHOT, submission.email, "secours@aides.example", "aidess@aides.example"
    )
    return Pending(
        request_id=rid, submission=submission, reseaux=(), fallback=True,
        snapshot_json=SNAPSHOT.to_json(), mails=with_keys(mails, dossier), created=created,
        dossier=dossier, rate=RateSlot(key, quota, 3600.0),
    )  # fmt: skip


def scenario() -> list[list[Pending]]:
    """Batches that cross a new year, with a duplicate within a batch and of a stored
    request, follow-ups by address and by SIRET, and a client past its quota of 3."""
    t = NEW_YEAR - 30
    first = pending("a", t, nom="Alice")
    return [
        [pending("old", t - 86400 * 3, email="camille@asso.example", key="client-2")],
        [
            first,
            pending("a-again", t + 1, nom="Alice"),  # the same form: a duplicate of "a"
            pending("b", t + 2, nom="Bruno", identifiant="W595000001"),
            pending("c", t + 3, nom="Chloé"),  # same address as "a" and "b": follows "b"
            pending("d", t + 4, nom="Denis"),  # 4th request of client-1: refused
            pending("e", t + 40, email="camille@asso.example", key="client-2"),  # new year
        ],
        [
            pending("a-later", t + 50, nom="Alice"),  # a duplicate of "a", in the database
            pending("f", t + 60, email="f@asso.example", identifiant="W595000001", key="k3"),
            pending("g", t + 70, email="g@asso.example", key="client-2", quota=1),
        ],
    ]


def _contents(db: Database) -> dict[str, list[tuple[Any, ...]]]:
    with db.connect() as conn:
        return {
            table: sorted(tuple(r) for r in conn.execute(f"SELECT {cols} FROM {table}"))
            for table, cols in TABLES.items()
        }


def _clear(db: Database) -> None:
    with db.transaction() as conn:
        for table in ("outbox", "dossier_keys", "recipients", "dossiers", "requests",
                      "rate_slots", "rate_keys", "dossier_numbers"):  # fmt: skip
            conn.execute(f"DELETE FROM {table}")


def _described(outcome: Saved | Exception) -> object:
    if isinstance(outcome, RateLimited):
        return ("refusée", outcome.retry_after)
    return outcome


def _run(db: Database, batches: list[list[Pending]], bulk: bool) -> list[object]:
    outcomes: list[object] = []
    for batch in batches:
        with db.transaction() as tx:
            results = request_batch.store(tx, batch) if bulk else _one_by_one(tx, batch)
        outcomes += [_described(o) for o in results]
    return outcomes


def test_a_batch_stores_what_one_by_one_stores(db: Database) -> None:
    batches = scenario()
    one_by_one = _run(db, batches, bulk=False)
    expected = _contents(db)
    _clear(db)
    assert _run(db, batches, bulk=True) == one_by_one
    assert _contents(db) == expected
    # What the scenario is about, as the visitor and the networks see it.
    by_id = {
        p.request_id: o for p, o in zip([p for b in batches for p in b], one_by_one, strict=True)
    }
    assert isinstance(by_id["a"], Saved) and by_id["a"].reference == "AID-2026-00002"
    assert by_id["a-again"] == Saved("a", [], True, "AID-2026-00002")
    assert by_id["a-later"] == Saved("a", [], True, "AID-2026-00002")
    assert by_id["d"] == ("refusée", 3600 - 4)
    assert by_id["g"] == ("refusée", 3600 - 30)
    assert isinstance(by_id["e"], Saved) and by_id["e"].reference == "AID-2027-00001"
    follows = {r[0]: r[3] for r in expected["dossiers"]}
    assert follows["a"] is None and follows["b"] == "a" and follows["c"] == "b"
    assert follows["e"] == "old" and follows["f"] == "b"  # by address, by SIRET/RNA


@dataclass
class _Counting:
    """A connection that counts the statements sent to the database."""

    conn: Connection
    statements: int = 0

    @property
    def dialect(self) -> str:
        return self.conn.dialect

    def execute(self, sql: str, params: tuple[object, ...] = ()) -> Cursor:
        self.statements += 1
        return self.conn.execute(sql, params)

    def lock(self, name: str) -> None:
        self.statements += self.conn.dialect == "postgresql"
        self.conn.lock(name)


@pytest.mark.parametrize("size", [1, 50, 200])
def test_a_batch_takes_the_same_few_statements_whatever_its_size(db: Database, size: int) -> None:
    batch = [
        pending(f"r{n}", NEW_YEAR - 600 + n, quota=1000, email=f"p{n}@asso.example")
        for n in range(size)
    ]
    with db.transaction() as tx:
        counting = _Counting(tx)
        results = request_batch.store(counting, batch)  # type: ignore[arg-type]
    assert all(isinstance(r, Saved) and not r.duplicate for r in results)
    # One read, the quota's counter and slots, the year's counter and its first number, one
    # INSERT per table (requests, outbox, dossiers, recipients, keys); PostgreSQL also
    # locks the client's quota.
    assert counting.statements == 10 + (db.postgres)
    assert len(_contents(db)["requests"]) == size


def test_one_client_under_two_quotas_is_left_to_the_one_by_one_path(db: Database) -> None:
    t = NEW_YEAR - 600
    batch = [
        pending("strict", t, quota=1, email="a@asso.example"),
        pending("loose", t + 1, quota=5, email="b@asso.example"),
    ]
    with pytest.raises(batch_quotas.MixedQuotas), db.transaction() as tx:
        request_batch.store(tx, batch)
    first, second = save_batch(db, batch)
    assert isinstance(first, Saved) and isinstance(second, Saved)  # each under its own quota
    assert {r[0] for r in _contents(db)["requests"]} == {"strict", "loose"}
