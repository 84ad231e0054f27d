"""The whole product on one machine (`aidess serve`, end-to-end tests): the built site, the form
service and an embedded SMTP sink, in one process on loopback."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

import uvicorn
from starlette.applications import Starlette

from form_service import server
from form_service.app import create_app
from form_service.devmail import MailSink, free_port
from form_service.settings import Settings, from_env

DEV_RATE_LIMIT = "60/hour"


def dev_settings(
    content: Path,
    site_dir: Path,
    var_dir: Path,
    url: str,
    smtp_port: int,
    env: Mapping[str, str] | None = None,
) -> Settings:
    """Safe defaults for a newcomer; AIDESS_* variables may override all but the SMTP server,
    which is always the local sink (no mail leaves the machine)."""
    host_alias = url.replace("127.0.0.1", "localhost")
    defaults = {
        "AIDESS_SITE_URL": url,
        "AIDESS_ALLOWED_ORIGINS": f"{url},{host_alias}",
        "AIDESS_MAIL_FROM": "ne-pas-repondre@aidess.example",
        "AIDESS_FALLBACK_EMAIL": "orientation@aidess.example",
        "AIDESS_EDITORS_EMAIL": "editeurs@aidess.example",
        "AIDESS_DATABASE": str(var_dir / "aidess.sqlite3"),
        "AIDESS_CONTENT": str(content),
        "AIDESS_SITE_DIR": str(site_dir),
        "AIDESS_RATE_LIMIT": DEV_RATE_LIMIT,
    }
    forced = {
        "AIDESS_SMTP_HOST": "127.0.0.1",
        "AIDESS_SMTP_PORT": str(smtp_port),
        "AIDESS_SMTP_STARTTLS": "false",
        "AIDESS_SMTP_USER": "",
        "AIDESS_SMTP_PASSWORD": "",
        "AIDESS_OUTBOX_WORKER": "true",
    }
    settings = from_env({**(os.environ if env is None else env), **forced}, defaults)
    return replace(
        settings,
        static_dir=site_dir,
        dev_mail_dir=var_dir / "courriels",
        dev_reload=True,
        outbox_poll=1.0,
        smtp_timeout=10.0,
    )


def uvicorn_server(
    app: Starlette, settings: Settings, host: str, port: int, log_level: str = "info"
) -> uvicorn.Server:
    """The same uvicorn configuration as `aidess service` (form_service/server.py)."""
    return server.server(app, settings, host, port, log_level)


@contextmanager
def in_thread(server: uvicorn.Server, timeout: float = 10.0) -> Iterator[None]:
    """Run a uvicorn server in a background thread until the block ends."""
    thread = threading.Thread(target=server.run, name="aidess-uvicorn", daemon=True)
    thread.start()
    deadline = time.monotonic() + timeout
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("le serveur web n'a pas démarré")
        time.sleep(0.02)
    try:
        yield
    finally:
        server.should_exit = True
        thread.join(timeout)


@dataclass(frozen=True)
class Stack:
    url: str
    sink: MailSink
    settings: Settings
    app: Starlette


@contextmanager
def running(
    content: Path,
    site_dir: Path,
    var_dir: Path,
    host: str = "127.0.0.1",
    port: int | None = None,
    env: Mapping[str, str] | None = None,
) -> Iterator[Stack]:
    """Sink + site + form service on loopback, for end-to-end tests (site already built)."""
    port = port or free_port(host)
    url = f"http://{host}:{port}"
    with MailSink(var_dir / "courriels") as sink:
        settings = dev_settings(content, site_dir, var_dir, url, sink.port, env)
        # Tests: no digests queued on their own on a Monday morning.
        settings = replace(settings, alerts_schedule=False)
        app = create_app(settings)
        with in_thread(uvicorn_server(app, settings, host, port, log_level="warning")):
            yield Stack(url, sink, settings, app)
