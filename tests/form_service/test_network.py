"""Defects 3, 4 and 9 (issue 9) against the service as it runs: uvicorn on loopback with the
production configuration (form_service/server.py), real concurrent clients, a real SQLite
file shared by two service instances."""

from __future__ import annotations

import asyncio
import logging
import socket
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace

import httpx
import pytest
from starlette.applications import Starlette

from form_service import server
from form_service.app import create_app
from form_service.devmail import free_port
from form_service.devserver import in_thread
from form_service.settings import RateLimit, Settings
from form_service.web.abuse import client_key
from tests.form_service.form_support import run_async, valid_form


@contextmanager
def serving(app: Starlette, settings: Settings) -> Iterator[str]:
    port = free_port()
    with in_thread(server.server(app, settings, "127.0.0.1", port, log_level="warning")):
        yield f"http://127.0.0.1:{port}"


def _stored(settings: Settings) -> int:
    conn = sqlite3.connect(settings.database)
    try:
        count: int = conn.execute("SELECT count(*) FROM requests").fetchone()[0]
        return count
    finally:
        conn.close()


async def _post_all(
    urls: list[str], count: int, headers: list[dict[str, str]] | None = None, first: int = 0
) -> list[int]:
    limits = httpx.Limits(max_connections=200)
    async with httpx.AsyncClient(limits=limits, timeout=30) as client:
        posts = [
            client.post(
                f"{urls[n % len(urls)]}/demandes",
                json=valid_form(nom=f"Personne {first + n}"),
                headers=headers[n] if headers else None,
            )
            for n in range(count)
        ]
        return [a.status_code for a in await asyncio.gather(*posts)]


def test_rate_limit_holds_under_concurrency_across_two_instances(settings: Settings) -> None:
    # Two service instances (separate memory, separate write locks) on one database file:
    # 150 concurrent requests from one address, 5 allowed per hour.
    settings = replace(settings, rate_limit=RateLimit(5, 3600), busy_timeout=10.0)
    first, second = create_app(settings), create_app(settings)
    with serving(first, settings) as a, serving(second, settings) as b:
        codes = run_async(_post_all([a, b], 150))
    assert codes.count(201) == 5
    assert codes.count(429) == 145
    assert _stored(settings) == 5


def test_forged_forwarded_for_is_ignored_without_trusted_proxy(settings: Settings) -> None:
    settings = replace(settings, rate_limit=RateLimit(2, 3600))
    forged = [{"X-Forwarded-For": f"203.0.113.{n}"} for n in range(8)]
    with serving(create_app(settings), settings) as url:
        codes = run_async(_post_all([url], 8, forged))
    assert sorted(codes) == [201, 201] + [429] * 6
    assert _stored(settings) == 2


def test_trusted_proxy_gives_each_client_its_quota(settings: Settings) -> None:
    settings = replace(
        settings, rate_limit=RateLimit(2, 3600), trusted_proxies=frozenset({"127.0.0.1/32"})
    )
    clients = [
        "203.0.113.1",
        "203.0.113.1",
        "203.0.113.1",  # third from the same client: refused
        "198.51.100.9, 203.0.113.2",  # the proxy appends: the rightmost untrusted counts
        "2001:db8:1:2::1",
        "2001:db8:1:2:ffff::9",
        "2001:db8:1:2::abcd",  # third from the same /64: refused
        "2001:db8:1:3::1",
    ]
    headers = [{"X-Forwarded-For": c} for c in clients]
    with serving(create_app(settings), settings) as url:
        codes = []
        for n, h in enumerate(headers):  # in order, so which one is refused is known
            codes += run_async(_post_all([url], 1, [h], first=n))
    assert codes == [201, 201, 429, 201, 201, 201, 429, 201]


@pytest.mark.parametrize(
    ("host", "key"),
    [
        ("203.0.113.7", "203.0.113.7"),
        ("::ffff:203.0.113.7", "203.0.113.7"),
        ("2001:db8::1", "2001:db8::/64"),
        ("2001:0DB8:0000:0000:ffff::1", "2001:db8::/64"),
        ("[2001:db8:0:1::5]", "2001:db8:0:1::/64"),
        ("fe80::1%eth0", "fe80::/64"),
        ("pas une adresse", "inconnue"),
        (None, "inconnue"),
    ],
)
def test_client_key_normalises_and_groups_ipv6(host: str | None, key: str) -> None:
    assert client_key(host) == key


def _slow_socket(port: int, data: bytes) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    sock.sendall(data)
    return sock


def _closed_by_server(sock: socket.socket, within: float) -> bool:
    sock.settimeout(within)
    try:
        while chunk := sock.recv(4096):
            if b"HTTP/1.1" in chunk:  # an answer (408, 503) then the close
                continue
        return True
    except TimeoutError:
        return False
    except ConnectionResetError:
        return True


def test_slow_headers_are_cut_and_connections_bounded(settings: Settings) -> None:
    settings = replace(settings, header_timeout=1.0, max_connections=20)
    app = create_app(settings)
    port = free_port()
    with in_thread(server.server(app, settings, "127.0.0.1", port, log_level="warning")):
        slow = [
            _slow_socket(port, b"POST /demandes HTTP/1.1\r\nHost: x\r\nContent-Type: appl")
            for _ in range(60)
        ]
        try:
            started = time.monotonic()
            answer = None
            while answer is None and time.monotonic() - started < 15:
                try:
                    answer = httpx.post(
                        f"http://127.0.0.1:{port}/demandes", json=valid_form(), timeout=5
                    )
                except httpx.TransportError:
                    time.sleep(0.2)  # refused while the slow ones hold every slot
            assert answer is not None and answer.status_code == 201
            assert time.monotonic() - started < 10  # the header timeout is 1 s
            assert all(_closed_by_server(s, 3) for s in slow)
        finally:
            for s in slow:
                s.close()


def test_slow_and_aborted_bodies_log_one_line_each(
    settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    settings = replace(settings, body_timeout=1.0)
    app = create_app(settings)
    port = free_port()
    head = (
        b"POST /demandes HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        b"Content-Length: 5000\r\n\r\n"
    )
    caplog.set_level(logging.INFO)
    with in_thread(server.server(app, settings, "127.0.0.1", port, log_level="warning")):
        slow = _slow_socket(port, head + b'{"structure": "As')
        slow.settimeout(5)
        answer = slow.recv(65536)
        slow.close()
        for _ in range(3):
            aborted = _slow_socket(port, head + b'{"structure"')
            time.sleep(0.2)
            aborted.close()
        time.sleep(0.5)
    assert answer.startswith(b"HTTP/1.1 408 ")
    assert "a mis trop de temps à arriver" in answer.decode()
    lines = [r.getMessage() for r in caplog.records]
    assert sum("corps de requête trop lent" in m for m in lines) == 1
    assert sum("corps de requête interrompu" in m for m in lines) == 3
    assert "Traceback" not in caplog.text
    assert all(r.exc_info is None for r in caplog.records)
    assert _stored(settings) == 0
