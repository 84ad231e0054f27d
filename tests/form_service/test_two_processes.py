"""Two service processes (uvicorn, each with its outbox worker and reminders) on one
PostgreSQL database, under concurrent load: every mail leaves exactly once (the real SMTP
sink counts each Message-ID), nothing is lost, and every quota (requests, dossier actions,
alert subscriptions, signalements) is counted once for both."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from form_service.db.database import Postgres, Target
from form_service.devmail import MailSink, free_port
from form_service.dossiers.http import ACTION_LIMIT_KEY
from tests.form_service.db_support import rows
from tests.form_service.dossier_support import LINK, forms, text
from tests.form_service.form_support import SITE, valid_form
from tests.form_service.process_support import wait_ready

QUOTA = 30  # stored requests per client address, for the two processes together
ORIGIN = {"Origin": SITE}


@pytest.fixture
def backend() -> str:
    return "postgresql"  # the point of PostgreSQL: several processes on one database


def _start(env: dict[str, str], port: int, log: Path) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "uvicorn", "form_service.app:app", "--host", "127.0.0.1",
               "--port", str(port), "--log-level", "warning"]  # fmt: skip
    with log.open("wb") as out:
        return subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)


@pytest.fixture
def services(
    database: Target, content: Path, sink: MailSink, tmp_path: Path
) -> Iterator[list[str]]:
    assert isinstance(database, Postgres)
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("AIDESS_")},
        "AIDESS_DATABASE": database.url,
        "AIDESS_SITE_URL": SITE,
        "AIDESS_MAIL_FROM": "ne-pas-repondre@aidess.example",
        "AIDESS_FALLBACK_EMAIL": "orientation@aidess.example",
        "AIDESS_SMTP_HOST": "127.0.0.1",
        "AIDESS_SMTP_PORT": str(sink.port),
        "AIDESS_CONTENT": str(content),
        "AIDESS_SITE_DIR": str(tmp_path / "pas-de-site"),
        "AIDESS_RATE_LIMIT": f"{QUOTA}/hour",
    }
    ports = [free_port("127.0.0.1") for _ in range(2)]
    logs = [tmp_path / f"service-{n}.log" for n in range(2)]
    # Started together: both migrate the empty database at once (advisory lock).
    processes = [_start(env, port, log) for port, log in zip(ports, logs, strict=True)]
    try:
        for port, process, log in zip(ports, processes, logs, strict=True):
            wait_ready(f"http://127.0.0.1:{port}", process, log, timeout=60)
        yield [f"http://127.0.0.1:{port}" for port in ports]
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _post(base: str, n: int) -> int:
    form = valid_form(nom=f"Personne {n}", email=f"personne{n}@asso-theatre.fr")
    answer = httpx.post(f"{base}/demandes", json=form, headers={"Origin": SITE}, timeout=30)
    return answer.status_code


def test_two_processes_send_each_mail_once_and_share_the_rate_limit(
    services: list[str], sink: MailSink, database: Target
) -> None:
    with ThreadPoolExecutor(max_workers=12) as pool:
        codes = list(pool.map(lambda n: _post(services[n % 2], n), range(QUOTA)))
    assert codes == [201] * QUOTA
    # The quota is used up for both processes together, not QUOTA for each.
    assert [_post(base, 1000 + n) for n, base in enumerate(services)] == [429, 429]
    assert rows(database, "SELECT count(*) FROM requests") == [(QUOTA,)]

    queued = {r[0] for r in rows(database, "SELECT message_id FROM outbox")}
    assert len(queued) >= 2 * QUOTA  # at least one network and the acknowledgment each
    received = sink.wait_for(len(queued), timeout=60)
    time.sleep(6)  # longer than a poll of the outbox: a second copy would have come by now
    ids = Counter(str(m.message["Message-ID"]) for m in sink.received)
    assert set(ids) == queued
    assert [mid for mid, n in ids.items() if n > 1] == []
    assert len(received) == len(queued) == len(sink.received)
    assert rows(database, "SELECT status, count(*) FROM outbox GROUP BY status") == [
        ("sent", len(queued))
    ]


def _network_link(sink: MailSink, requester: str) -> str:
    """The dossier link (path and key) of a network's mail about the request."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        for mail in list(sink.received):
            found = LINK.search(text(mail.message))
            if found and requester not in mail.recipients:
                return f"{found.group(1)}?cle={found.group(2)}"
        time.sleep(0.1)
    raise AssertionError("aucun courriel de réseau avec le lien du dossier")


