"""The outbox drained into a local SMTP sink (aiosmtpd) by one or more `aidess outbox --once`
at once: how fast, and whether each queued mail arrived exactly once (by its Message-ID)."""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from form_service.db.database import Database, Target

MESSAGE_ID = re.compile(rb"^Message-ID:[ \t]*(<[^>\r\n]+>)", re.IGNORECASE | re.MULTILINE)


class Sink:
    """aiosmtpd handler: accepts every message, remembers when the first and last arrived and
    how many times each Message-ID came."""

    def __init__(self) -> None:
        self.count = 0
        self.first = 0.0
        self.last = 0.0
        self.ids: Counter[str] = Counter()
        self._lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        now = time.perf_counter()
        found = MESSAGE_ID.search(bytes(envelope.original_content or envelope.content))
        with self._lock:
            self.count += 1
            self.first = self.first or now
            self.last = now
            self.ids[found.group(1).decode() if found else "(sans Message-ID)"] += 1
        return "250 Message accepted"

    def rate(self) -> float:
        span = self.last - self.first
        return (self.count - 1) / span if self.count > 1 and span > 0 else 0.0


@dataclass(frozen=True)
class Drained:
    queued: frozenset[str]  # Message-IDs in the outbox before the drain
    sent: frozenset[str]  # …marked sent after it
    received: Counter[str]  # Message-ID → copies received by the sink
    rate: float  # mails per second at the sink, first to last
    wall: float  # seconds, start-up of the senders included
    command: list[str]

    @property
    def duplicates(self) -> int:
        return sum(n - 1 for n in self.received.values() if n > 1)

    @property
    def unexpected(self) -> int:
        """Received, but not a queued mail (or without a Message-ID)."""
        return len(set(self.received) - self.queued)

    @property
    def drained(self) -> bool:
        return self.sent == self.queued

    @property
    def once(self) -> bool:
        """No copy twice, nothing unknown, and every mail marked sent was received."""
        return self.duplicates == 0 and self.unexpected == 0 and self.sent <= set(self.received)


def _message_ids(db: Target, where: str) -> frozenset[str]:
    database = Database(db)
    try:
        with database.connect() as conn:
            return frozenset(r[0] for r in conn.execute(f"SELECT message_id FROM outbox {where}"))
    finally:
        database.close()


def drain(env: dict[str, str], db: Target, smtp_port: int, senders: int, timeout: float) -> Drained:
    """Start the sink on `smtp_port`, run `senders` drains together (at most `timeout` s)."""
    from aiosmtpd.controller import Controller

    queued = _message_ids(db, "WHERE status = 'queued'")
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    argv = command(env)
    try:
        started = time.perf_counter()
        with _processes(argv, {**os.environ, **env}, senders) as procs:
            deadline = started + timeout
            for proc in procs:
                with contextlib.suppress(subprocess.TimeoutExpired):
                    proc.wait(timeout=max(0.0, deadline - time.perf_counter()))
        wall = time.perf_counter() - started
    finally:
        controller.stop()
    sent = _message_ids(db, "WHERE status = 'sent'")
    return Drained(queued, sent, sink.ids, sink.rate(), wall, argv)


@contextlib.contextmanager
def _processes(argv: list[str], env: dict[str, str], count: int) -> Iterator[list[Any]]:
    procs = [
        subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(count)
    ]
    try:
        yield procs
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait()


def command(env: dict[str, str]) -> list[str]:
    """`aidess outbox --once`: one pass over every due row, as a deployment's cron runs it."""
    aidess = Path(sys.executable).with_name("aidess")
    return [str(aidess), "outbox", "--once", "--content", env["AIDESS_CONTENT"]]
