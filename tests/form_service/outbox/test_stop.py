"""A SIGTERM while mail is being sent: the real service process, a slow real SMTP server, both
back-ends. The mail in flight is sent once and recorded as sent; the rows claimed but not tried
go back to the queue, untouched; nothing is sent twice when the service starts again."""

from __future__ import annotations

import email
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from form_service.db.database import Target
from form_service.devmail import MailSink, free_port
from tests.form_service.db_support import rows, url
from tests.form_service.form_support import SITE, valid_form
from tests.form_service.process_support import wait_ready


def _env(database: Target, content: Path, tmp_path: Path, smtp_port: int) -> dict[str, str]:
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith("AIDESS_")},
        "AIDESS_DATABASE": url(database),
        "AIDESS_SITE_URL": SITE,
        "AIDESS_MAIL_FROM": "ne-pas-repondre@aidess.example",
        "AIDESS_FALLBACK_EMAIL": "orientation@aidess.example",
        "AIDESS_SMTP_HOST": "127.0.0.1",
        "AIDESS_SMTP_PORT": str(smtp_port),
        "AIDESS_CONTENT": str(content),
        "AIDESS_SITE_DIR": str(tmp_path / "pas-de-site"),
        "AIDESS_RATE_LIMIT": "100/hour",
    }


@pytest.fixture
def slow_sink() -> Iterator[MailSink]:
    """Each message takes a second to be accepted: a stop lands while one is in flight."""
    with MailSink(delay=1.0) as sink:
        yield sink


def _start(env: dict[str, str], log: Path) -> tuple[str, subprocess.Popen[bytes]]:
    port = free_port()
    with log.open("ab") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "aidess.cli", "service", "--port", str(port),
             "--no-access-log"],
            env=env, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    wait_ready(base, process, log)
    return base, process


def _message_ids(sink: MailSink) -> list[str]:
    return [str(email.message_from_bytes(m.data)["Message-ID"]) for m in sink.received]


@pytest.mark.both_backends
def test_a_stop_while_sending_sends_nothing_twice(
    database: Target, content: Path, tmp_path: Path, slow_sink: MailSink
) -> None:
    env, log = _env(database, content, tmp_path, slow_sink.port), tmp_path / "service.log"
    base, process = _start(env, log)
    try:
        for n in range(3):  # a few mails each: more than one claim can send before the stop
            form = valid_form(nom=f"Personne {n}", email=f"personne{n}@asso-theatre.fr")
            answer = httpx.post(f"{base}/demandes", json=form, headers={"Origin": SITE})
            assert answer.status_code == 201, answer.text
        deadline = time.monotonic() + 30
        while not slow_sink.received and time.monotonic() < deadline:
            time.sleep(0.05)
        assert slow_sink.received, log.read_text()
        process.send_signal(signal.SIGTERM)  # the next mail is in flight for about a second
        # uvicorn ends a clean shutdown by re-raising the signal it handled
        assert process.wait(timeout=60) in (0, -signal.SIGTERM), log.read_text()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()

    sent_before = _message_ids(slow_sink)
    queued = rows(database, "SELECT count(*) FROM outbox WHERE status = 'queued'")[0][0]
    assert queued > 0, "the stop came after every mail was sent: the test proves nothing"
    # Every mail the server accepted is recorded as sent, and only those.
    recorded = rows(database, "SELECT message_id FROM outbox WHERE status = 'sent'")
    assert sorted(m for (m,) in recorded) == sorted(sent_before), log.read_text()
    # The rows left are due at once and keep their attempts: none was tried.
    assert rows(
        database, "SELECT count(*) FROM outbox WHERE status = 'queued' "
        "AND (lease_owner IS NOT NULL OR attempts > 0)",
    ) == [(0,)]  # fmt: skip

    # Started again, the service sends the rest, each mail once.
    base, process = _start(env, log)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and rows(
            database, "SELECT count(*) FROM outbox WHERE status = 'queued'"
        ) != [(0,)]:
            time.sleep(0.2)
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=60)
    ids = _message_ids(slow_sink)
    assert len(ids) == len(set(ids)) == len(sent_before) + queued, log.read_text()
