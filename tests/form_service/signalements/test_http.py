"""« Signaler une erreur » (docs/interfaces.md §9): validation rules, then POST /signalements with a
real SQLite file and a real SMTP sink, through the outbox to AIDESS_EDITORS_EMAIL."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from starlette.applications import Starlette

from form_service.app import create_app
from form_service.devmail import MailSink
from form_service.settings import RateLimit, Settings
from form_service.signalements.report import content_file, validate
from tests.form_service.conftest import TestClient
from tests.form_service.db_support import rows, url
from tests.form_service.form_support import SITE

ORIGIN = {"Origin": SITE}
pytestmark = pytest.mark.both_backends
EDITORS = "editeurs@cress.example"


@pytest.mark.parametrize(
    ("raw", "errors"),
    [
        ({"page": "/aides/x/", "message": "La date est fausse."}, {}),
        ({"type": "aide", "message": "Il manque le FDVA 1 de Bretagne."}, {}),
        ({"type": "reseau", "message": "Le DLA 29", "reseau_email": "dla@dla29.fr"}, {}),
        ({"page": "/aides/x/", "message": "  "}, {"message": "Dites-nous ce qui est faux"}),
        ({"type": "aide", "message": ""}, {"message": "Décrivez l'aide"}),
        ({"type": "spam", "message": "x"}, {"type": "Choisissez"}),
        ({"page": "https://ailleurs.example/", "message": "x"}, {"page": "Page inconnue"}),
        ({"page": "/x/", "message": "x" * 3001}, {"message": "3000 caractères au plus"}),
        ({"message": "x", "email": "pas-une-adresse"}, {"email": "Adresse électronique"}),
        ({"message": "x", "reseau_email": "a@"}, {"reseau_email": "Adresse électronique"}),
    ],
)
def test_validate(raw: dict[str, str], errors: dict[str, str]) -> None:
    report, found = validate(raw)
    assert set(found) == set(errors)
    for field, start in errors.items():
        assert found[field].startswith(start)
    assert (report is None) == bool(errors)


def test_content_file_of_a_page() -> None:
    aides, reseaux = {"fdva": 1}, {"dla-59": 1}
    assert content_file("/aides/fdva/", aides, reseaux) == "content/aides/fdva.md"
    assert content_file("/reseaux/dla-59/", aides, reseaux) == "content/reseaux/dla-59.md"
    assert content_file("/aides/inconnue/", aides, reseaux) == ""
    assert content_file("/contribuer/", aides, reseaux) == ""


@pytest.fixture
def app(settings: Settings) -> Starlette:
    return create_app(replace(settings, editors_email=EDITORS))


def test_report_is_stored_and_mailed_to_the_editors(
    client: TestClient, app: Starlette, sink: MailSink, settings: Settings
) -> None:
    form = {"page": "/aides/fonds-emploi-nord/", "type": "erreur",
            "message": "Le plafond est de 12 000 €, pas 10 000 €.",
            "email": "lea@asso.fr", "site_web": ""}  # fmt: skip
    answer = client.post("/signalements", data=form, headers=ORIGIN)
    assert answer.status_code == 303
    assert answer.headers["location"] == SITE + "/contribuer/merci/"
    found = rows(settings.database, "SELECT kind, page, fichier, email FROM signalements")
    assert found == [("erreur", "/aides/fonds-emploi-nord/", "content/aides/fonds-emploi-nord.md",
                     "lea@asso.fr")]  # fmt: skip
    assert app.state.worker.run_once().sent == 1
    (mail,) = sink.wait_for(1)
    assert list(mail.recipients) == [EDITORS]
    msg = mail.message
    assert msg["Subject"] == "[AidESS] Erreur sur une page : /aides/fonds-emploi-nord/"
    assert msg["Reply-To"] == "lea@asso.fr"
    body = msg.get_body(("plain",))
    assert body is not None
    text = str(body.get_content())
    assert f"Page : {SITE}/aides/fonds-emploi-nord/" in text
    assert "Fichier à modifier : content/aides/fonds-emploi-nord.md" in text
    assert "Le plafond est de 12 000 €, pas 10 000 €." in text
    # Sent: the outbox no longer keeps the visitor's text.
    assert rows(settings.database, "SELECT status, message FROM outbox") == [("sent", None)]


def test_network_proposal_carries_its_address_to_verify(
    client: TestClient, app: Starlette, sink: MailSink
) -> None:
    form = {"page": "/contribuer/", "type": "reseau", "message": "GEAI 29, Finistère",
            "reseau_email": "contact@geai29.fr"}  # fmt: skip
    assert client.post("/signalements", data=form, headers=ORIGIN).status_code == 303
    app.state.worker.run_once()
    (mail,) = sink.wait_for(1)
    assert list(mail.recipients) == [EDITORS]  # never the address given in the form
    text = str(mail.message.get_body(("plain",)).get_content())  # type: ignore[union-attr]
    assert "Adresse proposée pour les demandes (à vérifier) : contact@geai29.fr" in text
    assert "vérifiez auprès du réseau" in text
    assert mail.message["Reply-To"] is None


def test_invalid_report_is_shown_again_in_french(client: TestClient, settings: Settings) -> None:
    form = {"page": "/reseaux/culture-hdf/", "type": "erreur", "message": "",
            "email": "faux"}  # fmt: skip
    answer = client.post("/signalements", data=form, headers=ORIGIN)
    assert answer.status_code == 422
    assert "Dites-nous ce qui est faux ou manque sur cette page." in answer.text
    assert "Adresse électronique invalide" in answer.text
    assert 'value="faux"' in answer.text and 'value="/reseaux/culture-hdf/"' in answer.text
    assert rows(settings.database, "SELECT count(*) FROM signalements") == [(0,)]


def test_json_report(client: TestClient) -> None:
    answer = client.post("/signalements", json={"page": "/", "message": "Lien cassé."},
                         headers=ORIGIN)  # fmt: skip
    assert answer.status_code == 201 and len(answer.json()["id"]) == 32
    bad = client.post("/signalements", json={"page": "/"}, headers=ORIGIN)
    assert bad.status_code == 422 and "message" in bad.json()["erreurs"]


def test_abuse_limits_of_demandes(tmp_path: Path, settings: Settings, sink: MailSink) -> None:
    app = create_app(replace(settings, rate_limit=RateLimit(2, 3600)))
    with TestClient(app, follow_redirects=False) as client:
        form = {"page": "/", "message": "Une erreur."}
        refused = client.post("/signalements", data=form, headers={"Origin": "https://x.example"})
        assert refused.status_code == 403
        trap = client.post("/signalements", data={**form, "site_web": "http://spam"},
                           headers=ORIGIN)  # fmt: skip
        assert trap.status_code == 303  # the normal answer, nothing stored
        form_type = {**ORIGIN, "Content-Type": "application/x-www-form-urlencoded"}
        huge = client.post("/signalements", content=b"message=" + b"x" * 70_000,
                           headers=form_type)  # fmt: skip
        assert huge.status_code == 413
        assert client.post("/signalements", data=form, headers=ORIGIN).status_code == 303
        limited = client.post("/signalements", data=form, headers=ORIGIN)
        assert limited.status_code == 429 and "Retry-After" in limited.headers
    assert rows(settings.database, "SELECT count(*) FROM signalements") == [(1,)]
    assert rows(settings.database, "SELECT count(*) FROM outbox") == [(1,)]


def test_purge_erases_old_reports(client: TestClient, settings: Settings, tmp_path: Path) -> None:
    client.post("/signalements", data={"page": "/", "message": "x", "email": "a@b.fr"},
                headers=ORIGIN)  # fmt: skip
    aidess = Path(sys.executable).parent / "aidess"
    env = {"AIDESS_DATABASE": url(settings.database), "PATH": "/usr/bin:/bin"}
    out = subprocess.run([str(aidess), "purge", "--older-than", "0"], env=env,
                         capture_output=True, text=True, check=True).stdout  # fmt: skip
    assert "1 signalement(s) effacé(s)" in out
    found = rows(settings.database, "SELECT kind, page, message, email FROM signalements")
    assert found == [("erreur", "/", None, None)]
    assert rows(settings.database, "SELECT count(*) FROM outbox") == [(0,)]


def test_quota_is_shared_by_every_process(settings: Settings) -> None:
    # Two app instances on one database (two workers): the quota is reserved in the database.
    limited = replace(settings, rate_limit=RateLimit(1, 3600))
    form = {"page": "/", "message": "Une erreur."}
    with TestClient(create_app(limited), follow_redirects=False) as first:
        assert first.post("/signalements", data=form, headers=ORIGIN).status_code == 303
    with TestClient(create_app(limited), follow_redirects=False) as second:
        refused = second.post("/signalements", data=form, headers=ORIGIN)
        assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 3000
    assert rows(settings.database, "SELECT count(*) FROM signalements") == [(1,)]


def test_a_report_is_read_as_strictly_as_a_request(client: TestClient, settings: Settings) -> None:
    """Invalid UTF-8 is refused, not stored as U+FFFD in the editors' mail; a lone surrogate
    or a repeated key in JSON gets a French answer, not a 500."""
    form_type = {**ORIGIN, "Content-Type": "application/x-www-form-urlencoded"}
    latin1 = client.post("/signalements", content=b"page=%2F&message=Caf%E9+ferm%E9",
                         headers=form_type)  # fmt: skip
    assert latin1.status_code == 400 and "mal encodés" in latin1.text
    json_type = {**ORIGIN, "Content-Type": "application/json"}
    lone = client.post("/signalements", content=b'{"page": "/", "message": "a\\ud800b"}',
                       headers=json_type)  # fmt: skip
    assert lone.status_code == 400 and "mal encodés" in lone.json()["erreurs"]["_"]
    twice = client.post("/signalements", content=b'{"page": "/", "message": "a", "message": "b"}',
                        headers=json_type)  # fmt: skip
    assert twice.status_code == 400 and "« message » en double" in twice.json()["erreurs"]["_"]
    assert rows(settings.database, "SELECT count(*) FROM signalements") == [(0,)]
