"""Sophie's dossier, need by need, through HTTP with a real database (SQLite file, PostgreSQL)
and a real SMTP sink, the clock moved: three needs, three networks; one takes its need, one
declines its own, and the need nobody took is chased, coordinated, then closed alone."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from html import unescape
from pathlib import Path

import pytest
from starlette.applications import Starlette

from form_service.db.database import Database
from form_service.devmail import MailSink
from form_service.dossiers.effects import Env
from form_service.dossiers.jobs import run_due
from form_service.dossiers.workdays import add_workdays
from form_service.settings import Settings
from tests.form_service.conftest import TestClient
from tests.form_service.db_support import rows
from tests.form_service.dossier_support import forms, link, mails_since, post_action, text
from tests.form_service.form_support import SITE, valid_form, write_aid, write_network

pytestmark = pytest.mark.both_backends

SOPHIE = "sophie.martin@tiers-lieu.example"
DLA, NORD_ACTIF, MDA, CRESS = (
    "dla@reseaux.example",
    "nord-actif@reseaux.example",
    "mda@reseaux.example",
    "cress@reseaux.example",
)


@pytest.fixture
def content(tmp_path: Path) -> Path:
    """Each network covers one of Sophie's needs; the CRESS coordinates the region."""
    root = tmp_path / "content"
    write_network(
        root, "dla", nom="DLA du Nord", territoires=["DEP-59"], besoins=["modele-economique"],
        telephone="03 20 00 00 01",
    )  # fmt: skip
    write_network(
        root, "nord-actif", nom="Nord Actif", territoires=["DEP-59"], besoins=["tresorerie"]
    )
    # A city's network would need the request's commune (Tourcoing, 59599); the department
    # keeps this test about needs, whatever the routing's grain.
    write_network(
        root, "mda", nom="Maison des associations de Tourcoing", territoires=["DEP-59"],
        besoins=["administratif"],
    )  # fmt: skip
    write_network(
        root, "cress", nom="CRESS Hauts-de-France", territoires=["REG-32"],
        besoins=["cooperation"], coordination=["REG-32"],
    )  # fmt: skip
    write_aid(root, "pret-tresorerie", titre="Prêt de trésorerie", territoires=["DEP-59"])
    return root


def send(app: Starlette) -> None:
    app.state.worker.run_once()


