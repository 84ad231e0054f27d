"""Defects 6, 7, 8 and 11 (issue 9): two outbox workers and a slow SMTP server, a purge that
leaves the service answering, no personal data left in the database files or the logs after
a purge, and a database that cannot be written."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import shutil
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette

from form_service import retention, server
from form_service.app import create_app
from form_service.db.database import Database
from form_service.db.sqlite import JOURNAL_SIZE_LIMIT
from form_service.devmail import MailSink, free_port
from form_service.devserver import in_thread
from form_service.settings import ConfigError, RateLimit, Settings
from tests.form_service.conftest import TestClient
from tests.form_service.form_support import SITE, run_async, valid_form

ROOT = Path(__file__).parents[2]


def test_two_workers_and_a_slow_smtp_server_send_each_mail_once(
    client: TestClient, settings: Settings
) -> None:
    for n in range(10):  # 10 requests, 2 mails each (one network, the acknowledgment)
        form = valid_form(nom=f"Personne {n}", secteur="sport", besoins=["emploi"])
        assert client.post("/demandes", json=form).status_code == 201
    with MailSink(delay=0.3) as sink:  # each mail takes 0.3 s; the lease is 1 s
        argv = [sys.executable, "-m", "tests.form_service.outbox_process"]
        argv += [str(settings.database), str(sink.port), "1.0"]
        workers = [
            subprocess.Popen(argv, cwd=ROOT, stdout=subprocess.PIPE, text=True) for _ in range(2)
        ]
        outputs = [w.communicate(timeout=90)[0] for w in workers]
        received = list(sink.received)
    ids = [m.message["Message-ID"] for m in received]
    assert len(ids) == 20 and len(set(ids)) == 20  # every mail, none twice
    assert all(int(out.strip()) > 0 for out in outputs)  # both workers took part
    conn = sqlite3.connect(settings.database)
    try:
        assert conn.execute("SELECT status, count(*) FROM outbox GROUP BY status").fetchall() == [
            ("sent", 20)
        ]
    finally:
        conn.close()


def _fill(database: Path, count: int, created: float) -> None:
    """`count` old requests with two outbox rows each, written directly (fast)."""
    conn = sqlite3.connect(database)
    try:
        with conn:
            ids = [uuid.uuid4().hex for _ in range(count)]
            conn.executemany(
                "INSERT INTO requests (id, created, fingerprint, departement, forme, effectif, "
                "secteur, besoins, reseaux, fallback, personal, mails) VALUES "
                "(?, ?, ?, '59', 'association', '1-3', 'culture', '[\"emploi\"]', '[]', 1, "
                "'{\"nom\": \"Ancien\"}', '{}')",
                [(i, created, i) for i in ids],
            )
            conn.executemany(
                "INSERT INTO outbox (owner, owner_id, kind, recipient, message_id, status, "
                "next_attempt, created) VALUES ('demande', ?, ?, 'x@asso.fr', ?, 'sent', 0, 0)",
                [(i, kind, f"<{i}.{kind}@aidess.example>") for i in ids for kind in ("a", "b")],
            )
    finally:
        conn.close()


@contextlib.contextmanager
def _serving(app: Starlette, settings: Settings) -> Iterator[str]:
    port = free_port()
    with in_thread(server.server(app, settings, "127.0.0.1", port, log_level="warning")):
        yield f"http://127.0.0.1:{port}"


def test_purge_keeps_the_service_answering(settings: Settings) -> None:
    settings = replace(settings, busy_timeout=2.0, rate_limit=RateLimit(100_000, 3600))
    app = create_app(settings)
    _fill(settings.database, 20_000, time.time() - 400 * 86400)
    env = {**os.environ, "AIDESS_DATABASE": str(settings.database), "AIDESS_RETENTION_DAYS": "365"}
    aidess = shutil.which("aidess", path=str(Path(sys.executable).parent))
    assert aidess is not None
    with _serving(app, settings) as url:
        purge = subprocess.Popen(
            [aidess, "purge"], env=env, stdout=subprocess.PIPE, text=True, cwd=ROOT
        )

        async def visitors() -> list[int]:
            codes: list[int] = []
            async with httpx.AsyncClient(timeout=30) as client:
                n = 0
                while purge.poll() is None and n < 400:
                    batch = [
                        client.post(f"{url}/demandes", json=valid_form(nom=f"V{n}-{k}"))
                        for k in range(4)
                    ]
                    codes += [a.status_code for a in await asyncio.gather(*batch)]
                    n += 1
            return codes

        codes = run_async(visitors())
        out, _ = purge.communicate(timeout=120)
    assert purge.returncode == 0
    assert "20000 demande(s) anonymisée(s)" in out
    assert len(codes) >= 8  # visitors came during the purge
    assert set(codes) == {201}  # and none got a 503


def test_no_personal_data_left_after_purge(
    client: TestClient, app: Starlette, settings: Settings, sink: MailSink,
    caplog: pytest.LogCaptureFixture,
) -> None:  # fmt: skip
    caplog.set_level(logging.DEBUG)
    secrets = {
        "structure": "Zéphyrine Solidaire 4242",
        "nom": "Zéphyrine Quatremare",
        "email": "zephyrine.quatremare@asso-zephyr.fr",
        "telephone": "03 21 98 76 54",
        "message": "Message très personnel de Zéphyrine",
    }
    answer = client.post("/demandes", json=valid_form(**secrets), headers={"Origin": SITE})
    assert answer.status_code == 201
    assert app.state.worker.run_once().sent == 2
    storage: Database = app.state.worker.db
    with contextlib.closing(sqlite3.connect(settings.database)) as conn, conn:
        conn.execute("UPDATE requests SET created = created - 400 * 86400")
        conn.execute("UPDATE dossiers SET created = created - 400 * 86400")
    assert retention.purge(storage, time.time() - 365 * 86400, time.time()) == 1
    needles = [v.encode() for v in secrets.values()] + [b"+33321987654", b"zephyrine"]
    for suffix in ("", "-wal"):
        path = Path(f"{settings.database}{suffix}")
        data = path.read_bytes() if path.exists() else b""
        found = [(n, data.lower().count(n.lower())) for n in needles if n.lower() in data.lower()]
        assert found == [], f"{path.name}: {found}"
    wal = Path(f"{settings.database}-wal")
    assert not wal.exists() or wal.stat().st_size <= JOURNAL_SIZE_LIMIT
    # Our log lines (not the test SMTP sink's debug trace of what it received).
    ours = [r.getMessage() for r in caplog.records if r.name.startswith(("aidess", "uvicorn"))]
    assert len(ours) >= 3  # stored, sent twice
    logged = "\n".join(ours).lower()
    assert [n for n in needles if n.decode().lower() in logged] == []
    assert "03 21 98 76 54" not in logged


def test_wal_is_bounded(settings: Settings) -> None:
    storage = Database(settings.database)
    storage.migrate()
    with storage.connect() as conn:
        assert conn.execute("PRAGMA journal_size_limit").fetchone()[0] == JOURNAL_SIZE_LIMIT
        assert conn.execute("PRAGMA secure_delete").fetchone()[0] == 1
    _fill(settings.database, 5_000, time.time())
    assert storage.checkpoint()
    wal = Path(f"{settings.database}-wal")
    assert not wal.exists() or wal.stat().st_size == 0


@contextlib.contextmanager
def _immutable(path: Path) -> Iterator[None]:
    done = subprocess.run(["chattr", "+i", str(path)], capture_output=True)
    if done.returncode != 0:
        pytest.skip("chattr +i indisponible : impossible de rendre la base non inscriptible")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(path)], check=True)


def test_health_says_503_when_the_database_cannot_be_written(
    client: TestClient, settings: Settings
) -> None:
    assert client.get("/sante").json() == {"etat": "ok"}
    Database(settings.database).checkpoint()
    with _immutable(settings.database):
        answer = client.get("/sante")
    assert answer.status_code == 503
    assert answer.json() == {"etat": "base inaccessible"}
    assert client.get("/sante").status_code == 200


def test_service_refuses_to_start_on_an_unwritable_database(settings: Settings) -> None:
    prepared = Database(settings.database)
    prepared.migrate()
    prepared.checkpoint()
    prepared.close()  # its connection, left open, would still write (as the file's owner did)
    with _immutable(settings.database), pytest.raises(ConfigError) as refused:
        create_app(settings)
    assert "impossible d'écrire dans la base" in str(refused.value)
    assert "vérifiez les droits" in str(refused.value)
