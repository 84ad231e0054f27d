"""« Proposer une aide » (docs/interfaces.md §9): POST /propositions with a real database
(SQLite and PostgreSQL) and a real SMTP sink: the editors' mail carries a file that `aidess
validate` accepts, a wrong proposal gets its errors by field, and `aidess propositions`
imports it."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from email.message import EmailMessage
from pathlib import Path

import pytest
from starlette.applications import Starlette

from aidess.cli import main
from form_service.app import create_app
from form_service.devmail import MailSink
from form_service.outbox.worker import Worker
from form_service.settings import Settings
from generator.content.catalog import load
from generator.content.issues import errors
from tests.form_service.conftest import TestClient
from tests.form_service.db_support import rows, url
from tests.form_service.form_support import SITE

ORIGIN = {"Origin": SITE}
pytestmark = pytest.mark.both_backends
EDITORS = "editeurs@cress.example"

PROPOSAL: dict[str, str | list[str]] = {
    "titre": "Fonds d'initiative associative du Finistère",
    "resume": "Jusqu'à 3 000 € pour lancer un projet associatif.",
    "pour_qui": "Associations du Finistère de moins de 5 salariés.",
    "porteurs": "Département du Finistère\nCaisse d'allocations familiales",
    "natures": ["subvention"],
    "besoins": ["financer-projet", "benevolat"],
    "secteurs": ["tous"],
    "structures": ["association"],
    "effectif_max": "5",
    "territoires": ["Finistère (29)", "", "", ""],
    "exclusions": ["Brest (29)", ""],
    "montant_max": "3 000",
    "recurrence": "recurrente",
    "periode": "chaque année, de janvier à mars",
    "derniere_session_cloture": "2026-03-31",
    "source": "https://www.finistere.fr/fonds-initiative",
    "description": "## Ce que l'aide finance\n\nLe lancement d'un projet.\n",
    "email": "lea@asso.fr",
    "consentement": "oui",
    "site_web": "",
}


@pytest.fixture
def app(settings: Settings) -> Starlette:
    return create_app(replace(settings, editors_email=EDITORS))


def _attachment(msg: EmailMessage) -> tuple[str, str]:
    (part,) = list(msg.iter_attachments())
    assert isinstance(part, EmailMessage)
    return str(part.get_filename()), str(part.get_content())


def test_a_proposal_is_stored_and_mailed_with_a_file_validate_accepts(
    client: TestClient, app: Starlette, sink: MailSink, settings: Settings, tmp_path: Path
) -> None:
    answer = client.post("/propositions", data=PROPOSAL, headers=ORIGIN)
    assert answer.status_code == 303
    assert answer.headers["location"] == SITE + "/contribuer/proposer/merci/"
    slug = "fonds-d-initiative-associative-du-finistere"
    assert rows(settings.database, "SELECT slug, email FROM propositions") == [
        (slug, "lea@asso.fr")
    ]
    assert app.state.worker.run_once().sent == 1
    (mail,) = sink.wait_for(1)
    assert list(mail.recipients) == [EDITORS]
    msg = mail.message
    assert msg["Subject"] == "[AidESS] Aide proposée : Fonds d'initiative associative du Finistère"
    assert msg["Reply-To"] == "lea@asso.fr"
    name, text = _attachment(msg)
    assert name == f"{slug}.md"
    assert "- DEP-29" in text and "- COM-29019" in text  # names written as codes
    assert f"mise_a_jour: {date.today().isoformat()}" in text
    # The file as an editor commits it: validate accepts it, every fact kept.
    content = tmp_path / "relu"
    (content / "aides").mkdir(parents=True)
    (content / "reseaux").mkdir()
    (content / "aides" / name).write_text(text, encoding="utf-8")
    catalog, issues = load(content, date.today())
    assert errors(issues) == [], [i.format() for i in issues]
    aide = catalog.aides[slug].data
    assert aide.porteurs == ["Département du Finistère", "Caisse d'allocations familiales"]
    assert (aide.territoires, aide.exclusions) == (["DEP-29"], ["COM-29019"])
    assert aide.montant is not None and aide.montant.max == 3000
    assert aide.effectif_max == 5
    assert aide.derniere_session is not None and str(aide.derniere_session) != "inconnue"
    assert catalog.aides[slug].body == "## Ce que l'aide finance\n\nLe lancement d'un projet.\n"
    # Sent: the outbox no longer keeps the mail with the proposer's address.
    assert rows(settings.database, "SELECT status, message FROM outbox") == [("sent", None)]


def test_a_wrong_proposal_gets_each_error_next_to_its_field(
    client: TestClient, settings: Settings
) -> None:
    wrong = {
        **PROPOSAL,
        "resume": "x" * 181,
        "natures": [],
        "territoires": ["Atlantide"],
        "recurrence": "ponctuelle",
        "periode": "",
        "derniere_session_cloture": "",
        "source": "http://www.finistere.fr/",
        "consentement": "",
    }
    answer = client.post("/propositions", data=wrong, headers=ORIGIN)
    assert answer.status_code == 422
    page = answer.text
    expected = {
        "resume": "Trop long : 180 caractères au plus (actuellement 181)",
        "natures": "Cochez au moins une case.",
        "territoires": "Territoire inconnu « Atlantide »",
        "cloture": "Une aide ponctuelle a une date limite",
        "source": "Adresse web invalide « http://www.finistere.fr/ »",
        "consentement": "Cochez la case",
    }
    for field, message in expected.items():
        error = page.split(f'id="prop-{field}-erreur">', 1)[1].split("</p>", 1)[0]
        assert message in error, field
    assert "La proposition contient 6 erreurs" in page
    assert 'value="Fonds d&#39;initiative associative du Finistère"' in page  # kept as typed
    assert 'value="Atlantide"' in page
    assert rows(settings.database, "SELECT count(*) FROM propositions") == [(0,)]


def test_json_proposal(client: TestClient) -> None:
    data = {k: v for k, v in PROPOSAL.items() if k != "site_web"}
    data["porteurs"] = ["Département du Finistère"]
    data["consentement"] = True  # type: ignore[assignment]
    answer = client.post("/propositions", json=data, headers=ORIGIN)
    assert answer.status_code == 201
    assert answer.json()["slug"] == "fonds-d-initiative-associative-du-finistere"
    assert len(answer.json()["id"]) == 32
    bad = client.post("/propositions", json={"titre": "Une aide"}, headers=ORIGIN)
    assert bad.status_code == 422
    assert bad.json()["erreurs"]["source"] == "Ce champ est obligatoire."


def test_an_aid_already_listed_is_not_proposed_again(client: TestClient) -> None:
    listed = {**PROPOSAL, "titre": "Fonds emploi Nord"}  # content/aides/fonds-emploi-nord.md
    answer = client.post("/propositions", data=listed, headers=ORIGIN)
    assert answer.status_code == 422
    assert "Cette aide est déjà dans l&#39;annuaire (/aides/fonds-emploi-nord/)" in answer.text


def test_propositions_lister_and_importer(
    client: TestClient,
    settings: Settings,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    answer = client.post("/propositions", json={**PROPOSAL, "consentement": "oui"}, headers=ORIGIN)
    proposal_id = answer.json()["id"]
    monkeypatch.setenv("AIDESS_DATABASE", url(settings.database))
    assert main(["propositions", "lister"]) == 0
    listing = capsys.readouterr().out
    assert f"{proposal_id[:8]}  {date.today().isoformat()}  à relire" in listing
    assert "fonds-d-initiative-associative-du-finistere.md" in listing
    content = tmp_path / "depot"
    (content / "reseaux").mkdir(parents=True)
    args = ["propositions", "importer", proposal_id[:8], "--content", str(content)]
    assert main(args) == 0
    written = content / "aides" / "fonds-d-initiative-associative-du-finistere.md"
    assert capsys.readouterr().out.splitlines()[0] == str(written)
    assert errors(load(content, date.today())[1]) == []
    assert main(args) == 1  # never over the file an editor may have started checking
    assert "existe déjà" in capsys.readouterr().err
    assert main(["propositions", "lister"]) == 0
    assert "importée" in capsys.readouterr().out
    assert main(["propositions", "importer", "zzzzzzzz"]) == 1
    assert "aucune proposition" in capsys.readouterr().err


def test_the_mail_is_rendered_once_when_the_proposal_is_stored(
    client: TestClient, app: Starlette, sink: MailSink, settings: Settings
) -> None:
    """Queued with its message: the outbox sends those bytes, with no renderer of the
    proposals' own, and forgets them once sent (they carry the proposer's address)."""
    assert client.post("/propositions", data=PROPOSAL, headers=ORIGIN).status_code == 303
    ((queued, forget),) = rows(settings.database, "SELECT message, forget FROM outbox")
    assert queued is not None and forget == 1
    bare = Worker(app.state.service.storage, app.state.worker.mailer, settings.mail_from)
    assert bare.run_once().sent == 1
    (mail,) = sink.wait_for(1)
    assert mail.data == bytes(queued)
    assert rows(settings.database, "SELECT status, message FROM outbox") == [("sent", None)]


def test_purge_erases_the_proposers_address_and_keeps_the_file(
    client: TestClient,
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    client.post("/propositions", data=PROPOSAL, headers=ORIGIN)
    monkeypatch.setenv("AIDESS_DATABASE", url(settings.database))
    assert main(["purge", "--older-than", "1"]) == 0
    assert "0 adresse(s) de proposition effacée(s)" in capsys.readouterr().out
    assert main(["purge", "--older-than", "0"]) == 0
    assert "1 adresse(s) de proposition effacée(s)" in capsys.readouterr().out
    ((email, fichier, outbox),) = rows(
        settings.database,
        "SELECT email, fichier, (SELECT count(*) FROM outbox) FROM propositions",
    )
    assert email is None and outbox == 0
    assert "titre: Fonds d'initiative associative du Finistère" in fichier
    if isinstance(settings.database, Path):  # SQLite: nothing left in the file or its WAL
        for path in settings.database.parent.iterdir():
            assert b"lea@asso.fr" not in path.read_bytes(), path
