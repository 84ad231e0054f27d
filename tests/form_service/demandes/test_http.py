from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import replace
from email.message import EmailMessage

import httpx
import pytest
from starlette.applications import Starlette

from form_service.app import create_app
from form_service.db.database import Database
from form_service.devmail import MailSink
from form_service.settings import RateLimit, Settings
from tests.form_service.conftest import TestClient
from tests.form_service.db_support import rows
from tests.form_service.form_support import SITE, run_async, valid_form

ORIGIN = {"Origin": SITE}


def _rows(settings: Settings, sql: str) -> list[tuple[object, ...]]:
    return rows(settings.database, sql)


def _by_recipient(sink: MailSink, count: int) -> dict[str, EmailMessage]:
    mails = sink.wait_for(count)
    assert len(mails) == count
    return {m.recipients[0]: m.message for m in mails}


def _text(msg: EmailMessage) -> str:
    part = msg.get_body(("plain",))
    assert part is not None
    return str(part.get_content())


def _html(msg: EmailMessage) -> str:
    part = msg.get_body(("html",))
    assert part is not None
    return str(part.get_content())


def test_form_post_sends_the_right_mails(
    client: TestClient, app: Starlette, sink: MailSink, settings: Settings
) -> None:
    answer = client.post("/demandes", data=valid_form(), headers=ORIGIN)
    assert answer.status_code == 303
    assert answer.headers["location"].startswith(SITE + "/dossiers/")  # the requester's page
    assert answer.headers["location"].endswith("&envoyee=1")
    report = app.state.worker.run_once()
    assert (report.sent, report.failed) == (2, 0)
    mails = _by_recipient(sink, 2)
    assert set(mails) == {"culture-hdf@reseaux.example", "marie.dupont@asso-theatre.fr"}
    network = mails["culture-hdf@reseaux.example"]
    assert network["Reply-To"] == "marie.dupont@asso-theatre.fr"
    reference = _rows(settings, "SELECT reference FROM dossiers")[0][0]
    assert network["Subject"] == (
        f"Demande de rappel {reference} · Nord (59) · Trésorerie, difficultés financières ; "
        "Recruter, pérenniser un emploi"
    )
    assert network.get_content_type() == "multipart/alternative"
    text = _text(network)
    for expected in (
        "Les Amis du Théâtre",
        "Marie Dupont",
        "03 20 12 34 56",  # French national format
        "Spécialiste du secteur : Culture",
        "Vous êtes le seul réseau destinataire",
        "Nous cherchons à pérenniser un poste.",
    ):
        assert expected in text
    ack = mails["marie.dupont@asso-theatre.fr"]
    assert ack["Subject"] == f"Votre demande de rappel {reference} a bien été reçue"
    assert ack["Reply-To"] == "culture-hdf@reseaux.example"  # a reply reaches the network
    ack_text = _text(ack)
    assert "Culture Hdf — culture-hdf@reseaux.example" in ack_text
    # Open matching aids with links; the closed one is not offered.
    assert f"Fonds emploi associatif du Nord <{SITE}/aides/fonds-emploi-nord/>" in ack_text
    assert "Prêt solidaire Hauts-de-France" in ack_text
    assert "Aide close" not in ack_text
    assert (
        f"{SITE}/?departement=59&structure=association&effectif=1-3&secteur=culture"
        "&besoin=tresorerie&besoin=emploi"
    ) in ack_text
    assert "Nous cherchons" not in ack_text  # no free text relayed to an unverified address
    assert _rows(settings, "SELECT status, count(*) FROM outbox GROUP BY status") == [("sent", 2)]


def test_json_post_with_two_networks(client: TestClient, app: Starlette, sink: MailSink) -> None:
    body = valid_form(secteur="sport", aide="fonds-emploi-nord", identifiant="w123456789")
    body["consentement"] = True  # type: ignore[assignment]
    answer = client.post("/demandes", json=body, headers=ORIGIN)
    assert answer.status_code == 201
    data = answer.json()
    assert data["reseaux"] == ["france-active-hdf", "dla-nord"]
    assert len(data["id"]) == 32
    app.state.worker.run_once()
    mails = _by_recipient(sink, 3)
    fa = _text(mails["france-active-hdf@reseaux.example"])
    assert "Indiqué sur la fiche de l'aide" in fa
    assert "Dla Nord — dla-nord@reseaux.example — 03 20 00 00 00" in fa  # the other network
    assert "W123456789" in fa
    assert f"Fonds emploi associatif du Nord ({SITE}/aides/fonds-emploi-nord/)" in fa
    assert "France Active Hdf" in _text(mails["dla-nord@reseaux.example"])
    ack = _text(mails["marie.dupont@asso-theatre.fr"])
    assert "<https://www.franceactive-hdf.example>" in ack


