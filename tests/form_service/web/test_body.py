"""Defects 10 and 13 and the lower ones of issue 9: bodies the service must refuse in French
rather than store damaged or answer with a traceback."""

from __future__ import annotations

from dataclasses import replace

import pytest

from form_service.app import create_app
from form_service.requests.schema import validate
from form_service.settings import RateLimit, Settings
from form_service.web.intake import wait_fr
from tests.form_service.conftest import TestClient
from tests.form_service.db_support import rows
from tests.form_service.form_support import SITE, valid_form

JSON = {"content-type": "application/json", "Origin": SITE}
FORM = {"content-type": "application/x-www-form-urlencoded", "Origin": SITE}


def _count(settings: Settings) -> int:
    count: int = rows(settings.database, "SELECT count(*) FROM requests")[0][0]
    return count


def test_lone_surrogate_in_json_is_a_french_400(client: TestClient, settings: Settings) -> None:
    for field in ('"message"', '"inconnu\\ud800"'):
        body = ('{"structure": "Asso \\ud800", "nom": "Marie", ' + f"{field}: " + '"x"}').encode()
        answer = client.post("/demandes", content=body, headers=JSON)
        assert answer.status_code == 400, answer.text
        assert "caractères mal encodés" in answer.json()["erreurs"]["_"]
    assert _count(settings) == 0


def test_duplicate_json_keys_are_refused(client: TestClient, settings: Settings) -> None:
    body = b'{"email": "marie@asso.fr", "email": "autre@asso.fr"}'
    answer = client.post("/demandes", content=body, headers=JSON)
    assert answer.status_code == 400
    assert answer.json() == {
        "erreurs": {"_": "Champ « email » en double : une seule valeur par champ."}
    }
    assert _count(settings) == 0


@pytest.mark.parametrize("bad", [b"%FF%FE", b"%ED%A0%80", b"\xff", b"%C3"])
def test_invalid_utf8_in_a_form_is_refused(
    client: TestClient, settings: Settings, bad: bytes
) -> None:
    form = valid_form()
    body = b"&".join(
        f"{k}={v}".encode() if k != "structure" else b"structure=Asso" + bad
        for k, vs in form.items()
        for v in (vs if isinstance(vs, list) else [vs])
    )
    answer = client.post("/demandes", content=body, headers=FORM)
    assert answer.status_code == 400
    assert "caractères mal encodés (UTF-8 invalide)" in answer.text
    assert '<html lang="fr">' in answer.text
    assert _count(settings) == 0


def test_valid_utf8_form_is_kept_exactly(client: TestClient, settings: Settings) -> None:
    answer = client.post("/demandes", data=valid_form(structure="Les Amis — Théâtre"), headers=FORM)
    assert answer.status_code == 303
    personal = rows(settings.database, "SELECT personal FROM requests")[0][0]
    assert "Les Amis — Théâtre" in personal and "\ufffd" not in personal


def test_phone_extension_is_refused_not_dropped() -> None:
    for phone in ("03 20 12 34 56 ext. 12", "+33 3 20 12 34 56 x12", "03 20 12 34 56 #12"):
        submission, errors = validate(valid_form(telephone=phone), set())
        assert submission is None
        assert errors["telephone"].startswith("numéro de poste non accepté")


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (1, "1 seconde"),
        (45, "45 secondes"),
        (60, "1 minute"),
        (61, "2 minutes"),
        (3599, "1 heure"),
        (3600, "1 heure"),
        (3660, "1 heure et 1 minute"),
        (7200, "2 heures"),
        (86400, "24 heures"),
    ],
)
def test_wait_in_french(seconds: int, text: str) -> None:
    assert wait_fr(seconds) == text


def test_429_page_says_one_hour(settings: Settings) -> None:
    app = create_app(replace(settings, rate_limit=RateLimit(1, 3600)))
    with TestClient(app, follow_redirects=False) as client:
        assert client.post("/demandes", data=valid_form(), headers=FORM).status_code == 303
        refused = client.post("/demandes", data=valid_form(nom="Autre"), headers=FORM)
    assert refused.status_code == 429
    assert "Réessayez dans 1 heure." in refused.text
    assert "minute(s)" not in refused.text