def test_sophies_needs_one_by_one(
    client: TestClient, app: Starlette, sink: MailSink, settings: Settings
) -> None:
    answer = client.post(
        "/demandes",
        json=valid_form(
            structure="Tiers-lieu La Fabrique",
            nom="Sophie Martin",
            email=SOPHIE,
            besoins=["tresorerie", "modele-economique", "administratif"],
        ),
    )
    assert answer.status_code == 201, answer.text
    send(app)
    first = mails_since(sink, 0, 4)
    links = {address: link(m[0]) for address, m in first.items()}

    # The DLA takes its need (the business model). Sophie learns who does what.
    assert post_action(client, links[DLA], "prendre")[0] == 303
    send(app)
    told = mails_since(sink, 4, 3)
    mine = text(told[SOPHIE][0])
    assert "DLA du Nord prend en charge votre demande" in mine
    assert "«\u00a0Modèle économique, stratégie\u00a0»" in mine
    assert (
        "Trésorerie, difficultés financières : pas encore pris en charge ; reçu par Nord Actif"
        in mine
    )

    # The Maison des associations declines paperwork: nobody else holds it, no other network
    # covers it: the coordinator gets that need at once.
    assert post_action(client, links[MDA], "decliner", texte="Hors de notre champ")[0] == 303
    send(app)
    cress = mails_since(sink, 7, 1)[CRESS][0]
    assert "Ce qui vous est confié : «\u00a0Démarches administratives" in text(cress)
    cress_link = link(cress)

    dossier_id = links[DLA].split("/")[2].partition("?")[0]
    start = datetime.fromtimestamp(
        rows(settings.database, "SELECT created FROM dossiers WHERE id = ?", (dossier_id,))[0][0],
        UTC,
    )
    storage: Database = app.state.service.storage
    env: Env = app.state.dossiers.env

    # Day 2: cash flow was never taken, though the business model was: Nord Actif is
    # reminded (and the coordinator, still « nouvelle » on paperwork); the DLA is not.
    report = run_due(storage, env, add_workdays(start, 2))
    assert report.relances == 1
    send(app)
    reminded = mails_since(sink, 8, 2)
    assert set(reminded) == {NORD_ACTIF, CRESS}
    assert "personne n'a encore pris en charge «\u00a0Trésorerie" in text(reminded[NORD_ACTIF][0])
    assert run_due(storage, env, add_workdays(start, 3)).mails == 0  # once

    # Day 5: the coordinator, already there, is handed cash flow too; Sophie is told.
    report = run_due(storage, env, add_workdays(start, 5))
    assert report.coordinations == 1
    send(app)
    five = mails_since(sink, 10, 2)
    handed = "«\u00a0Trésorerie, difficultés financières\u00a0» et «\u00a0Démarches administratives"
    assert handed in text(five[CRESS][0])
    assert "Personne n'a encore pris en charge «\u00a0Trésorerie" in text(five[SOPHIE][0])
    coordinator_page = client.get(cress_link, follow_redirects=True).text
    row = coordinator_page.split("<tbody>")[1].split("CRESS Hauts-de-France")[1]
    assert "Trésorerie" in row.split("</tr>")[0]

    # Day 10 after the DLA's « prendre »: Sophie is asked once « Avez-vous été rappelé ? ».
    assert run_due(storage, env, add_workdays(start, 10) - timedelta(hours=1)).questions == 0
    report = run_due(storage, env, add_workdays(start, 10) + timedelta(minutes=5))
    assert report.questions == 1 and report.mails == 1
    assert run_due(storage, env, add_workdays(start, 11)).mails == 0  # once
    send(app)
    question = mails_since(sink, 12, 1)[SOPHIE][0]
    assert question["Subject"].endswith("Avez-vous été rappelé ?")
    answers = dict(
        re.findall(r"^- ([^<]+?) <" + re.escape(SITE) + r"(/dossiers/[^>]+)>", text(question), re.M)
    )
    assert set(answers) == {
        "Oui, et c'était utile", "Oui, mais cela ne m'a pas aidé", "Non, personne ne m'a rappelé",
    }  # fmt: skip
    # A click (or a mail scanner) only shows a confirm button: nothing is recorded by a GET.
    clicked = client.get(answers["Non, personne ne m'a rappelé"], follow_redirects=True)
    assert "Confirmer ma réponse" in clicked.text
    assert rows(settings.database, "SELECT count(*) FROM events WHERE action = 'repondre'") == [
        (0,)
    ]
    fields = forms(clicked.text)["repondre"]
    answer = client.post(
        f"/dossiers/{dossier_id}/actions", data={**fields, "reponse": "non"},
        headers={"Origin": SITE},
    )  # fmt: skip
    assert answer.status_code == 303
    # Every recipient sees it, by mail and on its page; the dossier is open again.
    send(app)
    told = mails_since(sink, 13, 4)
    assert set(told) == {DLA, NORD_ACTIF, MDA, CRESS}
    assert "Le dossier est rouvert" in text(told[CRESS][0])
    dla_page = unescape(client.get(links[DLA], follow_redirects=True).text)
    assert "la structure répond : «\u00a0Non, personne ne m'a rappelé\u00a0»" in dla_page
    assert "En attente d'un réseau" in dla_page
    mine = unescape(client.get(links[SOPHIE], follow_redirects=True).text)
    assert "Avez-vous été rappelé ?" not in mine.split("<h2>Historique</h2>")[0]  # answered

    # Day 15: what nobody took is closed « sans suite »; the DLA's need is left alone.
    report = run_due(storage, env, add_workdays(start, 15))
    assert report.sans_suite == 1
    send(app)
    honest = text(mails_since(sink, 17, 1)[SOPHIE][0])
    assert "aucun réseau n'a pris en charge «\u00a0Trésorerie" in honest
    assert "Modèle économique, stratégie : pris en charge par DLA du Nord" in honest
    page = client.get(links[SOPHIE], follow_redirects=True).text
    board = page.split("Qui s'occupe de quoi")[1].split("</ul>")[0]
    assert "Modèle économique, stratégie</strong> : pris en charge par DLA du Nord" in board
    assert "Trésorerie, difficultés financières</strong> : sans suite" in board
    assert run_due(storage, env, add_workdays(start, 30)).mails == 0


def test_terminer_with_the_aid_obtained_and_its_amount(
    client: TestClient, app: Starlette, sink: MailSink, settings: Settings,
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    answer = client.post("/demandes", json=valid_form(email=SOPHIE, besoins=["tresorerie"]))
    assert answer.status_code == 201
    send(app)
    nord_actif = link(mails_since(sink, 0, 2)[NORD_ACTIF][0])
    assert post_action(client, nord_actif, "prendre")[0] == 303
    page = client.get(nord_actif, follow_redirects=True).text
    fields = forms(page)["terminer"]
    url = nord_actif.partition("?")[0] + "/actions"
    done = {**fields, "issue": "aide-obtenue", "aide": "pret-tresorerie", "montant": "15 000"}
    wrong = client.post(url, data={**done, "aide": "inconnue"}, headers={"Origin": SITE})
    assert wrong.status_code == 422 and "aide obtenue dans la liste" in unescape(wrong.text)
    assert client.post(url, data=done, headers={"Origin": SITE}).status_code == 303
    after = unescape(client.get(nord_actif, follow_redirects=True).text)
    assert "aide obtenue, Prêt de trésorerie (15\u202f000\u00a0€)" in after
    assert rows(settings.database, "SELECT value FROM events WHERE action = 'terminer'") == [
        ("aide-obtenue pret-tresorerie 15000",)
    ]
    # The statistics count it, without any personal data.
    from aidess.cli import main

    monkeypatch.setenv("AIDESS_DATABASE", str(settings.database))
    assert main(["dossiers", "stats", "--format", "json", "--par", "region"]) == 0
    (line,) = json.loads(capsys.readouterr().out)
    assert (line["region"], line["besoin"]) == ("32", "tresorerie")  # Hauts-de-France
    assert (line["aides_obtenues"], line["montant_obtenu"]) == (1, 15000)
