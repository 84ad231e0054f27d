"""Group commit: one thread gathers the requests of all handlers and has them stored many
per transaction, by a process of its own (form_service/store_process.py).

With synchronous=FULL each commit waits for the disk; committing the requests that arrived
meanwhile together shares that wait. Each handler still gets its own answer only once its
request (and its outbox rows) is committed, so a 303 still means "stored".
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import queue
import threading
from dataclasses import dataclass

from form_service.database import Database, DatabaseBusy
from form_service.request_queries import Pending, Saved
from form_service.store_process import StoreLost, StoreProcess

log = logging.getLogger("aidess.demandes")
MAX_BATCH = 256


@dataclass
class _Job:
    pending: Pending
    loop: asyncio.AbstractEventLoop
    future: asyncio.Future[Saved]


_Answer = tuple[asyncio.Future[Saved], Saved | BaseException]


def _settle(answers: list[_Answer]) -> None:
    for future, outcome in answers:
        if future.done():  # the handler went away (client disconnected)
            continue
        if isinstance(outcome, BaseException):
            future.set_exception(outcome)
        else:
            future.set_result(outcome)


class Writer:
    """Started on first use; `close()` stops the thread (and its storage process) once the
    queue is empty."""

    def __init__(self, storage: Database, max_batch: int = MAX_BATCH) -> None:
        self.storage, self.max_batch = storage, max_batch
        self._queue: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._start_lock = threading.Lock()
        self.batches = 0  # commits, for tests and logs
        self.largest = 0
        self.store: StoreProcess | None = None

    async def save(self, pending: Pending) -> Saved:
        """Store `pending` with the others waiting; raises what storing it raised
        (DatabaseBusy: not stored; in the rare case of a storage process lost after its
        commit and its replacement failing too, stored without the visitor knowing)."""
        self._ensure_started()
        loop = asyncio.get_running_loop()
        future: asyncio.Future[Saved] = loop.create_future()
        self._queue.put(_Job(pending, loop, future))
        return await future

    def start(self) -> None:
        """Start the thread and the storage process now, so that a process that cannot start
        stops the service's start-up instead of answering 503 to every visitor."""
        with self._start_lock:
            if self.store is None:
                self.store = self._new_store()
        self._ensure_started()

    def _ensure_started(self) -> None:
        with self._start_lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="aidess-writer", daemon=True)
                self._thread.start()

    def close(self) -> None:
        with self._start_lock:
            thread, self._thread = self._thread, None
        if thread is not None:
            self._queue.put(None)
            thread.join()

    def _run(self) -> None:
        try:
            while True:
                first = self._queue.get()
                if first is None:
                    return
                jobs = [first]
                stop = False
                while len(jobs) < self.max_batch:
                    try:
                        job = self._queue.get_nowait()
                    except queue.Empty:
                        break
                    if job is None:
                        stop = True
                        break
                    jobs.append(job)
                self._commit(jobs)
                if stop:
                    return
        finally:
            if self.store is not None:
                self.store.close()
                self.store = None

    def _stored(self, batch: list[Pending]) -> list[Saved | BaseException]:
        """The batch's outcomes from the storage process. A child that dies is replaced and
        the batch sent again, once: had it committed before dying, the dedupe answers its
        requests as the same ones (same id and reference), so nothing is stored twice."""
        for attempt in (1, 2):
            if self.store is None or not self.store.alive():
                self._drop_store()
                self.store = self._new_store()
            try:
                outcomes = self.store.save(batch)
            except StoreLost as exc:
                log.error("processus d'enregistrement perdu (essai %d) : %s", attempt, exc)
                self._drop_store()
                continue
            if len(outcomes) != len(batch):
                raise StoreLost(f"{len(outcomes)} réponses pour {len(batch)} demandes")
            return list(outcomes)
        raise StoreLost("processus d'enregistrement perdu deux fois")

    def _new_store(self) -> StoreProcess:
        return StoreProcess(self.storage.target, self.storage.busy_timeout)

    def _drop_store(self) -> None:
        """Close a dead or lost child (its pipe and process handles)."""
        if self.store is not None:
            self.store.close(timeout=1.0)
            self.store = None

    def _commit(self, jobs: list[_Job]) -> None:
        """Have the jobs stored and answer each."""
        outcomes: list[Saved | BaseException]
        try:
            outcomes = self._stored([j.pending for j in jobs])
        except Exception as exc:  # the child could not be started, or its answer read
            log.error("échec de l'enregistrement de %d demande(s) : %s", len(jobs), exc)
            outcomes = [DatabaseBusy(str(exc)) for _ in jobs]
        self.batches += 1
        self.largest = max(self.largest, len(jobs))
        # One callback per event loop, not one per request: each wakes the loop's thread
        # and hands it the GIL.
        answers: dict[asyncio.AbstractEventLoop, list[_Answer]] = {}
        for job, outcome in zip(jobs, outcomes, strict=True):
            answers.setdefault(job.loop, []).append((job.future, outcome))
        for loop, pairs in answers.items():
            with contextlib.suppress(RuntimeError):  # that event loop is closed
                loop.call_soon_threadsafe(_settle, pairs)
