"""The quotas beside /demandes (form_service/db/quotas.py), on SQLite and PostgreSQL: reserved in
the database, all or none, one namespace per limit, and still counted after a restart (the
in-memory limiters start empty; the database remembers)."""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

import pytest

from form_service.app import create_app
from form_service.db import quotas
from form_service.db.database import Database
from form_service.db.quotas import RateLimited
from form_service.devmail import MailSink
from form_service.dossiers.http import ACTION_LIMIT_KEY
from form_service.settings import RateLimit, Settings
from tests.form_service.conftest import TestClient
from tests.form_service.db_support import rows
from tests.form_service.dossier_support import dossier_content, forms, link, request
from tests.form_service.form_support import SITE

pytestmark = pytest.mark.both_backends
ORIGIN = {"Origin": SITE}


@pytest.fixture
def content(tmp_path: Path) -> Path:
    return dossier_content(tmp_path / "content")


def test_a_quota_refuses_past_its_count_and_says_when_to_retry(db: Database) -> None:
    limit, now = RateLimit(2, 3600), 1_000_000.0
    slot = quotas.slot(quotas.ALERT, "192.0.2.7", limit)
    for at in (now, now + 10):
        with db.transaction() as conn:
            quotas.reserve(conn, [slot], at)
    with pytest.raises(RateLimited) as refused, db.transaction() as conn:
        quotas.reserve(conn, [slot], now + 20)
    assert refused.value.retry_after == 3600 - 20
    # The oldest slot is past the period: one free again.
    with db.transaction() as conn:
        quotas.reserve(conn, [slot], now + 3600)


def test_slots_are_taken_all_or_none_and_each_limit_counts_apart(db: Database) -> None:
    now, ip = 1_000_000.0, "192.0.2.7"
    wide = quotas.slot(quotas.DOSSIER_IP, ip, RateLimit(10, 3600))
    narrow = quotas.slot(quotas.DOSSIER_KEY, "cle", RateLimit(1, 3600))
    with db.transaction() as conn:
        quotas.reserve(conn, [wide, narrow], now)
    with pytest.raises(RateLimited), db.transaction() as conn:
        quotas.reserve(conn, [wide, narrow], now + 1)
    # The refused reservation left nothing behind: one slot each, not two for `wide`.
    counts = rows(db.target, "SELECT key, count(*) FROM rate_slots GROUP BY key ORDER BY key")
    assert counts == sorted([(wide.key, 1), (narrow.key, 1)])
    # The same address in another namespace has a quota of its own; nothing stores it.
    other = quotas.slot(quotas.SIGNALEMENT, ip, RateLimit(1, 3600))
    with db.transaction() as conn:
        quotas.reserve(conn, [other], now + 2)
    stored = rows(db.target, "SELECT key FROM rate_slots")
    assert len({k for (k,) in stored}) == 3 and not any(ip in k for (k,) in stored)


def test_a_restart_keeps_the_dossier_action_quota(settings: Settings, sink: MailSink) -> None:
    app = create_app(settings)
    with TestClient(app, follow_redirects=False) as client:
        request(client)
        app.state.worker.run_once()
        mail = next(m for m in sink.wait_for(2) if "culture-hdf" in m.recipients[0])
        path = link(mail.message)
        note = {
            **forms(client.get(path, follow_redirects=True).text)["noter"],
            "note": "Rappel demain.",
        }
        actions = path.partition("?")[0] + "/actions"
        for _ in range(ACTION_LIMIT_KEY.count):
            assert client.post(actions, data=note, headers=ORIGIN).status_code == 303
    restarted = create_app(settings)
    with TestClient(restarted, follow_redirects=False) as client:
        refused = client.post(actions, data=note, headers=ORIGIN)
        assert refused.status_code == 429
        assert "actions. Réessayez dans" in refused.text
        assert int(refused.headers["retry-after"]) > 3000


def test_a_restart_keeps_the_alert_quota(settings: Settings) -> None:
    limited = replace(settings, rate_limit=RateLimit(2, 3600))
    form = {"consentement": "oui", "departement": "59"}
    with TestClient(create_app(limited), follow_redirects=False) as client:
        for n in range(2):
            answer = client.post("/alertes", data={**form, "email": f"b{n}@asso.example"})
            assert answer.status_code == 303
    started = time.time()
    with TestClient(create_app(limited), follow_redirects=False) as client:
        refused = client.post("/alertes", data={**form, "email": "b3@asso.example"})
        assert refused.status_code == 429
        assert "inscriptions. Réessayez dans" in refused.text
        assert 3000 < int(refused.headers["retry-after"]) <= 3600 + time.time() - started
    assert rows(limited.database, "SELECT count(*) FROM alert_subscriptions") == [(2,)]
