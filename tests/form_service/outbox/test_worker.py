from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from starlette.applications import Starlette

from form_service import retention
from form_service.db.database import Database
from form_service.db.migrations import MIGRATIONS
from form_service.devmail import MailSink
from form_service.outbox import queries as outbox_queries
from form_service.outbox.blocks import UnsafeHeader, address, clean_header
from form_service.outbox.mailer import Mailer
from form_service.outbox.worker import FIRST_DELAY, Worker, retry_delay
from form_service.requests.delivery import RequestMails
from form_service.requests.phones import national
from form_service.requests.queries import OWNER
from form_service.settings import Settings
from tests.form_service.conftest import TestClient
from tests.form_service.db_support import rows, run
from tests.form_service.form_support import valid_form


@dataclass
class Clock:
    now: float = field(default_factory=lambda: time.time() + 1)

    def __call__(self) -> float:
        return self.now


pytestmark = pytest.mark.both_backends


def _status(settings: Settings) -> list[tuple[str, str, int]]:
    return [
        (r[0], r[1], r[2])
        for r in rows(
            settings.database, "SELECT recipient, status, attempts FROM outbox ORDER BY recipient"
        )
    ]


def _worker(app: Starlette, clock: Clock, mailer: Mailer | None = None, **kw: object) -> Worker:
    base: Worker = app.state.worker
    return Worker(base.db, mailer or base.mailer, base.sender, base.renderers, clock=clock, **kw)  # type: ignore[arg-type]


def test_retry_delays_grow_to_a_cap() -> None:
    assert [retry_delay(n) for n in (1, 2, 3)] == [FIRST_DELAY, 2 * FIRST_DELAY, 4 * FIRST_DELAY]
    assert retry_delay(30) == 3600


def test_smtp_down_then_back(client: TestClient, app: Starlette, settings: Settings) -> None:
    sink = MailSink()  # not started: connection refused
    worker = Worker(
        app.state.worker.db,
        app.state.worker.mailer.__class__("127.0.0.1", sink.port, timeout=2),
        settings.mail_from,
        app.state.worker.renderers,
        clock=(clock := Clock()),
    )
    answer = client.post("/demandes", data=valid_form(secteur="sport"))
    assert answer.status_code == 303
    report = worker.run_once()
    assert (report.sent, report.retried) == (0, 3)
    assert {s for _, s, _ in _status(settings)} == {"queued"}
    assert worker.run_once().retried == 0  # not due yet
    with sink:
        clock.now += FIRST_DELAY
        assert worker.run_once().sent == 3
        mails = sink.wait_for(3)
    assert sorted(r for m in mails for r in m.recipients) == [
        "dla-nord@reseaux.example",
        "france-active-hdf@reseaux.example",
        "marie.dupont@asso-theatre.fr",
    ]
    assert {s for _, s, _ in _status(settings)} == {"sent"}


def test_4xx_is_retried_and_5xx_fails_only_that_row(
    client: TestClient, app: Starlette, settings: Settings
) -> None:
    tries: dict[str, int] = {}

    def reply(address: str) -> str | None:
        tries[address] = tries.get(address, 0) + 1
        if address.startswith("dla-nord") and tries[address] == 1:
            return "451 4.3.0 Réessayez plus tard"
        if address.startswith("france-active"):
            return "550 5.1.1 Boîte inconnue"
        return None

    with MailSink(rcpt_reply=reply) as sink:
        worker = Worker(
            app.state.worker.db,
            app.state.worker.mailer.__class__("127.0.0.1", sink.port, timeout=2),
            settings.mail_from,
            {OWNER: RequestMails(app.state.worker.db, settings.mail_from)},  # no fallback
            clock=(clock := Clock()),
        )
        client.post("/demandes", data=valid_form(secteur="sport"))
        report = worker.run_once()
        assert (report.sent, report.retried, report.failed) == (1, 1, 1)
        clock.now += FIRST_DELAY
        assert worker.run_once().sent == 1
        received = sink.wait_for(2)
    assert sorted(m.recipients[0] for m in received) == [
        "dla-nord@reseaux.example",
        "marie.dupont@asso-theatre.fr",
    ]
    assert _status(settings) == [
        ("dla-nord@reseaux.example", "sent", 2),
        ("france-active-hdf@reseaux.example", "failed", 1),
        ("marie.dupont@asso-theatre.fr", "sent", 1),
    ]


