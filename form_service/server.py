"""The form service under uvicorn (`aidess service`, `aidess serve`, the tests): which proxy
is trusted for the client's address, and the limits that keep slow or numerous clients from
exhausting the process (issue 9, defects 4 and 9).

- Proxy headers: X-Forwarded-For is read only from the addresses in AIDESS_TRUSTED_PROXIES
  (none by default): anyone else could forge it and get a fresh rate-limit quota per request.
- Slow headers: a connection whose request headers are not complete within `header_timeout`
  seconds is closed (uvicorn has no such timeout; its keep-alive timeout only covers the idle
  time between requests). Slow bodies are timed out by the handler (abuse.read_body).
- Connections: beyond `max_connections` open connections, new ones are closed at once, and
  uvicorn answers 503 above the same number of requests in flight (limit_concurrency).
"""

from __future__ import annotations

import asyncio
import logging

import uvicorn
from starlette.applications import Starlette
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from form_service.logs import UvicornLines
from form_service.settings import Settings

log = logging.getLogger("aidess.http")
KEEP_ALIVE = 5  # seconds an idle keep-alive connection stays open


class GuardedHttpTools(HttpToolsProtocol):
    """uvicorn's httptools protocol with a header timeout and a cap on open connections."""

    header_timeout: float = 10.0
    max_connections: int = 500
    _header_timer: asyncio.TimerHandle | None = None

    def connection_made(  # type: ignore[override]
        self, transport: asyncio.Transport
    ) -> None:
        super().connection_made(transport)
        if len(self.connections) > self.max_connections:
            log.warning(
                "trop de connexions ouvertes (%d) : connexion refusée", self.max_connections
            )
            transport.close()
            return
        self._arm_header_timer()

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel_header_timer()
        super().connection_lost(exc)

    def on_message_begin(self) -> None:
        super().on_message_begin()
        if self._header_timer is None:  # a new request on a kept-alive connection
            self._arm_header_timer()

    def on_headers_complete(self) -> None:
        self._cancel_header_timer()
        super().on_headers_complete()

    def _arm_header_timer(self) -> None:
        self._cancel_header_timer()
        self._header_timer = self.loop.call_later(self.header_timeout, self._headers_too_slow)

    def _cancel_header_timer(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _headers_too_slow(self) -> None:
        self._header_timer = None
        if not self.transport.is_closing():
            log.warning(
                "en-têtes HTTP incomplets après %.0f s : connexion fermée", self.header_timeout
            )
            self.transport.close()


def config(
    app: Starlette,
    settings: Settings,
    host: str,
    port: int,
    log_level: str = "info",
    access_log: bool = True,
) -> uvicorn.Config:
    """uvicorn's configuration for this service, from its settings."""
    protocol = type(
        "AidessHttpProtocol",
        (GuardedHttpTools,),
        {"header_timeout": settings.header_timeout, "max_connections": settings.max_connections},
    )
    trusted = sorted(settings.trusted_proxies)
    return uvicorn.Config(
        app,
        host=host,
        port=port,
        log_level=log_level,
        http=protocol,
        proxy_headers=bool(trusted),
        forwarded_allow_ips=trusted or [],
        timeout_keep_alive=KEEP_ALIVE,
        limit_concurrency=settings.max_connections,
        server_header=False,
        access_log=access_log,
    )


def server(
    app: Starlette,
    settings: Settings,
    host: str,
    port: int,
    log_level: str = "info",
    access_log: bool = True,
) -> uvicorn.Server:
    server = uvicorn.Server(config(app, settings, host, port, log_level, access_log))
    keep_keys_out_of_logs()
    return server


def keep_keys_out_of_logs() -> None:
    """uvicorn's loggers write request paths: never with a key (form_service/logs.py)."""
    for name in ("uvicorn.access", "uvicorn.error"):
        logger = logging.getLogger(name)
        if not any(isinstance(f, UvicornLines) for f in logger.filters):
            logger.addFilter(UvicornLines())
