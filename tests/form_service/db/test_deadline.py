"""A hung database ends in a French 503, and a 503 still means nothing was committed.

The hang is real: the service reaches PostgreSQL through a loopback proxy that stops
forwarding (as a server stopped mid-statement, or a network dropping packets silently, looks
to a client: an open socket that never answers)."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from starlette.testclient import TestClient

from form_service.app import create_app
from form_service.db.database import Postgres
from form_service.db.deadline import Deadline
from form_service.devmail import MailSink
from tests import pg_server
from tests.form_service.db_support import rows
from tests.form_service.form_support import make_settings, valid_form


@pytest.mark.parametrize(
    ("steps", "outcome"),
    [
        (["commit"], [True]),
        (["abandon", "commit"], [True, False]),  # the handler answered 503 first: roll back
        (["commit", "abandon"], [True, False]),  # the COMMIT is on its way: wait for it
        (["commit", "committed", "abandon"], [True, None, True]),  # a later one may go
        (["abandon", "abandon"], [True, True]),
    ],
)
def test_the_handler_and_the_transaction_agree_on_who_decides(
    steps: list[str], outcome: list[bool | None]
) -> None:
    deadline, seen = Deadline(), []
    for step in steps:
        if step == "commit":
            seen.append(deadline.may_commit())
        elif step == "abandon":
            seen.append(deadline.abandon())
        else:
            deadline.committed()
            seen.append(None)
    # may_commit and abandon each say whether the caller may go on
    assert seen == outcome


class FreezableProxy:
    """A Unix-socket proxy in front of PostgreSQL's socket; `frozen` stops all forwarding."""

    def __init__(self, upstream: Path, directory: Path) -> None:
        self.upstream, self.directory = upstream, directory
        self.frozen = threading.Event()
        self._listener = socket.socket(socket.AF_UNIX)
        self._listener.bind(str(directory / upstream.name))
        self._listener.listen()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            threading.Thread(target=self._forward, args=(client,), daemon=True).start()

    def _forward(self, client: socket.socket) -> None:
        with client, socket.socket(socket.AF_UNIX) as server:
            server.connect(str(self.upstream))
            pumps = [
                threading.Thread(target=self._pump, args=pair, daemon=True)
                for pair in ((client, server), (server, client))
            ]
            for pump in pumps:
                pump.start()
            for pump in pumps:
                pump.join()

    def _pump(self, source: socket.socket, target: socket.socket) -> None:
        source.settimeout(0.05)
        with contextlib.suppress(OSError):
            while True:
                if self.frozen.is_set():
                    time.sleep(0.05)
                    continue
                try:
                    data = source.recv(65536)
                except TimeoutError:
                    continue
                if not data:
                    break
                target.sendall(data)
        for end in (source, target):
            with contextlib.suppress(OSError):
                end.shutdown(socket.SHUT_RDWR)

    def close(self) -> None:
        self._listener.close()


@pytest.fixture
def backend() -> str:
    return "postgresql"


@pytest.fixture
def proxied(pg: pg_server.Server, tmp_path: Path) -> Iterator[tuple[FreezableProxy, str]]:
    schema = f"deadline{id(tmp_path)}"
    pg_server.execute(pg.url(), f"CREATE SCHEMA {schema}")
    sockets = tmp_path / "proxy"
    sockets.mkdir()
    upstream = next(pg.socket.glob(".s.PGSQL.*"))
    proxy = FreezableProxy(upstream, sockets)
    url = (
        f"postgresql://{pg_server.USER}@/postgres?host={quote(str(sockets), safe='')}"
        f"&options=-csearch_path%3D{schema}"
    )
    try:
        yield proxy, url
    finally:
        proxy.frozen.clear()
        proxy.close()
        from form_service.db.postgres import close_all

        close_all()
        pg_server.execute(pg.url(), f"DROP SCHEMA {schema} CASCADE")


def test_a_hung_database_is_a_503_and_nothing_is_committed(
    proxied: tuple[FreezableProxy, str], tmp_path: Path, content: Path, sink: MailSink
) -> None:
    proxy, url = proxied
    database = Postgres(url)
    settings = make_settings(tmp_path, content, sink.port, database=database, busy_timeout=0.5)
    with TestClient(create_app(settings), follow_redirects=False) as client:
        assert client.get("/sante").status_code == 200
        proxy.frozen.set()
        hung = client.post("/demandes", json=valid_form())
        assert hung.status_code == 503
        assert "très sollicité" in hung.text
        assert hung.headers["retry-after"]
        health = client.get("/sante")
        assert (health.status_code, health.json()) == (503, {"etat": "base inaccessible"})

        proxy.frozen.clear()  # the server answers again: the abandoned work rolls back
        again = client.post("/demandes", json=valid_form(nom="Une autre personne"))
        assert again.status_code == 201, again.text
        assert client.get("/sante").status_code == 200
    # Only the request answered 201 was stored; the one answered 503 was not.
    assert rows(database, "SELECT count(*) FROM requests") == [(1,)]
