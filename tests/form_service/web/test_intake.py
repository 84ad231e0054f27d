"""The intake pipeline's faults, table-tested on every POST of the service as it runs (uvicorn
on loopback with the production configuration): the same fault gets the same answer, in French,
on /demandes, /alertes, /signalements, /propositions and the dossier actions."""

from __future__ import annotations

import logging
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace

import httpx
import pytest

from form_service import server
from form_service.app import create_app
from form_service.devmail import free_port
from form_service.devserver import in_thread
from form_service.settings import Settings
from tests.form_service.conftest import TestClient
from tests.form_service.form_support import SITE

ENDPOINTS = [
    "/demandes", "/alertes", "/signalements", "/dossiers/" + "0" * 32 + "/actions",
    "/propositions",
]  # fmt: skip
FORM = "application/x-www-form-urlencoded"
JSON = "application/json"


@contextmanager
def serving(settings: Settings) -> Iterator[int]:
    port = free_port()
    app = create_app(settings)
    with in_thread(server.server(app, settings, "127.0.0.1", port, log_level="warning")):
        yield port


def _raw(port: int, path: str, head: bytes, body: bytes, *, close: bool = False) -> bytes:
    """Send a request by hand (a declared length the body may not reach); the answer."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    try:
        sock.sendall(b"POST " + path.encode() + b" HTTP/1.1\r\nHost: x\r\n" + head + b"\r\n" + body)
        if close:
            return b""
        sock.settimeout(10)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
            if b"\r\n\r\n" in answer and len(answer) > 200:
                break
        return answer
    finally:
        sock.close()


# (fault, headers, body, expected status, French words of the answer)
FAULTS: list[tuple[str, dict[str, str], bytes, int, str]] = [
    ("origine", {"Origin": "https://evil.example", "Content-Type": FORM}, b"a=1", 403,
     "Origine non autorisée"),
    ("format", {"Origin": SITE, "Content-Type": "text/plain"}, b"bonjour", 415,
     "Envoyez le formulaire du site"),
    ("trop gros", {"Origin": SITE, "Content-Type": FORM}, b"message=" + b"x" * 70_000, 413,
     "trop long"),
    ("utf-8", {"Origin": SITE, "Content-Type": FORM}, b"message=Caf%E9", 400,
     "caractères mal encodés"),
    ("clé en double", {"Origin": SITE, "Content-Type": JSON}, b'{"email": "a", "email": "b"}',
     400, "en double"),
    ("json illisible", {"Origin": SITE, "Content-Type": JSON}, b'{"email": ', 400,
     "pas du JSON valide"),
    ("fichier", {"Origin": SITE, "Content-Type": "multipart/form-data; boundary=x"},
     b'--x\r\nContent-Disposition: form-data; name="f"; filename="a.txt"\r\n\r\nz\r\n--x--\r\n',
     400, ""),
]  # fmt: skip


@pytest.mark.parametrize("path", ENDPOINTS)
def test_every_fault_gets_the_same_french_answer_on_every_post(
    settings: Settings, path: str, caplog: pytest.LogCaptureFixture
) -> None:
    settings = replace(settings, body_timeout=1.0)
    caplog.set_level(logging.INFO)
    with serving(settings) as port, httpx.Client(base_url=f"http://127.0.0.1:{port}") as client:
        for fault, headers, body, status, words in FAULTS:
            if fault == "fichier" and path in ("/signalements", ENDPOINTS[3]):
                status = 415  # these two take urlencoded forms only
            answer = client.post(path, content=body, headers=headers)
            assert answer.status_code == status, (fault, answer.text[:300])
            assert words in answer.text, (fault, answer.text[:300])
        # A body slower than the body timeout: 408, in French, and the connection closed.
        head = f"Origin: {SITE}\r\nContent-Type: {FORM}\r\nContent-Length: 5000\r\n".encode()
        slow = _raw(port, path, head, b"message=lent")
        assert slow.startswith(b"HTTP/1.1 408 "), slow[:200]
        assert "a mis trop de temps à arriver" in slow.decode("utf-8", "replace")
        # A body cut off by its client: one line in the log, no traceback, nothing stored.
        for _ in range(3):
            _raw(port, path, head, b"message=coup", close=True)
        time.sleep(1.5)
        assert client.get("/sante").status_code == 200
    lines = [r.getMessage() for r in caplog.records]
    assert sum("corps de requête trop lent" in m for m in lines) == 1, lines
    assert sum("corps de requête interrompu" in m for m in lines) == 3, lines
    assert "Traceback" not in caplog.text
    assert all(r.exc_info is None for r in caplog.records)


INJECTION = "=?utf-8?q?x=0D=0ABcc=3A_victim=40evil.example=0D=0A?="
# (endpoint, a field that could reach a mail header or a stored row, a value no person sends)
BAD_VALUES = [
    ("/demandes", "nom", INJECTION),
    ("/demandes", "email", "=?utf-8?q?victim=40other.fr?=@attacker.example"),
    ("/demandes", "message", "Bonjour\x00"),
    ("/alertes", "email", "=?utf-8?q?x=0D=0A?=@asso.example"),
    ("/alertes", "email", "a\u202e@asso.example"),
    ("/signalements", "page", f"/aides/{INJECTION}/"),
    ("/signalements", "email", "=?utf-8?q?victim=40other.fr?=@attacker.example"),
    ("/signalements", "message", "Erreur\x00 ici"),
    ("/signalements", "message", "Texte \u202e inversé"),
    ("/signalements", "message", "Caf\ufffd ferm\ufffd"),
    ("/propositions", "titre", INJECTION),
    ("/propositions", "email", "=?utf-8?q?victim=40other.fr?=@attacker.example"),
    ("/propositions", "description", "Une aide\x00"),
    ("/propositions", "porteurs", ["Région\u202e"]),
]


@pytest.mark.parametrize(("path", "field", "value"), BAD_VALUES)
def test_no_endpoint_takes_a_value_that_could_forge_a_header(
    client: TestClient, path: str, field: str, value: str
) -> None:
    """The rule /demandes applies holds for every value on every endpoint, by construction:
    the intake refuses it before any validation, storage or mail."""
    answer = client.post(path, json={field: value}, headers={"Origin": SITE})
    assert answer.status_code == 422, answer.text
    assert field in answer.json()["erreurs"], answer.text


def test_a_nul_in_a_dossier_note_is_refused_in_french(client: TestClient) -> None:
    answer = client.post(
        "/dossiers/" + "0" * 32 + "/actions",
        data={"cle": "x", "action": "noter", "note": "Appelé\x00", "jeton": "t"},
        headers={"Origin": SITE},
    )
    assert answer.status_code == 400
    assert "caractères de contrôle non autorisés" in answer.text
