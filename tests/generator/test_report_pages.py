"""The editors' entry points on the built site: « Signaler une erreur » on every aid and
network page, « Proposer une correction » naming the record and its file, the report form on
« Contribuer », /admin/ only with AIDESS_CMS_REPO."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from generator.build import build
from tests.conftest import WriteFile


def html(site: Path, url: str) -> str:
    return (site / url.strip("/") / "index.html").read_text(encoding="utf-8")


@pytest.fixture
def records(write: WriteFile) -> None:
    write("aide", "fonds-test", titre="Fonds de test", reseaux=["dla-test"])
    write("reseau", "dla-test", nom="DLA de test")


@pytest.mark.usefixtures("records")
def test_pages_without_cms(content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AIDESS_CMS_REPO", raising=False)
    site = tmp_path / "site"
    assert build(content, site, date.today()) == 0
    aide = html(site, "/aides/fonds-test/")
    assert '<form class="aidess-form aidess-signaler" method="post" action="/signalements">' in aide
    assert '<input type="hidden" name="page" value="/aides/fonds-test/">' in aide
    assert "<summary>Signaler une erreur</summary>" in aide
    assert (
        '<a href="#signaler">Proposer une correction</a> de la fiche «\u00a0Fonds de test\u00a0» '
        "(fichier <code>content/aides/fonds-test.md</code>)"
    ) in aide
    reseau = html(site, "/reseaux/dla-test/")
    assert '<input type="hidden" name="page" value="/reseaux/dla-test/">' in reseau
    assert "content/reseaux/dla-test.md" in reseau
    contribuer = html(site, "/contribuer/")
    assert 'name="type" value="reseau"' in contribuer and 'name="reseau_email"' in contribuer
    assert 'href="/contribuer/a-verifier/"' in contribuer
    assert "Message envoyé" in html(site, "/contribuer/merci/")
    assert not (site / "admin").exists()


@pytest.mark.usefixtures("records")
def test_pages_with_cms(content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AIDESS_CMS_REPO", "cress/aidess")
    monkeypatch.setenv("AIDESS_CMS_BRANCH", "contenu")
    monkeypatch.setenv("AIDESS_CMS_SCRIPT", "/decap/decap-cms.js")
    monkeypatch.setenv("AIDESS_FORM_URL", "https://service.example/demandes")
    site = tmp_path / "site"
    assert build(content, site, date.today()) == 0
    aide = html(site, "/aides/fonds-test/")
    edit = "https://github.com/cress/aidess/edit/contenu/content/aides/fonds-test.md"
    assert f'<a href="{edit}">Proposer une correction</a>' in aide
    assert 'action="https://service.example/signalements"' in aide
    assert '<script src="/decap/decap-cms.js"></script>' in html(site, "/admin/")
    assert "backend:\n  name: github\n  repo: cress/aidess\n  branch: contenu" in (
        site / "admin" / "config.yml"
    ).read_text(encoding="utf-8")
    assert 'href="/admin/"' in html(site, "/contribuer/")


@pytest.mark.usefixtures("records")
def test_wrong_cms_variable_stops_the_build(
    content: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("AIDESS_CMS_REPO", "cress/aidess")
    monkeypatch.setenv("AIDESS_CMS_BACKEND", "bitbucket")
    assert build(content, tmp_path / "site", date.today()) == 1
    assert "AIDESS_CMS_BACKEND : « bitbucket » inconnu" in capsys.readouterr().err
    assert not (tmp_path / "site").exists()
