"""Migration 9 gives the outbox its own table (owner, owner_id): a database at the schema
before it, holding queued, leased, sent and failed rows of every kind, comes across without
losing or resending one, on both back-ends."""

from __future__ import annotations

import pytest

from form_service.db.database import Database, Target
from form_service.db.dialect import statements
from form_service.db.migrations import MIGRATIONS
from form_service.devmail import MailSink
from form_service.outbox import queries
from form_service.outbox.mailer import SMTPMailer
from form_service.outbox.worker import Worker
from tests.form_service.db_support import rows

pytestmark = pytest.mark.both_backends
BEFORE = 8  # the schema version before the outbox owned its table
NOW = 1_800_000_000.0

# (request_id, signalement, alert, kind, message_id, status, lease_until, lease_owner)
ROWS = [
    ("r1", None, None, "reseau", "<r1.1@x>", "queued", None, None),
    ("r1", None, None, "accuse", "<r1.2@x>", "queued", None, None),
    ("r1", None, None, "dossier-prise", "<r1.d@x>", "queued", None, None),
    ("r1", None, None, "reseau", "<r1.0@x>", "sent", None, None),
    (None, "s1", None, "signalement", "<s1@x>", "failed", None, None),
    (None, None, "a1", "alerte-confirmation", "<a1@x>", "queued", NOW + 100, "autre"),
]


def _message(message_id: str, kind: str) -> bytes:
    return f"Message-ID: {message_id}\r\nSubject: {kind}\r\n\r\nx\r\n".encode()


def _at_version_8(database: Target) -> Database:
    db = Database(database)
    db._engine.prepare()  # the file and its settings, as migrate() does first
    with db.transaction() as conn:
        for script in MIGRATIONS[:BEFORE]:
            for statement in statements(conn.migration_script(script)):
                conn.execute(statement)
            conn.after_migration()
        conn.set_schema_version(BEFORE)
        conn.execute(
            "INSERT INTO requests (id, created, departement, forme, effectif, secteur, besoins, "
            "reseaux, fallback, personal) VALUES ('r1', 0, '59', 'association', '0', 'sport', "
            "'[]', '[]', 1, '{}')"
        )
        conn.execute(
            "INSERT INTO signalements (id, created, kind, page) VALUES ('s1', 0, 'erreur', '/')"
        )
        conn.execute(
            "INSERT INTO alert_subscriptions (id, email, filters, fingerprint, created, "
            "last_confirmation) VALUES ('a1', 'a@asso.fr', '{}', 'f', 0, 0)"
        )
        for r, s, a, kind, message_id, status, lease, owner in ROWS:
            conn.execute(
                "INSERT INTO outbox (request_id, signalement, alert, kind, recipient, "
                "message_id, message, status, attempts, next_attempt, lease_until, "
                "lease_owner, created, cle) VALUES (?, ?, ?, ?, 'x@asso.fr', ?, ?, ?, ?, 0, ?, "
                "?, 0, ?)",
                (r, s, a, kind, message_id, _message(message_id, kind),
                 status, 1 if lease else 0, lease, owner, "cle" if kind.startswith("d") else None),
            )  # fmt: skip
    return db


def test_every_row_comes_across_and_each_queued_mail_goes_once(database: Target) -> None:
    db = _at_version_8(database)
    db.migrate()
    found = rows(
        database,
        "SELECT owner, owner_id, kind, message_id, status, forget, after_kind, lease_owner "
        "FROM outbox ORDER BY id",
    )
    assert found == [
        ("demande", "r1", "reseau", "<r1.1@x>", "queued", 0, None, None),
        ("demande", "r1", "accuse", "<r1.2@x>", "queued", 0, "reseau", None),
        ("demande", "r1", "dossier-prise", "<r1.d@x>", "queued", 1, None, None),
        ("demande", "r1", "reseau", "<r1.0@x>", "sent", 0, None, None),
        ("signalement", "s1", "signalement", "<s1@x>", "failed", 1, None, None),
        ("alerte", "a1", "alerte-confirmation", "<a1@x>", "queued", 1, None, "autre"),
    ]
    with MailSink() as sink:
        clock = [NOW]
        worker = Worker(db, SMTPMailer("127.0.0.1", sink.port), "n@x", clock=lambda: clock[0])
        assert worker.run_once().sent == 3  # the leased one is another worker's until …
        clock[0] = NOW + 101
        assert worker.run_once().sent == 1  # … its lease ends
        sent = [m.message["Message-ID"] for m in sink.wait_for(4)]
    assert sorted(sent) == ["<a1@x>", "<r1.1@x>", "<r1.2@x>", "<r1.d@x>"]  # each one, once
    # The acknowledgment still waits for the network's mail.
    assert sent.index("<r1.2@x>") > sent.index("<r1.1@x>")
    assert worker.run_once().sent == 0
    assert queries.counts(db) == {"sent": 5, "failed": 1}
    # Sent mails that carried a key or personal data keep neither.
    kept = rows(
        database,
        "SELECT kind FROM outbox WHERE status = 'sent' "
        "AND (message IS NOT NULL OR cle IS NOT NULL)",
    )
    assert sorted(k for (k,) in kept) == ["accuse", "reseau", "reseau"]
    # A new mail after the migration gets an id of its own.
    with db.transaction() as conn:
        queries.queue(
            conn, [queries.Mail("demande", "r1", "note", "y@x", "<new@x>", message=b"x")], NOW
        )
    assert rows(database, "SELECT count(DISTINCT id) FROM outbox") == [(7,)]
    db.close()
