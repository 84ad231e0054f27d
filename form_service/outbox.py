"""The outbox worker: claim due emails with a lease, send them, record the outcome.

Each email is rendered here, at send time, from the stored request (the request handler only
queues who gets what). Delivery is at least once: a worker stopped after the SMTP reply but
before the database update sends the row again once its lease expires, the same message (same
Message-ID, fixed at queue time, same bytes). A row whose request was erased meanwhile is not
sent half empty: it is marked failed.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

import anyio.to_thread

from form_service import emails
from form_service.mailer import Mailer, PermanentError, TransientError
from form_service.storage import DatabaseBusy, Row, Storage

log = logging.getLogger("aidess.outbox")

FIRST_DELAY = 60.0  # seconds before the first retry, doubled each time…
MAX_DELAY = 3600.0  # …up to an hour
MAX_ATTEMPTS = 12  # about 8 hours of trying, then the row is marked failed
LEASE = 300.0  # longer than one SMTP exchange with its timeouts


def retry_delay(attempts: int) -> float:
    """Delay after the `attempts`-th failed attempt (1-based)."""
    return float(min(MAX_DELAY, FIRST_DELAY * 2 ** (attempts - 1)))


@dataclass
class Report:
    sent: int = 0
    retried: int = 0
    failed: int = 0


@dataclass
class Worker:
    storage: Storage
    mailer: Mailer
    sender: str
    clock: Callable[[], float] = time.time
    site_url: str = ""  # for the dossier links in the emails
    max_attempts: int = MAX_ATTEMPTS
    lease: float = LEASE
    owner: str = field(default_factory=lambda: uuid.uuid4().hex)

    def run_once(self) -> Report:
        """One pass over the due rows (blocking: run it in a thread from async code)."""
        report = Report()
        while rows := self.storage.claim(self.owner, self.clock(), self.lease):
            for row in rows:
                self._deliver(row, report)
        return report

    def _message(self, row: Row) -> bytes:
        if row.message is not None:  # queued, already rendered, by an earlier version
            return row.message
        if row.request is None:
            raise PermanentError("demande effacée avant l'envoi : courriel non envoyé")
        context = emails.Context(
            row.request_id, row.request.created, row.request.submission,
            row.request.snapshot, self.sender, self.site_url,
        )  # fmt: skip
        try:
            return emails.render(context, row.mail)
        except (KeyError, ValueError) as exc:
            raise PermanentError(f"courriel impossible à composer : {exc!r}") from exc

    def _deliver(self, row: Row, report: Report) -> None:
        try:
            self.mailer.send(self.sender, row.recipient, self._message(row))
        except PermanentError as exc:
            report.failed += 1
            self.storage.mark_failed(row.id, self.owner, str(exc))
            log.error(
                "ÉCHEC DÉFINITIF courriel %s (%s, demande %s) à %s : %s",
                row.id, row.kind, row.request_id, row.recipient, exc,
            )  # fmt: skip
            return
        except TransientError as exc:
            if row.attempts >= self.max_attempts:
                report.failed += 1
                self.storage.mark_failed(row.id, self.owner, str(exc))
                log.error(
                    "ÉCHEC DÉFINITIF courriel %s (%s, demande %s) à %s après %d essais : %s",
                    row.id, row.kind, row.request_id, row.recipient, row.attempts, exc,
                )  # fmt: skip
                return
            report.retried += 1
            delay = retry_delay(row.attempts)
            self.storage.mark_retry(row.id, self.owner, self.clock() + delay, str(exc))
            log.warning(
                "courriel %s à %s : essai %d échoué (%s), nouvel essai dans %.0f s",
                row.id, row.recipient, row.attempts, exc, delay,
            )  # fmt: skip
            return
        report.sent += 1
        self.storage.mark_sent(row.id, self.owner, self.clock())
        log.info("courriel %s (%s) envoyé à %s", row.id, row.kind, row.recipient)


class Runner:
    """Runs a worker in the background of an event loop: on a timer, and when poked."""

    def __init__(self, worker: Worker, poll: float) -> None:
        self.worker, self.poll = worker, poll
        self._wake = asyncio.Event()

    def poke(self) -> None:
        """A request was queued: send now rather than at the next tick."""
        self._wake.set()

    async def run(self) -> None:
        while True:
            self._wake.clear()
            try:
                await anyio.to_thread.run_sync(self.worker.run_once)
            except DatabaseBusy:
                log.warning("base occupée : envoi des courriels reporté")
            except Exception:
                log.exception("erreur inattendue de l'envoi des courriels")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self.poll)
