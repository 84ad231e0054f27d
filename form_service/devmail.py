"""Development mail sink (aiosmtpd on loopback) and its listing at /dev/courriels.

Used by `aidess serve` and by the tests: every message received is kept in memory and saved as
an .eml file; no mail ever leaves the machine.
"""

from __future__ import annotations

import asyncio
import html
import re
import socket
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, Response
from starlette.routing import Route

from form_service.web.pages import error_page


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass(frozen=True)
class Received:
    sender: str
    recipients: tuple[str, ...]
    data: bytes

    @property
    def message(self) -> EmailMessage:
        parsed: EmailMessage = message_from_bytes(self.data, policy=policy.default)
        return parsed


_LINK = re.compile(r"(https?://[^\s<>\"]+?)(?=&gt;|\s|$)")


class MailSink:
    """A real SMTP server on a loopback port. `rcpt_reply` may refuse a recipient (tests:
    return e.g. "550 boîte inconnue" or "451 réessayez"); None accepts it."""

    def __init__(
        self,
        directory: Path | None = None,
        host: str = "127.0.0.1",
        port: int | None = None,
        rcpt_reply: Callable[[str], str | None] | None = None,
        delay: float = 0.0,
    ) -> None:
        self.directory, self.host, self.port = directory, host, port or free_port(host)
        self.rcpt_reply = rcpt_reply
        self.delay = delay  # seconds before each DATA is accepted (a slow server, for tests)
        self.received: list[Received] = []
        self._lock = threading.Condition()
        self._controller: Controller | None = None

    # aiosmtpd handler hooks
    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: list[str]
    ) -> str:
        reply = self.rcpt_reply(address) if self.rcpt_reply else None
        if reply:
            return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.delay:
            await asyncio.sleep(self.delay)
        data = bytes(envelope.original_content or envelope.content)
        item = Received(envelope.mail_from, tuple(envelope.rcpt_tos), data)
        if self.directory is not None:
            self.directory.mkdir(parents=True, exist_ok=True)
            (self.directory / f"{time.time_ns()}.eml").write_bytes(data)
        with self._lock:
            self.received.append(item)
            self._lock.notify_all()
        return "250 Message accepted for delivery"

    def start(self) -> MailSink:
        self._controller = Controller(self, hostname=self.host, port=self.port)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def __enter__(self) -> MailSink:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def wait_for(self, count: int, timeout: float = 10.0) -> list[Received]:
        """Block until `count` messages have arrived (raises TimeoutError otherwise)."""
        with self._lock:
            if not self._lock.wait_for(lambda: len(self.received) >= count, timeout):
                raise TimeoutError(f"{len(self.received)} courriel(s) reçu(s) sur {count}")
            return list(self.received)


# --- listing ------------------------------------------------------------------------------


def _files(directory: Path) -> list[Path]:
    return sorted(directory.glob("*.eml"), reverse=True)


def _parse(path: Path) -> EmailMessage:
    parsed: EmailMessage = message_from_bytes(path.read_bytes(), policy=policy.default)
    return parsed


def routes(directory: Path, actions: Sequence[tuple[str, str]] = ()) -> list[Route]:
    """The listing, each mail, its raw file; `actions`: (label, path) buttons posting to the
    service (e.g. send the alert digests now)."""
    e = html.escape

    def page(title: str, body: str) -> HTMLResponse:
        return HTMLResponse(
            f'<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>{e(title)}'
            "</title><style>body{font-family:system-ui,sans-serif;margin:2rem}"
            "td,th{padding:.3rem .6rem;text-align:left;border-bottom:1px solid #ccc}"
            "pre{white-space:pre-wrap}</style></head>"
            f"<body><h1>{e(title)}</h1>{body}</body></html>"
        )

    async def listing(request: Request) -> Response:
        rows = []
        for path in _files(directory):
            msg = _parse(path)
            rows.append(
                f'<tr><td><a href="/dev/courriels/{e(path.stem)}">{e(str(msg["Subject"]))}</a></td>'
                f"<td>{e(str(msg['To']))}</td><td>{e(str(msg['Date']))}</td></tr>"
            )
        table = (
            "<table><thead><tr><th>Objet</th><th>Destinataires</th><th>Date</th></tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>"
            if rows
            else "<p>Aucun courriel reçu pour l'instant.</p>"
        )
        intro = "<p>Courriels reçus par le serveur SMTP local (rien ne sort de la machine).</p>"
        buttons = "".join(
            f'<form method="post" action="{e(path)}"><button type="submit">{e(label)}</button>'
            "</form>"
            for label, path in actions
        )
        sent = request.query_params.get("alertes", "")
        if sent:
            queued, _, empty = sent.partition("-")
            buttons += (
                f'<p role="status">Alertes : {e(queued)} résumé(s) mis en file, {e(empty)} '
                "sans nouveauté (un résumé par alerte et par semaine).</p>"
            )
        return page(f"Courriels reçus ({len(rows)})", intro + buttons + table)

    def _path(request: Request) -> Path | None:
        name = str(request.path_params["name"])
        path = directory / f"{name}.eml"
        return path if name.isdigit() and path.is_file() else None

    async def view(request: Request) -> Response:
        path = _path(request)
        if path is None:
            return HTMLResponse(
                error_page("Courriel introuvable", "Ce courriel n'existe pas."), 404
            )
        msg = _parse(path)
        heads = "".join(
            f"<tr><th>{e(h)}</th><td>{e(str(msg[h]))}</td></tr>"
            for h in ("Subject", "From", "To", "Reply-To", "Date", "Message-ID")
            if msg[h] is not None
        )
        text = msg.get_body(("plain",))
        rich = msg.get_body(("html",))
        body = f"<table>{heads}</table>"
        if rich is not None:
            body += (
                '<h2>Version HTML</h2><iframe sandbox="" title="Version HTML" '
                f'style="width:100%;height:32rem" srcdoc="{e(rich.get_content())}"></iframe>'
            )
        if text is not None:
            # Links clickable (the HTML version is sandboxed): a newcomer follows the dossier
            # links from here.
            linked = _LINK.sub(r'<a href="\1">\1</a>', e(text.get_content()))
            body += f"<h2>Version texte</h2><pre>{linked}</pre>"
        body += f'<p><a href="/dev/courriels/{path.stem}.eml">Message brut (.eml)</a> · '
        body += '<a href="/dev/courriels">Tous les courriels</a></p>'
        return page(str(msg["Subject"]), body)

    async def raw(request: Request) -> Response:
        path = _path(request)
        if path is None:
            return HTMLResponse(
                error_page("Courriel introuvable", "Ce courriel n'existe pas."), 404
            )
        return FileResponse(path, media_type="message/rfc822")

    return [
        Route("/dev/courriels", listing),
        Route("/dev/courriels/{name}.eml", raw),
        Route("/dev/courriels/{name}", view),
    ]
