"""The three forms that store what a visitor sends (/demandes, /signalements, /propositions)
share their steps around their own checks (form_service/web/endpoint.py): a busy database, a
quota already used in the database and a refused post get the same French answers on each,
in each form's look, and nothing is stored. Real SQLite file and PostgreSQL schema."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace

import pytest

from form_service.app import create_app
from form_service.db.database import Database
from form_service.settings import RateLimit, Settings
from tests.form_service.conftest import TestClient
from tests.form_service.db_support import rows
from tests.form_service.form_support import SITE, valid_form
from tests.form_service.propositions.test_http import PROPOSAL

ORIGIN = {"Origin": SITE}
pytestmark = pytest.mark.both_backends

Form = Callable[[int], dict[str, str | list[str]]]
# path, the n-th distinct post (no duplicate), the table it is stored in, the quota's noun
FORMS: list[tuple[str, Form, str, str]] = [
    ("/demandes", lambda n: valid_form(nom=f"Personne {n}"), "requests", "demandes"),
    ("/signalements", lambda n: {"page": "/contribuer/", "message": f"Erreur {n}"},
     "signalements", "messages"),
    ("/propositions", lambda n: {**PROPOSAL, "titre": f"Fonds d'initiative numéro {n}"},
     "propositions", "propositions"),
]  # fmt: skip
IDS = [f[0].strip("/") for f in FORMS]


@contextmanager
def busy(settings: Settings) -> Iterator[None]:
    """Another process holds what every form writes (the quotas' table) past the busy
    timeout."""
    db = Database(settings.database)
    blocker = db.open()
    try:
        blocker.begin()  # SQLite: the write lock
        if blocker.dialect == "postgresql":
            blocker.execute("LOCK TABLE rate_keys IN ACCESS EXCLUSIVE MODE")
        yield
        blocker.rollback()
    finally:
        blocker.close()
        db.close()


@pytest.mark.parametrize(("path", "form", "table", "noun"), FORMS, ids=IDS)
def test_a_busy_database_is_the_same_503_on_every_form(
    client: TestClient, settings: Settings, path: str, form: Form, table: str, noun: str
) -> None:
    with busy(settings):
        answer = client.post(path, data=form(1), headers=ORIGIN)
        in_json = client.post(path, json=form(2), headers=ORIGIN)
    assert answer.status_code == in_json.status_code == 503
    assert answer.headers["retry-after"] == in_json.headers["retry-after"] == "5"
    assert "Le service est très sollicité" in answer.text  # the form's page, in French
    assert in_json.json()["erreurs"]["_"].startswith("Le service est très sollicité")
    assert rows(settings.database, f"SELECT count(*) FROM {table}") == [(0,)]
    assert rows(settings.database, "SELECT count(*) FROM outbox") == [(0,)]
    assert client.post(path, data=form(3), headers=ORIGIN).status_code == 303


@pytest.mark.parametrize(("path", "form", "table", "noun"), FORMS, ids=IDS)
def test_a_quota_used_in_the_database_is_the_same_429_on_every_form(
    settings: Settings, path: str, form: Form, table: str, noun: str
) -> None:
    """A restarted service (or another worker) knows the quota only from the database."""
    once = replace(settings, rate_limit=RateLimit(1, 3600))
    with TestClient(create_app(once), follow_redirects=False) as client:
        assert client.post(path, data=form(1), headers=ORIGIN).status_code == 303
    with TestClient(create_app(once), follow_redirects=False) as client:
        refused = client.post(path, data=form(2), headers=ORIGIN)
        in_json = client.post(path, json=form(3), headers=ORIGIN)
    assert refused.status_code == in_json.status_code == 429
    assert 3000 < int(refused.headers["retry-after"]) <= 3600
    assert f"Vous avez envoyé trop de {noun}. Réessayez dans" in refused.text
    assert in_json.json()["erreurs"]["_"].startswith(f"Vous avez envoyé trop de {noun}.")
    assert rows(settings.database, f"SELECT count(*) FROM {table}") == [(1,)]


@pytest.mark.parametrize(("path", "form", "table", "noun"), FORMS, ids=IDS)
def test_a_field_no_person_sends_is_refused_alike_on_every_form(
    client: TestClient, settings: Settings, path: str, form: Form, table: str, noun: str
) -> None:
    in_json = client.post(path, json={**form(1), "inconnu": "x"}, headers=ORIGIN)
    assert (in_json.status_code, in_json.json()) == (422, {"erreurs": {"inconnu": "champ inconnu"}})
    control = {k: v + "\x07" if k == "page" or k == "nom" or k == "titre" else v
               for k, v in form(2).items()}  # fmt: skip
    answer = client.post(path, data=control, headers=ORIGIN)
    assert answer.status_code == 400
    assert "Formulaire refusé" in answer.text and "caractères de contrôle" in answer.text
    assert rows(settings.database, f"SELECT count(*) FROM {table}") == [(0,)]
