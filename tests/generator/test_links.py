"""`aidess liens` against a local TLS server with a throwaway certificate (docs/interfaces.md
§9)."""

from __future__ import annotations

import socket
import ssl
import subprocess
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from aidess.cli import main
from generator import links


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
         "-nodes", "-keyout", str(key), "-out", str(cert), "-days", "1", "-subj", "/CN=localhost",
         "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"],
        check=True, capture_output=True,
    )  # fmt: skip
    return cert, key


class Handler(BaseHTTPRequestHandler):
    hits: dict[str, int] = {}  # noqa: RUF012 - shared by the server's threads, on purpose

    def log_message(self, format: str, *args: object) -> None:
        pass

    def _answer(self, with_body: bool) -> None:
        path = self.path
        Handler.hits[f"{self.command} {path}"] = Handler.hits.get(f"{self.command} {path}", 0) + 1
        status, headers = 200, {}
        if path == "/deplace":
            status, headers = 301, {"Location": "/ok"}
        elif path == "/boucle":
            status, headers = 302, {"Location": "/boucle"}
        elif path == "/absent":
            status = 404
        elif path == "/erreur":
            status = 500
        elif path == "/instable":
            status = 500 if Handler.hits[f"{self.command} {path}"] == 1 else 200
        elif path == "/sans-head" and self.command == "HEAD":
            status = 405
        elif path == "/lent":
            time.sleep(3)
        body = b"<h1>page</h1>"
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if with_body:
            self.wfile.write(body)

    def do_HEAD(self) -> None:
        self._answer(False)

    def do_GET(self) -> None:
        self._answer(True)


@pytest.fixture(scope="module")
def server(certificate: tuple[Path, Path]) -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*certificate)
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"https://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def silent() -> Iterator[str]:
    """A port that accepts connections and never says a word."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)
    yield f"https://127.0.0.1:{sock.getsockname()[1]}/rien"
    sock.close()


@pytest.fixture
def refused() -> str:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return f"https://127.0.0.1:{port}/ferme"


@pytest.fixture
def trusted(certificate: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate[0]))
    Handler.hits.clear()


def write(content: Path, kind: str, slug: str, **urls: str) -> Path:
    path = content / ("aides" if kind == "aide" else "reseaux") / f"{slug}.md"
    lines = ["---", f"titre: {slug}", *(f"{k}: {v}" for k, v in urls.items()), "---", "Texte."]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.usefixtures("trusted")
def test_each_answer(server: str, silent: str, refused: str) -> None:
    urls = {
        "ok": f"{server}/ok",
        "deplace": f"{server}/deplace",
        "sans-head": f"{server}/sans-head",
        "instable": f"{server}/instable",
        "absent": f"{server}/absent",
        "erreur": f"{server}/erreur",
        "boucle": f"{server}/boucle",
        "lent": f"{server}/lent",
        "silent": silent,
        "refused": refused,
    }
    started = time.monotonic()
    results = links.check_sync(urls.values(), concurrency=4, timeout=1.0, retry_delay=0.1)
    elapsed = time.monotonic() - started
    got = {name: results[url] for name, url in urls.items()}
    assert {name for name, r in got.items() if r.ok} == {"ok", "deplace", "sans-head", "instable"}
    assert got["deplace"].url.endswith("/ok") and got["deplace"].status == 200
    assert got["absent"].problem == "réponse 404 Not Found (page introuvable)"
    assert got["erreur"].problem.startswith("réponse 500")
    assert "redirections" in got["boucle"].problem
    for name in ("lent", "silent"):
        assert got[name].problem.startswith("pas de réponse dans le délai"), name
    assert got["refused"].problem.startswith("connexion impossible")
    # HEAD refused → GET; a 500 is retried once (and only once), a 404 never.
    assert Handler.hits["GET /sans-head"] == 1
    assert Handler.hits["HEAD /erreur"] == 2 and Handler.hits["GET /erreur"] == 2
    assert Handler.hits["HEAD /absent"] == 1 and Handler.hits["GET /absent"] == 1
    # Concurrent: ten URLs, two of them slow (twice 1 s each, several s for HEAD + GET):
    # well under their sum.
    assert elapsed < 8, elapsed


@pytest.mark.usefixtures("trusted")
def test_command_names_file_and_line_and_fails(
    server: str, content: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bon = write(content, "aide", "bonne", source=f"{server}/ok", demarche=f"{server}/deplace")
    mauvaise = write(
        content, "aide", "mauvaise", source=f"{server}/ok", demarche=f"{server}/absent"
    )
    reseau = write(content, "reseau", "reseau", site=f"{server}/erreur")
    code = main(["liens", "--content", str(content), "--concurrence", "2", "--timeout", "2"])
    out = capsys.readouterr().out.splitlines()
    assert code == 1
    assert out[0] == (
        f"{mauvaise}:4: demarche: lien cassé {server}/absent : réponse 404 Not Found "
        "(page introuvable)"
    )
    assert out[1].startswith(f"{reseau}:3: site: lien cassé {server}/erreur : réponse 500")
    assert str(bon) not in "\n".join(out)
    assert out[-1] == "4 adresse(s) vérifiée(s) (5 liens), 2 cassée(s)"


@pytest.mark.usefixtures("trusted")
def test_command_exits_0_when_all_links_work(
    server: str, content: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(content, "aide", "bonne", source=f"{server}/ok", demarche=f"{server}/sans-head")
    assert main(["liens", "--content", str(content)]) == 0
    assert capsys.readouterr().out.strip() == "2 adresse(s) vérifiée(s) (2 liens), 0 cassée(s)"


def test_untrusted_certificate_is_a_broken_link(
    server: str, content: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # Without SSL_CERT_FILE naming it, the throwaway certificate is not trusted.
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    write(content, "aide", "bonne", source=f"{server}/ok")
    assert main(["liens", "--content", str(content)]) == 1
    assert "certificat refusé" in capsys.readouterr().out
