"""Drawing a dossier's reference and finding the structure's earlier dossier, on a real
database of each back-end (the queries run for every stored request)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from form_service.db.database import Connection, Database, Target
from form_service.db.dialect import statements
from form_service.db.migrations import MIGRATIONS
from form_service.dossiers import queries as dossier_queries
from form_service.dossiers.model import Recipient
from form_service.dossiers.needs import held

pytestmark = pytest.mark.both_backends

BEFORE_COUNTERS = 7  # the last schema version that numbered dossiers by max(reference)


def at(year: int, month: int = 6, day: int = 1) -> float:
    return datetime(year, month, day, 12, tzinfo=UTC).timestamp()


@pytest.fixture
def db(database: Target) -> Iterator[Database]:
    """Not migrated (conftest's `db` is): some tests start from an old schema."""
    if isinstance(database, Path):
        database.parent.mkdir(parents=True, exist_ok=True)
    db = Database(database)
    yield db
    db.close()


def _old_schema(db: Database, dossiers: dict[str, float]) -> None:
    """A database of version 7 holding dossiers with these references."""
    with db.transaction() as conn:
        for number, script in enumerate(MIGRATIONS[:BEFORE_COUNTERS], start=1):
            for statement in statements(conn.migration_script(script)):
                conn.execute(statement)
            conn.set_schema_version(number)
        for i, (ref, created) in enumerate(dossiers.items()):
            _dossier(conn, f"d{i}", created, reference=ref)


def _dossier(
    conn: Connection, ident: str, created: float, reference: str | None = None,
    email_hash: str | None = None, ident_hash: str | None = None, purged: float | None = None,
) -> None:  # fmt: skip
    conn.execute(
        "INSERT INTO requests (id, created, departement, forme, effectif, secteur, besoins, "
        "reseaux, fallback, personal) VALUES (?, ?, '59', 'association', '0', 'sport', "
        "'[]', '[]', 0, '{}')",
        (ident, created),
    )
    conn.execute(
        "INSERT INTO dossiers (id, reference, created, departement, besoins, email_hash, "
        "ident_hash, purged) VALUES (?, ?, ?, '59', '[]', ?, ?, ?)",
        (ident, reference or f"REF-{ident}", created, email_hash, ident_hash, purged),
    )


def test_references_continue_after_the_upgrade_and_restart_each_year(db: Database) -> None:
    _old_schema(db, {"AID-2025-00007": at(2025), "AID-2026-00041": at(2026, 3)})
    db.migrate()
    drawn = []
    with db.transaction() as conn:
        for moment in (at(2026), at(2026), at(2025, 12, 30), at(2027, 1, 2), at(2027)):
            drawn.append(dossier_queries.reference(conn, moment))
    assert drawn == [
        "AID-2026-00042", "AID-2026-00043", "AID-2025-00008", "AID-2027-00001", "AID-2027-00002",
    ]  # fmt: skip


def test_a_rolled_back_request_gives_its_number_back(db: Database) -> None:
    db.migrate()
    with db.transaction() as conn:
        assert dossier_queries.reference(conn, at(2026)) == "AID-2026-00001"
        conn.execute("SAVEPOINT request")
        assert dossier_queries.reference(conn, at(2026)) == "AID-2026-00002"
        conn.execute("ROLLBACK TO request")
        conn.execute("RELEASE request")
        assert dossier_queries.reference(conn, at(2026)) == "AID-2026-00002"


def test_the_earlier_dossier_is_the_latest_by_address_or_identifier(db: Database) -> None:
    db.migrate()
    now = at(2026, 6, 30)
    day = 86400.0
    with db.transaction() as conn:
        _dossier(conn, "old", now - 40 * day, email_hash="mail")  # outside the 30 days
        _dossier(conn, "by-mail", now - 10 * day, email_hash="mail", ident_hash="other")
        _dossier(conn, "by-siret", now - 5 * day, email_hash="x", ident_hash="siret")
        _dossier(conn, "erased", now - day, email_hash="mail", purged=now - day)
        _dossier(conn, "new", now, email_hash="mail", ident_hash="siret")
        earlier = dossier_queries.earlier
        assert earlier(conn, "new", "mail", "siret", now) == "by-siret"
        assert earlier(conn, "new", "mail", None, now) == "by-mail"
        assert earlier(conn, "new", "mail", "unknown", now) == "by-mail"
        assert earlier(conn, "new", "nobody", None, now) is None
        assert earlier(conn, "by-siret", "x", None, now) is None  # never itself


BEFORE_NEEDS = 9  # the last schema version whose recipients held no needs


def test_recipients_stored_before_needs_hold_every_need(db: Database) -> None:
    with db.transaction() as conn:
        for number, script in enumerate(MIGRATIONS[:BEFORE_NEEDS], start=1):
            for statement in statements(conn.migration_script(script)):
                conn.execute(statement)
            conn.set_schema_version(number)
        _dossier(conn, "old", at(2026))
        conn.execute(
            "UPDATE dossiers SET besoins = '[\"tresorerie\", \"emploi\"]' WHERE id = 'old'"
        )
        conn.execute(
            "INSERT INTO recipients (dossier_id, id, role, slug, nom, email, added, via) "
            "VALUES ('old', 'r1', 'reseau', 'dla', 'DLA', 'dla@reseaux.example', ?, 'routage')",
            (at(2026),),
        )
    db.migrate()
    with db.transaction() as conn:
        new = Recipient(
            "r2", "reseau", "fa", "FA", "fa@reseaux.example", datetime.now(UTC), "reroutage",
            ("tresorerie",),
        )  # fmt: skip
        dossier_queries.add_recipient(conn, "old", new, None)
        loaded = dossier_queries.load(conn, "old")
    assert loaded is not None
    old, added = loaded.dossier.recipients
    assert old.besoins is None and held(loaded.dossier, old) == ("tresorerie", "emploi")
    assert added.besoins == ("tresorerie",)
