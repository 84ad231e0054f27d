"""Abuse limits: origin allowlist, bounded body read while streaming, per-IP rate limit."""

from __future__ import annotations

import asyncio
import ipaddress
import math
import time
from collections import deque
from collections.abc import Callable

from starlette.requests import ClientDisconnect, Request

from form_service.db.quotas import RateLimit

MAX_BODY = 64 * 1024  # bytes
MAX_FIELDS = 60  # the form has ~30 (13 need checkboxes); anything far above is not a person
# Bytes of one field, percent-encoded: 3,000 characters (a message, a note) of up to 4 bytes of
# UTF-8 each, 3 bytes a byte once percent-encoded, fit.
MAX_PART = 40 * 1024


class BodyTooLarge(Exception):
    pass


class BodyTooSlow(Exception):
    """The whole body did not arrive within the body timeout."""


class BodyAborted(Exception):
    """The client went away before the end of its body."""


def origin_allowed(request: Request, allowed: frozenset[str]) -> bool:
    """Browsers send Origin with every POST: it must be allowed. Without Origin the client is
    not a browser (curl, a server-side integration), which could forge it anyway, so it is
    let through; the other limits still apply. "null" (sandboxed frames, file://) is refused.
    """
    origin = request.headers.get("origin")
    if origin is None:
        return True
    return origin.lower().rstrip("/") in allowed


async def read_body(request: Request, limit: int = MAX_BODY, timeout: float = 10.0) -> bytes:
    """The body, refused as soon as it passes `limit` bytes (before reading the rest), or
    when all of it did not arrive within `timeout` seconds (a slow client holds a
    connection and memory for nothing)."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise BodyTooLarge
    body = bytearray()
    try:
        async with asyncio.timeout(timeout):
            async for chunk in request.stream():
                body += chunk
                if len(body) > limit:
                    raise BodyTooLarge
    except TimeoutError:
        raise BodyTooSlow from None
    except ClientDisconnect:
        raise BodyAborted from None
    return bytes(body)


def client_key(host: str | None) -> str:
    """The rate-limit key of a client address: IPv4 as written canonically (an IPv4-mapped
    IPv6 address is its IPv4), IPv6 grouped by /64 (one subscriber's whole prefix)."""
    if not host:
        return "inconnue"
    try:
        address = ipaddress.ip_address(host.strip().strip("[]").split("%")[0])
    except ValueError:
        return "inconnue"
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network((address, 64), strict=False))
    return str(address)


class RateLimiter:
    """Sliding window per client key, in memory: a quick first check in front of the
    database's reservation (db/quotas.py, reserve_slot), which is the one that counts."""

    def __init__(self, limit: RateLimit, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit, self.clock = limit, clock
        self._hits: dict[str, deque[float]] = {}

    def _window(self, key: str) -> deque[float]:
        hits = self._hits.setdefault(key, deque())
        horizon = self.clock() - self.limit.period
        while hits and hits[0] <= horizon:
            hits.popleft()
        if not hits:
            del self._hits[key]
            return deque()
        return hits

    def retry_after(self, key: str) -> int | None:
        """Seconds to wait when `key` used its quota, else None."""
        hits = self._window(key)
        if len(hits) < self.limit.count:
            return None
        return max(1, math.ceil(hits[0] + self.limit.period - self.clock()))

    def hit(self, key: str) -> None:
        self._hits.setdefault(key, deque()).append(self.clock())
        if len(self._hits) > 100_000:  # bound memory under a flood of addresses
            for stale in [k for k in list(self._hits)[:10_000]]:
                self._window(stale)