def test_fallback_address_when_no_network(
    client: TestClient, app: Starlette, sink: MailSink
) -> None:
    answer = client.post(
        "/demandes",
        json=valid_form(departement="971", telephone="0690 12 34 56", consentement="oui"),
        headers=ORIGIN,
    )
    assert answer.status_code == 201
    assert answer.json()["reseaux"] == []
    app.state.worker.run_once()
    mails = _by_recipient(sink, 2)
    fallback = _text(mails["orientation@aidess.example"])
    assert "Raison : Aucun réseau couvrant Guadeloupe (971)" in fallback
    assert "0690 12 34 56" in fallback  # French national format
    assert "l'équipe AidESS" in _text(mails["marie.dupont@asso-theatre.fr"])


def test_invalid_form_is_rerendered_in_french(client: TestClient, settings: Settings) -> None:
    form = valid_form(email="pas-une-adresse", identifiant="73282932000075", consentement="")
    answer = client.post("/demandes", data=form, headers=ORIGIN)
    assert answer.status_code == 422
    page = answer.text
    assert '<html lang="fr">' in page
    assert "Le formulaire contient 3 erreurs" in page
    assert 'id="email-erreur"' in page and 'aria-invalid="true"' in page
    assert 'aria-describedby="email-aide email-erreur"' in page
    assert "ce SIRET n&#39;est pas valide" in page
    assert 'value="Les Amis du Théâtre"' in page  # values kept
    assert 'value="tresorerie" checked' in page
    assert 'action="http://testserver/demandes"' in page
    assert _rows(settings, "SELECT count(*) FROM requests") == [(0,)]


def test_invalid_form_uses_the_site_page(tmp_path_factory: pytest.TempPathFactory,
                                         settings: Settings) -> None:  # fmt: skip
    site = tmp_path_factory.mktemp("site")
    (site / "demande").mkdir()
    (site / "demande" / "index.html").write_text(
        '<html><head><title>Être rappelé</title><link href="../assets/site.css"></head>'
        "<body><nav>Menu du site</nav><!--aidess-form--><form></form><!--/aidess-form-->"
        "</body></html>",
        encoding="utf-8",
    )
    app = create_app(replace(settings, site_dir=site))
    with TestClient(app) as client:
        answer = client.post("/demandes", data=valid_form(nom=""), headers=ORIGIN)
    assert answer.status_code == 422
    assert "<nav>Menu du site</nav>" in answer.text
    assert f'<head><base href="{SITE}/demande/">' in answer.text
    assert "<title>Erreurs – Être rappelé</title>" in answer.text
    assert "ce champ est obligatoire" in answer.text


def test_json_errors(client: TestClient) -> None:
    body = valid_form(forme="sarl", besoins=["tresorerie", "inconnu"], aide="nimporte")
    answer = client.post("/demandes", json=body)
    assert answer.status_code == 422
    assert answer.json() == {
        "erreurs": {
            "forme": "valeur inconnue : choisissez dans la liste",
            "besoins": "valeur inconnue : choisissez dans la liste",
            "aide": "aide inconnue : repartez de la fiche de l'aide",
        }
    }
    assert client.post("/demandes", json=[1]).status_code == 422
    assert client.post("/demandes", json={"besoins": 3, "x": "y"}).json() == {
        "erreurs": {"besoins": "type invalide : texte attendu (ou liste de textes)",
                    "x": "champ inconnu"}
    }  # fmt: skip
    bad = client.post("/demandes", content=b"{", headers={"content-type": "application/json"})
    assert bad.status_code == 400


def test_bad_origin_is_refused(client: TestClient, settings: Settings) -> None:
    for origin in ("https://evil.example", "null"):
        answer = client.post("/demandes", data=valid_form(), headers={"Origin": origin})
        assert answer.status_code == 403
        assert "Origine non autorisée" in answer.text
    assert _rows(settings, "SELECT count(*) FROM requests") == [(0,)]
    # Without Origin (not a browser), the other checks apply.
    assert client.post("/demandes", data=valid_form()).status_code == 303


