"""The outbox worker: claim due emails with a lease, send them, record the outcome.

Each email is rendered here, at send time, from the stored request (the request handler only
queues who gets what). Delivery is at least once: a worker stopped after the SMTP reply but
before the database update sends the row again once its lease expires, the same message (same
Message-ID, fixed at queue time, same bytes). A worker claims few rows and renews their lease
while it sends them, so a slow SMTP server never lets a second worker take a row that is
still being sent. A row whose request was erased meanwhile is not sent half empty: it is
marked failed. Any error on one row is that row's (retried, then failed): it never holds back
the others. A network mail that fails for good hands the request on to the fallback address.
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

from form_service.logs import redact
from form_service.outbox.mailer import Mailer, PermanentError, TransientError
from form_service.requests import emails, mail_plan
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
    fallback: str | None = None  # where a request goes when a network's mail fails for good

    def run_once(self) -> Report:
        """One pass over the due rows (blocking: run it in a thread from async code)."""
        report = Report()
        while rows := self.storage.claim(self.owner, self.clock(), self.lease):
            renewed = self.clock()
            for n, row in enumerate(rows):
                if self.clock() - renewed > self.lease / 3:
                    renewed = self.clock()
                    held = self.storage.renew(
                        self.owner, [r.id for r in rows[n:]], renewed + self.lease
                    )
                    if row.id not in held:
                        continue  # the lease ran out and another worker took it
                self._deliver(row, report)
        return report

    def _message(self, row: Row) -> bytes:
        if row.message is not None:  # queued, already rendered, by an earlier version
            return row.message
        if row.problem is not None:
            raise PermanentError(f"demande enregistrée illisible : {row.problem}")
        if row.request is None:
            raise PermanentError("demande effacée avant l'envoi : courriel non envoyé")
        delivery = self.storage.delivery(row.request_id) if row.kind == "accuse" else {}
        context = emails.Context(
            row.request_id, row.request.created, row.request.submission,
            row.request.snapshot, self.sender, self.site_url, row.reference, delivery,
            self.fallback or "",
        )  # fmt: skip
        try:
            return emails.render(context, row.mail)
        except (KeyError, ValueError) as exc:
            raise PermanentError(f"courriel impossible à composer : {exc!r}") from exc

    def _hand_on(self, row: Row) -> mail_plan.Queued | None:
        """The fallback mail that takes over a network mail failed for good."""
        if row.kind != "reseau" or not self.fallback or row.request is None:
            return None
        domain = self.sender.rpartition("@")[2]
        message_id = f"<{row.request_id}.secours-{row.id}@{domain}>"
        return mail_plan.Queued("secours", self.fallback, row.mail.reseau, message_id)

    def _failed(self, row: Row, report: Report, error: str) -> None:
        report.failed += 1
        hand_on = self._hand_on(row)
        self.storage.fail(row, self.owner, error, hand_on, self.clock())
        log.error(
            "ÉCHEC DÉFINITIF courriel %s (%s%s, demande %s) après %d essai(s) : %s%s",
            row.id, row.kind, f" {row.mail.reseau}" if row.mail.reseau else "",
            row.request_id, row.attempts, redact(error),
            " ; demande transmise à l'adresse de secours" if hand_on else "",
        )  # fmt: skip

    def _deliver(self, row: Row, report: Report) -> None:
        try:
            self.mailer.send(self.sender, row.recipient, self._message(row))
        except PermanentError as exc:
            self._failed(row, report, str(exc))
            return
        except Exception as exc:  # TransientError, or anything unforeseen: this row's only
            error = str(exc) if isinstance(exc, TransientError) else f"{type(exc).__name__}: {exc}"
            if row.attempts >= self.max_attempts:
                self._failed(row, report, error)
                return
            report.retried += 1
            delay = retry_delay(row.attempts)
            self.storage.mark_retry(row.id, self.owner, self.clock() + delay, error)
            log.warning(
                "courriel %s (%s, demande %s) : essai %d échoué (%s), nouvel essai dans %.0f s",
                row.id, row.kind, row.request_id, row.attempts, redact(error), delay,
            )  # fmt: skip
            return
        report.sent += 1
        self.storage.mark_sent(row.id, self.owner, self.clock())
        log.info("courriel %s (%s, demande %s) envoyé", row.id, row.kind, row.request_id)


CHECKPOINT_EVERY = 60.0  # seconds between two WAL checkpoints run by the runner


class Runner:
    """Runs a worker in the background of an event loop: on a timer, and when poked. It also
    checkpoints the WAL now and then (a long stream of readers can keep SQLite's automatic
    checkpoints from ever completing, and the WAL growing)."""

    def __init__(self, worker: Worker, poll: float) -> None:
        self.worker, self.poll = worker, poll
        self._wake = asyncio.Event()
        self._checkpointed = time.monotonic()

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
            if time.monotonic() - self._checkpointed > CHECKPOINT_EVERY:
                self._checkpointed = time.monotonic()
                await anyio.to_thread.run_sync(self.worker.storage.checkpoint)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self.poll)