def test_transient_failures_end_in_failed(
    client: TestClient, app: Starlette, settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    with MailSink(rcpt_reply=lambda a: "421 4.7.0 Occupé") as sink:
        worker = _worker(app, clock := Clock(), max_attempts=3)
        worker.mailer = worker.mailer.__class__("127.0.0.1", sink.port, timeout=2)  # type: ignore[call-arg]
        client.post(
            "/demandes", json=valid_form(departement="971", telephone="", contact="courriel")
        )
        for _ in range(3):
            worker.run_once()
            clock.now += 3600
    assert [s for _, s, _ in _status(settings)] == ["failed", "failed"]
    assert "ÉCHEC DÉFINITIF" in caplog.text


class Crash(BaseException):
    """The process dies after the SMTP reply, before the database update."""


def test_crash_after_send_resends_the_same_message(
    client: TestClient, app: Starlette, settings: Settings, sink: MailSink
) -> None:
    real: Mailer = app.state.worker.mailer

    class CrashingMailer:
        def send(self, sender: str, recipient: str, message: bytes) -> None:
            real.send(sender, recipient, message)
            raise Crash

    client.post("/demandes", json=valid_form(secteur="sport", besoins=["emploi"]))
    clock = Clock()
    with pytest.raises(Crash):
        _worker(app, clock, CrashingMailer()).run_once()
    first = sink.wait_for(1)[0]
    # Another worker: nothing to do while the lease holds, then the row comes back.
    restarted = _worker(app, clock)
    assert restarted.run_once().sent == 0
    clock.now += restarted.lease + 1
    assert restarted.run_once().sent == 2
    mails = sink.wait_for(3)
    resent = [m for m in mails[1:] if m.recipients == first.recipients]
    assert len(resent) == 1
    assert resent[0].message["Message-ID"] == first.message["Message-ID"]
    assert resent[0].data == first.data
    assert {s for _, s, _ in _status(settings)} == {"sent"}


def test_background_worker_in_the_app(settings: Settings, sink: MailSink) -> None:
    from dataclasses import replace

    from form_service.app import create_app

    app = create_app(replace(settings, outbox_worker=True))
    with TestClient(app) as client:
        assert client.post("/demandes", json=valid_form()).status_code == 201
        assert len(sink.wait_for(2)) == 2  # poked at once, not at the next tick


def test_a_claim_in_progress_elsewhere_is_skipped(
    app: Starlette, client: TestClient, backend: str
) -> None:
    """Another worker (process) is claiming the first row: this one takes the next row at once,
    neither waiting nor taking it too (PostgreSQL's FOR UPDATE SKIP LOCKED)."""
    if backend != "postgresql":
        pytest.skip("SQLite: one write transaction at a time, a claim waits for the other")
    client.post("/demandes", json=valid_form(secteur="sport"))  # two network mails
    storage: Database = app.state.worker.db
    other = storage.open()
    try:
        other.begin()
        (locked,) = other.execute(
            "SELECT id FROM outbox WHERE kind = 'reseau' ORDER BY id LIMIT 1 FOR UPDATE"
        ).fetchone()
        claimed = outbox_queries.claim(storage, "b", 10**10, 60)
        other.rollback()
    finally:
        other.close()
    assert [r.kind for r in claimed] == ["reseau"]
    assert claimed[0].id != locked


def test_storage_claim_is_exclusive(app: Starlette, client: TestClient) -> None:
    client.post("/demandes", json=valid_form())
    storage: Database = app.state.worker.db
    first = outbox_queries.claim(storage, "a", 10**10, 60)
    # The acknowledgment waits while the network mail is being sent.
    assert [r.kind for r in first] == ["reseau"]
    assert outbox_queries.claim(storage, "b", 10**10, 60) == []
    outbox_queries.mark_sent(storage, first[0].id, "b", 10**10)  # not the owner: ignored
    assert outbox_queries.counts(storage) == {"queued": 2}
    outbox_queries.mark_sent(storage, first[0].id, "a", 10**10)
    assert [r.kind for r in outbox_queries.claim(storage, "b", 10**10, 60)] == ["accuse"]


def test_mails_are_rendered_at_send_time_from_the_stored_request(
    client: TestClient, app: Starlette, settings: Settings, sink: MailSink
) -> None:
    answer = client.post("/demandes", json=valid_form(secteur="sport", besoins=["emploi"]))
    request_id = answer.json()["id"]
    queued = rows(
        settings.database, "SELECT kind, reseau, message_id, message FROM outbox ORDER BY id"
    )
    personal = rows(settings.database, "SELECT personal FROM requests")[0][0]
    assert queued == [
        ("reseau", "dla-nord", f"<{request_id}.1@aidess.example>", None),
        ("accuse", None, f"<{request_id}.2@aidess.example>", None),
    ]
    assert app.state.worker.run_once().sent == 2
    mails = {m.recipients[0]: m.message for m in sink.wait_for(2)}
    network = mails["dla-nord@reseaux.example"]
    assert network["Message-ID"] == f"<{request_id}.1@aidess.example>"
    body = network.get_body(("plain",))
    assert body is not None
    text = body.get_content()
    for name, value in json.loads(personal).items():  # every stored field
        if value and name != "contact":  # a code: said in words when it is « courriel »
            assert (national(value) if name == "telephone" else value) in text
    reference = answer.json()["reference"]
    assert re.fullmatch(r"AID-20\d\d-\d{5}", reference)
    assert f"Référence de la demande : {reference}" in text
    assert network["Subject"].startswith(f"Demande de rappel {reference} · ")
    assert "Sport" in text and "Recruter, pérenniser un emploi" in text


def test_erased_request_is_not_sent_half_empty(
    client: TestClient, app: Starlette, settings: Settings, sink: MailSink
) -> None:
    client.post("/demandes", json=valid_form())
    # As if erased by hand, its outbox rows left behind.
    run(settings.database, "UPDATE requests SET personal = NULL")
    report = app.state.worker.run_once()
    assert (report.sent, report.failed) == (0, 2)
    assert sink.received == []
    assert {s for _, s, _ in _status(settings)} == {"failed"}


def test_purge_before_sending_sends_nothing(
    client: TestClient, app: Starlette, settings: Settings, sink: MailSink
) -> None:
    client.post("/demandes", json=valid_form())
    storage: Database = app.state.worker.db
    assert retention.purge(storage, time.time() + 1, time.time()) == 1
    assert app.state.worker.run_once().sent == 0
    assert sink.received == []


def test_rows_queued_by_the_previous_version_are_sent_as_stored(
    settings: Settings, sink: MailSink
) -> None:
    from form_service.app import create_app
    from form_service.db.database import Database
    from form_service.db.dialect import statements

    if isinstance(settings.database, Path):
        settings.database.parent.mkdir(parents=True)
    db = Database(settings.database)
    with db.transaction() as conn:  # a database of the first version
        for statement in statements(conn.migration_script(MIGRATIONS[0])):
            conn.execute(statement)
        conn.set_schema_version(1)
        conn.execute(
            "INSERT INTO requests (id, created, departement, forme, effectif, secteur, besoins, "
            "reseaux, fallback, personal) VALUES ('old', 0, '59', 'association', '0', 'sport', "
            "'[]', '[]', 1, '{}')"
        )
        conn.execute(
            "INSERT INTO outbox (request_id, kind, recipient, message_id, message, next_attempt, "
            "created) VALUES ('old', 'accuse', 'x@example.org', '<old@aidess.example>', ?, 0, 0)",
            (b"Subject: ancien\r\n\r\nDeja rendu.\r\n",),
        )
    db.close()
    app = create_app(settings)
    assert app.state.worker.run_once().sent == 1
    assert sink.wait_for(1)[0].data == b"Subject: ancien\r\n\r\nDeja rendu.\r\n"
    # The outbox was rebuilt by later migrations, its rows copied with their ids: new rows
    # still get ids of their own (PostgreSQL: the identity restarts past them).
    with TestClient(app) as client:
        assert client.post("/demandes", json=valid_form()).status_code == 201
    assert app.state.worker.run_once().sent == 2


@pytest.mark.parametrize(
    "value",
    ["=?utf-8?q?x=0D=0ABcc=3A_v=40evil.example?=", "a@b.fr\r\nBcc: v@evil.example", "a\x00@b.fr"],
)
def test_the_mail_builder_refuses_what_could_forge_a_header(value: str) -> None:
    """Whatever a value's origin (the intake refuses them first), no header carries one."""
    with pytest.raises(UnsafeHeader):
        address(value)
    if "=?" in value:
        with pytest.raises(UnsafeHeader):
            clean_header(f"Signalement : {value}")
    assert clean_header("Demande de rappel : Les Amis du Théâtre") == (
        "Demande de rappel : Les Amis du Théâtre"
    )
