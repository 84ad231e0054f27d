"""The outbox worker: claim due emails with a lease, send them, record the outcome.

A mail queued without its message is rendered at send time by the renderer its owner (the
feature that queued it) registered; the worker imports no feature. Delivery is at least once: a
worker killed after the SMTP reply but before the database update sends the row again once its
lease expires, the same message (same Message-ID, fixed at queue time, same bytes). A worker
asked to stop (SIGTERM) finishes the mail it is sending, records it, and gives back the rows it
claimed but did not try: a stop never sends a mail twice. A worker
claims few rows and renews their lease while it sends them, so a slow SMTP server never lets a
second worker take a row that is still being sent. A renderer that cannot render a row (its
request was erased meanwhile, say) raises PermanentError: the row is marked failed, never sent
half empty. Any error on one row is that row's (retried, then failed): it never holds back the
others. A row failed for good may be handed on: its owner's renderer says to what (a network
mail to the fallback address).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Protocol

import anyio.to_thread

from form_service.db.database import Database, DatabaseBusy
from form_service.logs import redact
from form_service.outbox import queries
from form_service.outbox.mailer import Mailer, PermanentError, TransientError
from form_service.outbox.queries import Mail, Row

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


class Renderer(Protocol):
    """How a feature renders the mails it queued without their message."""

    def render(self, row: Row) -> bytes:
        """The message; PermanentError when it cannot be (what it tells was erased…)."""
        ...

    def hand_on(self, row: Row) -> Mail | None:
        """What to queue instead of a row failed for good, if anything."""
        ...


@dataclass
class Worker:
    db: Database
    mailer: Mailer
    sender: str
    renderers: Mapping[str, Renderer] = field(default_factory=dict)  # owner -> renderer
    clock: Callable[[], float] = time.time
    max_attempts: int = MAX_ATTEMPTS
    lease: float = LEASE
    owner: str = field(default_factory=lambda: uuid.uuid4().hex)
    # Set from another thread to stop after the mail being sent (see Runner.stop).
    stopping: threading.Event = field(default_factory=threading.Event)

    def run_once(self) -> Report:
        """One pass over the due rows (blocking: run it in a thread from async code)."""
        report = Report()
        while not self.stopping.is_set() and (
            rows := queries.claim(self.db, self.owner, self.clock(), self.lease)
        ):
            renewed = self.clock()
            for n, row in enumerate(rows):
                if self.stopping.is_set():
                    queries.release(self.db, self.owner, [r.id for r in rows[n:]])
                    return report
                if self.clock() - renewed > self.lease / 3:
                    renewed = self.clock()
                    held = queries.renew(
                        self.db, self.owner, [r.id for r in rows[n:]], renewed + self.lease
                    )
                    if row.id not in held:
                        continue  # the lease ran out and another worker took it
                self._deliver(row, report)
        return report

    def _message(self, row: Row) -> bytes:
        if row.message is not None:  # rendered when it was queued
            return row.message
        renderer = self.renderers.get(row.owner)
        if renderer is None:
            raise PermanentError(f"aucun rendu déclaré pour les courriels « {row.owner} »")
        try:
            return renderer.render(row)
        except PermanentError:
            raise
        except (KeyError, ValueError) as exc:
            raise PermanentError(f"courriel impossible à composer : {exc!r}") from exc

    def _hand_on(self, row: Row) -> Mail | None:
        renderer = self.renderers.get(row.owner)
        return renderer.hand_on(row) if renderer is not None else None

    def _failed(self, row: Row, report: Report, error: str) -> None:
        report.failed += 1
        hand_on = self._hand_on(row)
        queries.fail(self.db, row, self.owner, error, hand_on, self.clock())
        log.error(
            "ÉCHEC DÉFINITIF courriel %s (%s%s, %s %s) après %d essai(s) : %s%s",
            row.id, row.kind, f" {row.reseau}" if row.reseau else "", row.owner,
            row.owner_id, row.attempts, redact(error),
            f" ; remplacé par un courriel « {hand_on.kind} » à {hand_on.recipient}"
            if hand_on else "",
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
            queries.mark_retry(self.db, row.id, self.owner, self.clock() + delay, error)
            log.warning(
                "courriel %s (%s, %s %s) : essai %d échoué (%s), nouvel essai dans %.0f s",
                row.id, row.kind, row.owner, row.owner_id, row.attempts, redact(error), delay,
            )  # fmt: skip
            return
        report.sent += 1
        queries.mark_sent(self.db, row.id, self.owner, self.clock())
        log.info("courriel %s (%s, %s %s) envoyé", row.id, row.kind, row.owner, row.owner_id)


CHECKPOINT_EVERY = 60.0  # seconds between two WAL checkpoints run by the runner


class Runner:
    """Runs a worker in the background of an event loop: on a timer, and when poked. It also
    checkpoints the WAL now and then (a long stream of readers can keep SQLite's automatic
    checkpoints from ever completing, and the WAL growing)."""

    def __init__(self, worker: Worker, poll: float) -> None:
        self.worker, self.poll = worker, poll
        self._wake = asyncio.Event()
        self._checkpointed = time.monotonic()

    async def stop(self, task: asyncio.Task[None], grace: float) -> None:
        """End `task` (this runner's run()) after the mail being sent is sent and recorded.
        Cancelling it instead would leave the thread sending while the database closes: the
        mail would go out, unrecorded, and again after its lease. Past `grace` seconds (a
        hung SMTP server), cancel: the row then goes again after its lease, at least once."""
        self.worker.stopping.set()
        self._wake.set()
        try:
            await asyncio.wait_for(asyncio.shield(task), grace)
        except TimeoutError:
            log.warning("arrêt : l'envoi en cours n'a pas fini en %.0f s, abandonné", grace)
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    def poke(self) -> None:
        """A request was queued: send now rather than at the next tick."""
        self._wake.set()

    async def run(self) -> None:
        while not self.worker.stopping.is_set():
            self._wake.clear()
            try:
                await anyio.to_thread.run_sync(self.worker.run_once)
            except DatabaseBusy:
                log.warning("base occupée : envoi des courriels reporté")
            except Exception:
                log.exception("erreur inattendue de l'envoi des courriels")
            if self.worker.stopping.is_set():
                break
            if time.monotonic() - self._checkpointed > CHECKPOINT_EVERY:
                self._checkpointed = time.monotonic()
                await anyio.to_thread.run_sync(self.worker.db.checkpoint)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self.poll)