def test_cors_preflight_for_json(client: TestClient) -> None:
    answer = client.options(
        "/demandes",
        headers={
            "Origin": SITE,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert answer.status_code == 200
    assert answer.headers["access-control-allow-origin"] == SITE


def test_one_mebibyte_body_is_413(client: TestClient) -> None:
    answer = client.post("/demandes", data=valid_form(message="x" * 1024 * 1024))
    assert answer.status_code == 413
    assert "trop long" in answer.text


def test_body_limit_enforced_while_streaming(client: TestClient) -> None:
    def chunks() -> Iterator[bytes]:  # no Content-Length: sent chunked
        for _ in range(100):
            yield b"message=" + b"x" * 8192 + b"&"

    answer = client.post(
        "/demandes",
        content=chunks(),
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert answer.status_code == 413


def test_five_thousand_fields(client: TestClient) -> None:
    body = "&".join(f"f{i}=1" for i in range(5000))
    answer = client.post(
        "/demandes", content=body, headers={"content-type": "application/x-www-form-urlencoded"}
    )
    assert answer.status_code == 400
    assert "trop de champs" in answer.text


def test_file_part_is_refused(client: TestClient, settings: Settings) -> None:
    form = {k: v for k, v in valid_form().items() if isinstance(v, str)}
    answer = client.post(
        "/demandes", data=form, files={"piece": ("a.txt", b"bonjour", "text/plain")}
    )
    assert answer.status_code == 400
    assert "fichier joint" in answer.text
    assert _rows(settings, "SELECT count(*) FROM requests") == [(0,)]


def test_multipart_without_file_is_accepted(client: TestClient) -> None:
    answer = client.post("/demandes", data=valid_form(), files={"x": (None, b"")}, headers=ORIGIN)
    # A field named x is unknown to the form but harmless (the form ignores it).
    assert answer.status_code == 303


def test_other_content_types_are_415(client: TestClient) -> None:
    answer = client.post("/demandes", content=b"hello", headers={"content-type": "text/plain"})
    assert answer.status_code == 415


@pytest.mark.parametrize("as_json", [False, True])
def test_filled_honeypot(
    client: TestClient, app: Starlette, settings: Settings, sink: MailSink, as_json: bool
) -> None:
    form = valid_form(site_web="https://spam.example")
    if as_json:
        answer = client.post("/demandes", json=form)
        assert answer.status_code == 201
        assert answer.json()["reseaux"] == []
    else:
        answer = client.post("/demandes", data=form)
        assert answer.status_code == 303
        assert answer.headers["location"] == SITE + "/demande/envoyee/"
    assert _rows(settings, "SELECT count(*) FROM requests") == [(0,)]
    assert app.state.worker.run_once().sent == 0
    assert sink.received == []


def test_missing_honeypot_field_is_fine(client: TestClient) -> None:
    form = valid_form()
    del form["site_web"]
    assert client.post("/demandes", data=form).status_code == 303


def test_same_form_twice_is_one_request(
    client: TestClient, app: Starlette, settings: Settings, sink: MailSink
) -> None:
    first = client.post("/demandes", json=valid_form())
    # Same content, differently spelled: case, spaces, phone format, need order.
    again = valid_form(
        nom="  marie   DUPONT ", telephone="+33 3 20 12 34 56", besoins=["emploi", "tresorerie"]
    )
    second = client.post("/demandes", json=again)
    assert first.json() == second.json()
    assert client.post("/demandes", data=valid_form()).status_code == 303
    assert _rows(settings, "SELECT count(*) FROM requests") == [(1,)]
    assert app.state.worker.run_once().sent == 2
    other = client.post("/demandes", json=valid_form(message="Autre chose"))
    assert other.json()["id"] != first.json()["id"]


def test_rate_limit(settings: Settings) -> None:
    app = create_app(replace(settings, rate_limit=RateLimit(2, 3600)))
    with TestClient(app, follow_redirects=False) as client:
        for n in range(2):
            assert client.post("/demandes", json=valid_form(nom=f"P{n}")).status_code == 201
        # Invalid forms do not use the quota, but are refused once it is used.
        refused = client.post("/demandes", data=valid_form(nom="P3"))
    assert refused.status_code == 429
    assert 3500 <= int(refused.headers["retry-after"]) <= 3600
    assert "trop de demandes" in refused.text


def test_locked_database_is_503(client: TestClient, settings: Settings) -> None:
    db = Database(settings.database)
    blocker = db.open()  # another process storing requests
    try:
        blocker.begin()
        blocker.lock("aidess:requests")
        answer = client.post("/demandes", json=valid_form())
        blocker.rollback()
    finally:
        blocker.close()
        db.close()
    assert answer.status_code == 503
    assert answer.headers["retry-after"] == "5"
    assert _rows(settings, "SELECT count(*) FROM requests") == [(0,)]
    assert _rows(settings, "SELECT count(*) FROM outbox") == [(0,)]
    assert client.post("/demandes", json=valid_form()).status_code == 201


def test_health(client: TestClient) -> None:
    assert client.get("/sante").json() == {"etat": "ok"}


def test_concurrent_posts_are_all_stored(settings: Settings) -> None:
    """Thirty at once, each in its own transaction: they queue for the write lock within the
    service's default busy timeout (5 s), and none is refused."""
    app = create_app(replace(settings, busy_timeout=5.0))

    async def main() -> list[httpx.Response]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            posts = (client.post("/demandes", json=valid_form(nom=f"P{n}")) for n in range(30))
            return await asyncio.gather(*posts)

    answers = run_async(main())
    assert [a.status_code for a in answers] == [201] * 30
    assert len({a.json()["id"] for a in answers}) == 30
    assert _rows(settings, "SELECT count(*) FROM requests") == [(30,)]
    assert _rows(settings, "SELECT count(DISTINCT owner_id), count(*) FROM outbox") == [(30, 60)]