def test_two_processes_count_one_quota_of_dossier_actions(
    services: list[str], sink: MailSink, database: Target
) -> None:
    requester = "marie.dupont@asso-theatre.fr"
    answer = httpx.post(
        f"{services[0]}/demandes", json=valid_form(email=requester), headers=ORIGIN, timeout=30
    )
    assert answer.status_code == 201
    path = _network_link(sink, requester)
    page = httpx.get(f"{services[1]}{path}", timeout=30, follow_redirects=True)
    assert page.status_code == 200
    # A network's note, sent again and again (a double click, a reload): one note, but each
    # post takes a slot of the key's quota, whichever process answers it.
    note = {**forms(page.text)["noter"], "note": "Nous rappelons l'association demain."}
    actions = path.partition("?")[0] + "/actions"

    def act(base: str) -> httpx.Response:
        return httpx.post(f"{base}{actions}", data=note, headers=ORIGIN, timeout=30)

    count = ACTION_LIMIT_KEY.count
    with ThreadPoolExecutor(max_workers=8) as pool:
        codes = [r.status_code for r in pool.map(lambda n: act(services[n % 2]), range(count))]
    assert codes == [303] * count
    refused = [act(base) for base in services]
    assert [r.status_code for r in refused] == [429, 429]
    assert "actions. Réessayez dans" in refused[0].text
    assert 0 < int(refused[1].headers["retry-after"]) <= ACTION_LIMIT_KEY.period
    assert rows(database, "SELECT count(*) FROM events WHERE action = 'noter'") == [(1,)]


def _subscribe(base: str, email: str) -> httpx.Response:
    form = {"email": email, "consentement": "oui", "departement": "59"}
    return httpx.post(f"{base}/alertes", data=form, headers=ORIGIN, timeout=30)


def _report(base: str, n: int) -> int:
    form = {"page": "/aides/fonds-emploi-nord/", "type": "erreur",
            "message": f"Le plafond a changé ({n}).", "site_web": ""}  # fmt: skip
    return httpx.post(f"{base}/signalements", data=form, headers=ORIGIN, timeout=30).status_code


def test_two_processes_count_one_quota_of_alert_subscriptions_and_reports(
    services: list[str], sink: MailSink, database: Target
) -> None:
    # The same address asked at once from both processes: one subscription, one mail.
    same = "tresoriere@asso-nord.example"
    with ThreadPoolExecutor(max_workers=6) as pool:
        codes = [r.status_code for r in pool.map(lambda n: _subscribe(services[n % 2], same),
                                                 range(6))]  # fmt: skip
    assert codes == [303] * 6
    assert rows(database, "SELECT count(*) FROM alert_subscriptions") == [(1,)]

    # Other addresses from the same client: QUOTA confirmation mails in all, for both.
    with ThreadPoolExecutor(max_workers=8) as pool:
        codes = [
            r.status_code
            for r in pool.map(
                lambda n: _subscribe(services[n % 2], f"benevole{n}@asso.example"),
                range(1, QUOTA),
            )
        ]
    assert codes == [303] * (QUOTA - 1)
    refused = [_subscribe(base, f"encore{n}@asso.example") for n, base in enumerate(services)]
    assert [r.status_code for r in refused] == [429, 429]
    assert "inscriptions. Réessayez dans" in refused[0].text
    assert rows(database, "SELECT count(*) FROM alert_subscriptions") == [(QUOTA,)]
    confirmations = "SELECT count(*) FROM outbox WHERE kind = 'alerte-confirmation'"
    assert rows(database, confirmations) == [(QUOTA,)]

    # Signalements: a quota of their own, also counted once for both.
    with ThreadPoolExecutor(max_workers=8) as pool:
        codes = list(pool.map(lambda n: _report(services[n % 2], n), range(QUOTA)))
    assert codes == [303] * QUOTA
    assert [_report(base, 1000 + n) for n, base in enumerate(services)] == [429, 429]
    assert rows(database, "SELECT count(*) FROM signalements") == [(QUOTA,)]
