"""Defects 2 and 5 (issue 9): one row never holds back the others, non-ASCII addresses, and a
network mail refused for good hands the request on to the fallback address, with an honest
acknowledgment. Real SMTP sink, real SQLite file."""

from __future__ import annotations

import time
from datetime import date
from email.message import EmailMessage

from starlette.applications import Starlette

from form_service.db.database import Database
from form_service.demandes.save import save
from form_service.devmail import MailSink
from form_service.outbox.mailer import SMTPMailer
from form_service.outbox.worker import Worker
from form_service.requests.mail_plan import Queued
from form_service.requests.queries import Pending
from form_service.requests.schema import Submission, validate
from form_service.settings import Settings
from generator.content.forms.promise import PROMISE
from tests.form_service.conftest import TestClient
from tests.form_service.db_support import rows
from tests.form_service.form_support import SITE, valid_form

ORIGIN = {"Origin": SITE}


def _text(msg: EmailMessage) -> str:
    part = msg.get_body(("plain",))
    assert part is not None
    return str(part.get_content())


def _status(settings: Settings) -> list[tuple[str, str, str]]:
    return [
        (r[0], r[1], r[2])
        for r in rows(settings.database, "SELECT kind, recipient, status FROM outbox ORDER BY id")
    ]


def test_non_ascii_local_part_is_refused_in_french(client: TestClient) -> None:
    answer = client.post("/demandes", json=valid_form(email="josé@exemple.fr"), headers=ORIGIN)
    assert answer.status_code == 422
    assert "caractères accentués ou non latins avant le @" in answer.json()["erreurs"]["email"]


def test_internationalised_domain_is_sent_in_ascii(
    client: TestClient, app: Starlette, sink: MailSink, settings: Settings
) -> None:
    answer = client.post("/demandes", json=valid_form(email="marie@exemple-é.fr"), headers=ORIGIN)
    assert answer.status_code == 201
    assert app.state.worker.run_once().sent == 2
    recipients = {m.recipients[0] for m in sink.wait_for(2)}
    assert "marie@xn--exemple--i1a.fr" in recipients


def test_a_row_that_cannot_be_sent_never_holds_back_the_others(
    client: TestClient, app: Starlette, sink: MailSink, settings: Settings
) -> None:
    # A request stored with a UTF-8 address (as an earlier version accepted them), queued
    # first, then six other visitors' requests.
    good, _ = validate(valid_form(), set())
    assert good is not None
    bad = Submission(**{**good.__dict__, "email": "josé@exemple.fr", "nom": "Autre"})
    storage: Database = app.state.worker.db
    mail = Queued("accuse", bad.email, None, "<bad.1@aidess.example>")
    plan = app.state.service.planner.plan(bad.profile, date.today())
    save(storage, Pending("bad", bad, (), True, plan.snapshot_json, [mail], time.time() - 60))
    # And one whose stored mail plan is unreadable: its row fails, alone.
    broken = Submission(**{**good.__dict__, "nom": "Cassé"})
    mail = Queued("accuse", good.email, None, "<broken.1@aidess.example>")
    save(storage, Pending("broken", broken, (), True, "{}", [mail], time.time() - 60))
    for n in range(6):
        form = valid_form(nom=f"Visiteur {n}", secteur="sport", besoins=["emploi"])
        assert client.post("/demandes", json=form, headers=ORIGIN).status_code == 201
    report = app.state.worker.run_once()
    assert (report.sent, report.failed) == (12, 2)
    assert len(sink.wait_for(12)) == 12
    statuses = _status(settings)
    assert statuses[0] == ("accuse", "josé@exemple.fr", "failed")
    assert statuses[1][2] == "failed"
    assert {s for _, _, s in statuses[2:]} == {"sent"}


def test_an_unexpected_error_marks_only_its_row(
    client: TestClient, app: Starlette, sink: MailSink, settings: Settings
) -> None:
    real = SMTPMailer("127.0.0.1", sink.port, timeout=5)

    class Flaky:
        def send(self, sender: str, recipient: str, message: bytes) -> None:
            if recipient.startswith("dla-nord"):
                raise RuntimeError("panne imprévue")
            real.send(sender, recipient, message)

    client.post("/demandes", json=valid_form(secteur="sport"), headers=ORIGIN)
    worker = Worker(app.state.worker.db, Flaky(), settings.mail_from, app.state.worker.renderers)
    report = worker.run_once()
    assert (report.sent, report.retried) == (2, 1)
    assert [s for k, r, s in _status(settings) if r.startswith("dla-nord")] == ["queued"]


def test_a_network_refusing_for_good_hands_the_request_on(
    client: TestClient, app: Starlette, settings: Settings
) -> None:
    def refuse_networks(address: str) -> str | None:
        return "550 5.1.1 Boîte inconnue" if address.endswith("@reseaux.example") else None

    with MailSink(rcpt_reply=refuse_networks) as sink:
        worker = Worker(
            app.state.worker.db,
            SMTPMailer("127.0.0.1", sink.port, timeout=5),
            settings.mail_from,
            app.state.worker.renderers,
        )
        answer = client.post("/demandes", json=valid_form(secteur="sport"), headers=ORIGIN)
        reference = answer.json()["reference"]
        report = worker.run_once()
        received = sink.wait_for(3)
    assert (report.sent, report.failed) == (3, 2)
    by_recipient: dict[str, list[EmailMessage]] = {}
    for m in received:
        by_recipient.setdefault(m.recipients[0], []).append(m.message)
    assert set(by_recipient) == {"orientation@aidess.example", "marie.dupont@asso-theatre.fr"}
    handed = [_text(m) for m in by_recipient["orientation@aidess.example"]]
    assert len(handed) == 2
    assert any("France Active Hdf (france-active-hdf@reseaux.example)" in t for t in handed)
    assert all("n'a pas pu être remis" in t and "Les Amis du Théâtre" in t for t in handed)
    subject = str(by_recipient["orientation@aidess.example"][0]["Subject"])
    assert subject.startswith(f"Demande de rappel non remise {reference}")
    ack = _text(by_recipient["marie.dupont@asso-theatre.fr"][0])
    assert "a été transmise à" not in ack and "en cours d'envoi" not in ack
    assert "Votre demande n'a pas pu être remise à :" in ack
    assert "L'équipe AidESS l'a reçue à leur place" in ack
    assert [s for k, _, s in _status(settings) if k == "secours"] == ["sent", "sent"]


def test_the_acknowledgment_says_when_the_requester_is_called_back(
    client: TestClient, app: Starlette, settings: Settings
) -> None:
    # The delay promised matches the reminder schedule: the coordinator at 5 working days.
    with MailSink() as sink:
        worker = Worker(
            app.state.worker.db,
            SMTPMailer("127.0.0.1", sink.port, timeout=5),
            settings.mail_from,
            app.state.worker.renderers,
        )
        client.post("/demandes", json=valid_form(secteur="sport"), headers=ORIGIN)
        worker.run_once()
        received = sink.wait_for(3)
    acks = [m.message for m in received if m.recipients[0] == "marie.dupont@asso-theatre.fr"]
    ack = " ".join(_text(acks[0]).split())
    assert "a été transmise à" in ack
    # One promise, the same words as the confirmation page and the requester's page.
    assert PROMISE in ack and ack.count("jours ouvrés") == 1
