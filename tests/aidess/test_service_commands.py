from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from aidess.cli import main
from form_service.devmail import MailSink
from form_service.settings import Settings
from tests.form_service.conftest import TestClient
from tests.form_service.db_support import run
from tests.form_service.form_support import valid_form


def test_route_prints_json(content: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["route", "--content", str(content), "--departement", "59", "--forme", "association",
            "--effectif", "1-3", "--secteur", "sport", "--besoin", "tresorerie",
            "--besoin", "emploi", "--aide", "fonds-emploi-nord"]  # fmt: skip
    assert main(argv) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["fallback"] is False
    assert [r["slug"] for r in data["reseaux"]] == ["france-active-hdf", "dla-nord"]
    assert data["reseaux"][1] == {
        "slug": "dla-nord",
        "nom": "Dla Nord",
        "email": "dla-nord@reseaux.example",
        "raisons": [
            "Couvre le département : Nord (59)",
            "Besoins qui lui sont confiés : Recruter, pérenniser un emploi",
        ],
    }


def test_route_honours_the_networks_sizes(
    content: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """dla-nord takes employers only: a volunteer-only association is not sent to it."""
    base = ["route", "--content", str(content), "--departement", "59", "--forme", "association",
            "--secteur", "sport", "--besoin", "emploi"]  # fmt: skip
    assert main([*base, "--effectif", "1-3"]) == 0
    assert [r["slug"] for r in json.loads(capsys.readouterr().out)["reseaux"]] == ["dla-nord"]
    assert main([*base, "--effectif", "0"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["fallback"] is True
    assert "taille « Bénévoles seulement » non accompagnée" in data["raison"]


def test_route_fallback_and_errors(content: Path, capsys: pytest.CaptureFixture[str]) -> None:
    base = ["route", "--content", str(content), "--forme", "association", "--effectif", "0",
            "--secteur", "sport", "--besoin", "locaux"]  # fmt: skip
    assert main([*base, "--departement", "2a"]) == 0
    out = capsys.readouterr().out
    assert json.loads(out)["fallback"] is True
    assert "Corse-du-Sud (2A)" in out  # ensure_ascii=False: accents as is
    assert main([*base, "--departement", "99"]) == 1
    assert "département inconnu" in capsys.readouterr().err
    assert main([*base, "--departement", "59", "--aide", "nope"]) == 1
    assert main([*base, "--departement", "80", "--commune", "Roubaix"]) == 1
    error = capsys.readouterr().err
    assert "--commune : Roubaix (59) n'est pas dans le département choisi" in error


def test_route_by_commune(capsys: pytest.CaptureFixture[str]) -> None:
    """The real content: Tourcoing's Maison des associations takes Tourcoing's requests only."""
    base = ["route", "--departement", "59", "--forme", "association", "--effectif", "0",
            "--secteur", "culture", "--besoin", "benevolat"]  # fmt: skip
    tourcoing = "maison-des-associations-de-tourcoing"
    assert main([*base, "--commune", "59599"]) == 0
    assert tourcoing in [r["slug"] for r in json.loads(capsys.readouterr().out)["reseaux"]]
    for other in ([], ["--commune", "Dunkerque"]):
        assert main([*base, *other]) == 0
        assert tourcoing not in [r["slug"] for r in json.loads(capsys.readouterr().out)["reseaux"]]


def test_route_reports_content_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "reseaux").mkdir()
    (tmp_path / "reseaux" / "x.md").write_text("---\nnom: X\n---\n", encoding="utf-8")
    argv = ["route", "--content", str(tmp_path), "--departement", "59", "--forme",
            "association", "--effectif", "0", "--secteur", "sport",
            "--besoin", "locaux"]  # fmt: skip
    assert main(argv) == 1
    assert "champ obligatoire manquant" in capsys.readouterr().err


def _env(monkeypatch: pytest.MonkeyPatch, settings: Settings, port: int) -> None:
    for name, value in {
        "AIDESS_SITE_URL": settings.site_url,
        "AIDESS_MAIL_FROM": settings.mail_from,
        "AIDESS_FALLBACK_EMAIL": settings.fallback_email,
        "AIDESS_SMTP_HOST": "127.0.0.1",
        "AIDESS_SMTP_PORT": str(port),
        "AIDESS_DATABASE": str(settings.database),
        "AIDESS_RETENTION_DAYS": "30",
    }.items():
        monkeypatch.setenv(name, value)


def test_outbox_once(
    client: TestClient,
    settings: Settings,
    sink: MailSink,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    client.post("/demandes", json=valid_form())
    _env(monkeypatch, settings, sink.port)
    assert main(["outbox", "--once"]) == 0
    assert "2 envoyé(s)" in capsys.readouterr().out
    assert len(sink.wait_for(2)) == 2


def test_purge(
    client: TestClient,
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    client.post("/demandes", json=valid_form())
    client.post("/demandes", json=valid_form(nom="Récent"))
    run(
        settings.database,
        "UPDATE requests SET created = ? WHERE personal NOT LIKE '%Récent%'",
        (time.time() - 40 * 86400,),
    )
    _env(monkeypatch, settings, 1)
    assert main(["purge"]) == 0  # AIDESS_RETENTION_DAYS=30
    assert "1 demande(s) anonymisée(s)" in capsys.readouterr().out
    assert main(["purge", "--older-than", "0"]) == 0
    assert "1 demande(s)" in capsys.readouterr().out
    monkeypatch.setenv("AIDESS_RETENTION_DAYS", "jamais")
    assert main(["purge"]) == 1
    assert "AIDESS_RETENTION_DAYS" in capsys.readouterr().err


# The commands that only read or erase what the database holds: each opens it the same way.
DATABASE_ONLY = [
    ["propositions", "lister"],
    ["propositions", "importer", "abcd1234"],
    ["dossiers", "stats"],
    ["alertes", "effacer", "lea@asso.fr"],
    ["purge", "--older-than", "30"],
]


@pytest.mark.parametrize("argv", DATABASE_ONLY, ids=[" ".join(a[:2]) for a in DATABASE_ONLY])
@pytest.mark.parametrize(
    ("value", "said"),
    [
        ("{tmp}/absente.sqlite3", "base introuvable : {tmp}/absente.sqlite3 (AIDESS_DATABASE)"),
        ("mysql://hote/base", "AIDESS_DATABASE : « mysql:// » non reconnu"),
    ],
)
def test_a_database_only_command_says_why_it_cannot_open_the_database(
    argv: list[str],
    value: str,
    said: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("AIDESS_DATABASE", value.format(tmp=tmp_path))
    assert main(argv) == 1
    assert capsys.readouterr().err.startswith("erreur : " + said.format(tmp=tmp_path))
    assert list(tmp_path.iterdir()) == []  # no database created by a command that only reads


@pytest.mark.parametrize("argv", DATABASE_ONLY, ids=[" ".join(a[:2]) for a in DATABASE_ONLY])
def test_a_database_only_command_works_on_an_existing_database(
    argv: list[str],
    settings: Settings,
    client: TestClient,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`client` has started the service, which created the database."""
    monkeypatch.setenv("AIDESS_DATABASE", str(settings.database))
    expected = 1 if argv[1] == "importer" else 0  # no such proposal
    assert main(argv) == expected
    assert "base" not in capsys.readouterr().err
