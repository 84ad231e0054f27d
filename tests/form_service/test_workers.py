"""`aidess service --workers 2` on PostgreSQL: two processes serve one port (each alone can
answer, one rate limit for both), a SIGTERM stops them all, a worker that dies stops the
service; refused on SQLite."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from form_service.db.database import Target
from form_service.devmail import free_port
from tests.form_service.db_support import rows, url
from tests.form_service.form_support import SITE, valid_form
from tests.form_service.process_support import wait_ready


@pytest.fixture
def backend() -> str:
    return "postgresql"  # several workers need PostgreSQL


def _env(database: Target, content: Path, tmp_path: Path) -> dict[str, str]:
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith("AIDESS_")},
        "AIDESS_DATABASE": url(database),
        "AIDESS_SITE_URL": SITE,
        "AIDESS_MAIL_FROM": "ne-pas-repondre@aidess.example",
        "AIDESS_FALLBACK_EMAIL": "orientation@aidess.example",
        "AIDESS_SMTP_HOST": "127.0.0.1",
        "AIDESS_SMTP_PORT": str(free_port()),
        "AIDESS_CONTENT": str(content),
        "AIDESS_SITE_DIR": str(tmp_path / "pas-de-site"),
        "AIDESS_OUTBOX_WORKER": "false",
        "AIDESS_RATE_LIMIT": "5/hour",
    }


def _command(port: int, workers: str) -> list[str]:
    return [sys.executable, "-m", "aidess.cli", "service", "--port", str(port),
            "--workers", workers, "--no-access-log"]  # fmt: skip


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == pid:  # fields: state, ppid, …
            found.append(int(stat.parent.name))
    return sorted(found)


def _post(base: str, n: int) -> int:
    form = valid_form(nom=f"Personne {n}", email=f"personne{n}@asso-theatre.fr")
    answer = httpx.post(f"{base}/demandes", json=form, headers={"Origin": SITE}, timeout=20)
    return answer.status_code


def _ready(base: str, process: subprocess.Popen[bytes], log: Path, workers: int) -> list[int]:
    """Wait until the service answers and has its workers; return their pids."""
    wait_ready(base, process, log, lambda: len(_children(process.pid)) == workers)
    return _children(process.pid)


@pytest.fixture
def started(
    database: Target, content: Path, tmp_path: Path
) -> Iterator[tuple[str, subprocess.Popen[bytes], list[int], Path]]:
    port, log = free_port(), tmp_path / "service.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            _command(port, "2"),
            env=_env(database, content, tmp_path),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        # The port opens once both workers have their app.
        pids = _ready(base, process, log, 2)
        yield base, process, pids, log
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def test_two_workers_each_serve_the_port_and_stop_together(
    started: tuple[str, subprocess.Popen[bytes], list[int], Path], database: Target
) -> None:
    base, process, pids, log = started
    codes = []
    for other in reversed(pids):
        # The other worker paused: this one alone takes the new connections.
        os.kill(other, signal.SIGSTOP)
        try:
            for _ in range(3):
                codes.append(_post(base, len(codes)))
        finally:
            os.kill(other, signal.SIGCONT)
    # Both workers answered, and counted one quota: the sixth request from 127.0.0.1 is refused.
    assert codes == [201] * 5 + [429]
    assert rows(database, "SELECT count(*) FROM requests") == [(5,)]

    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=30) == 0, log.read_text()
    assert not [pid for pid in pids if Path(f"/proc/{pid}").exists()]


def test_a_worker_that_dies_stops_the_service(
    started: tuple[str, subprocess.Popen[bytes], list[int], Path],
) -> None:
    _, process, pids, log = started
    os.kill(pids[0], signal.SIGKILL)
    assert process.wait(timeout=30) != 0
    assert not Path(f"/proc/{pids[1]}").exists()
    assert "s'est arrêté" in log.read_text()


def test_several_workers_are_refused_on_sqlite(content: Path, tmp_path: Path) -> None:
    env = _env(tmp_path / "aidess.sqlite3", content, tmp_path)
    done = subprocess.run(
        _command(free_port(), "2"), env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 1
    assert "plusieurs workers demandent PostgreSQL" in done.stderr
    assert "AIDESS_DATABASE" in done.stderr
    assert not (tmp_path / "aidess.sqlite3").exists()


def test_a_worker_count_below_one_is_refused(content: Path, tmp_path: Path) -> None:
    env = _env(tmp_path / "aidess.sqlite3", content, tmp_path)
    done = subprocess.run(
        _command(free_port(), "0"), env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 2
    assert "« 0 » : un nombre entier d'au moins 1" in done.stderr


def test_workers_that_cannot_start_stop_the_service_with_the_reason(
    database: Target, tmp_path: Path
) -> None:
    env = _env(database, tmp_path / "pas-de-contenu", tmp_path)
    done = subprocess.run(
        _command(free_port(), "2"), env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 1
    assert "erreur :" in done.stderr and "pas-de-contenu" in done.stderr, done.stderr


def _gone(pid: int) -> bool:
    """Ended (a zombie waiting for a parent that is gone counts as ended)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return True
    return state == "Z"


def test_workers_end_with_a_killed_supervisor(
    started: tuple[str, subprocess.Popen[bytes], list[int], Path],
) -> None:
    """kill -9 of the supervisor: its workers end too, and free the port for a restart."""
    _, process, pids, _ = started
    process.kill()
    process.wait(timeout=10)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and not all(_gone(pid) for pid in pids):
        time.sleep(0.1)
    assert all(_gone(pid) for pid in pids)


def test_a_port_in_use_is_said_in_french(content: Path, tmp_path: Path, database: Target) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        for count in ("1", "2"):
            result = subprocess.run(
                _command(port, count), env=_env(database, content, tmp_path),
                capture_output=True, text=True, timeout=60,
            )  # fmt: skip
            assert result.returncode != 0
            assert "est déjà utilisée par un autre processus" in result.stderr, result.stderr
            assert "Traceback" not in result.stderr
