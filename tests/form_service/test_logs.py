"""Keys never reach a log line: uvicorn's access log writes each request's path with its
query, and a mail's link carries a dossier's or an alert's key there."""

from __future__ import annotations

import logging
import socket

import httpx
import pytest

from form_service import server
from form_service.app import create_app
from form_service.devmail import free_port
from form_service.devserver import in_thread
from form_service.logs import without_keys
from form_service.settings import Settings

SECRET = "Zk3p9QxYw2-SeCrEt_ClE_0123456789abcdef"


@pytest.mark.parametrize(
    ("line", "kept"),
    [
        (f"GET /dossiers/abc?cle={SECRET} HTTP/1.1", "GET /dossiers/abc?cle=… HTTP/1.1"),
        (f"/alertes/x?envoyee=1&cle={SECRET}&y=2", "/alertes/x?envoyee=1&cle=…&y=2"),
        ("/aides/?q=cle", "/aides/?q=cle"),
    ],
)
def test_keys_are_taken_out_of_a_line(line: str, kept: str) -> None:
    assert without_keys(line) == kept


def test_the_access_log_never_holds_a_key(
    settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    port = free_port()
    app = create_app(settings)
    served = server.server(app, settings, "127.0.0.1", port, access_log=True)
    access_log = logging.getLogger("uvicorn.access")  # it does not propagate to the root
    access_log.addHandler(caplog.handler)
    with in_thread(served):
        base = f"http://127.0.0.1:{port}"
        # the key leaves the URL at once (a cookie), then the page answers
        dossier = httpx.get(f"{base}/dossiers/{'0' * 32}?cle={SECRET}", follow_redirects=True)
        assert dossier.status_code == 404
        assert "cle=" not in str(dossier.url)
        assert httpx.get(f"{base}/alertes/{'0' * 32}?cle={SECRET}").status_code == 404
    access_log.removeHandler(caplog.handler)
    access = [r for r in caplog.records if r.name == "uvicorn.access"]
    assert len(access) >= 2  # the access log was on, and wrote the two requests
    ours = "\n".join(r.getMessage() for r in caplog.records if r.name != "httpx")  # the client's
    assert SECRET not in ours
    assert "cle=…" in ours


def test_an_invalid_request_is_logged_in_french(
    settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    port = free_port()
    served = server.server(create_app(settings), settings, "127.0.0.1", port)
    errors = logging.getLogger("uvicorn.error")
    errors.addHandler(caplog.handler)
    with in_thread(served), socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(b"PAS UNE REQUETE\r\n\r\n")
        sock.recv(1024)
    errors.removeHandler(caplog.handler)
    lines = [r.getMessage() for r in caplog.records if r.name == "uvicorn.error"]
    assert any("Requête HTTP invalide reçue" in line for line in lines), lines
    assert not any("Invalid HTTP request" in line for line in lines)
