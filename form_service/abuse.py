"""Abuse limits: origin allowlist, bounded body read while streaming, per-IP rate limit."""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable

from starlette.requests import Request

from form_service.settings import RateLimit

MAX_BODY = 64 * 1024  # bytes
MAX_FIELDS = 60  # the form has ~30 (13 need checkboxes); anything far above is not a person
MAX_PART = 16 * 1024  # bytes of one field, percent-encoded (the message is ≤ 3,000 chars)


class BodyTooLarge(Exception):
    pass


def origin_allowed(request: Request, allowed: frozenset[str]) -> bool:
    """Browsers send Origin with every POST: it must be allowed. Without Origin the client is
    not a browser (curl, a server-side integration), which could forge it anyway, so it is
    let through; the other limits still apply. "null" (sandboxed frames, file://) is refused.
    """
    origin = request.headers.get("origin")
    if origin is None:
        return True
    return origin.lower().rstrip("/") in allowed


async def read_body(request: Request, limit: int = MAX_BODY) -> bytes:
    """The body, refused as soon as it passes `limit` bytes (before reading the rest)."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise BodyTooLarge
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise BodyTooLarge
    return bytes(body)


class RateLimiter:
    """Sliding window per client IP, in memory (one process; see README for proxies)."""

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
