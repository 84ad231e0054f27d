"""The group-commit writer's storage, in a process of its own.

Why: Python runs one thread at a time. When the writer was a thread of the service, the
event loop (HTTP, validation, routing) and the storing of batches (the rows, the batch's
rules, a dozen SQLite calls) took turns on the same lock, and every SQLite call handed it
over twice. In a child process, storing a batch costs the event loop one pickled list and
one answer; the child runs `batch_store.save_batch` with the same rules, on its own connection.

The child is forked from multiprocessing's fork server, which starts once with this module
loaded: a fork of the service itself would copy its threads' locks, and a fresh interpreter
per child would import everything again. A 303 still means "committed": the child answers
only after the commit. If the child dies, the writer starts a new one and sends it the
batch again (form_service/writer.py).
"""

from __future__ import annotations

import logging
import multiprocessing
import pickle
import signal
from collections.abc import Sequence
from multiprocessing import util
from multiprocessing.connection import Connection as Pipe

from form_service.batch_store import save_batch
from form_service.database import Connection, Database, DatabaseBusy, DatabaseError, Target
from form_service.request_queries import Pending, Saved

log = logging.getLogger("aidess.demandes")
_CONTEXT = multiprocessing.get_context("forkserver")
_CONTEXT.set_forkserver_preload(["form_service.store_process"])


class StoreLost(Exception):
    """The storage process ended; what it held was not answered."""


def _logging(level: int, fmt: str | None) -> None:
    """The parent's level and format, so the child's lines read like the service's."""
    if fmt is not None:
        logging.basicConfig(level=level, format=fmt)
    logging.getLogger().setLevel(level)


def _serve(pipe: Pipe, target: Target, busy_timeout: float, level: int, fmt: str | None) -> None:
    # Ctrl-C, and a supervisor's SIGTERM, reach the whole process group: the service shuts
    # down, storing its last requests here, then closes the pipe, which ends this process.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    _logging(level, fmt)
    db = Database(target, busy_timeout)
    conn: Connection | None = None
    try:
        while True:
            try:
                batch: list[Pending] = pickle.loads(pipe.recv_bytes())
            except EOFError:
                return
            outcomes: list[Saved | Exception]
            try:
                if conn is None:
                    conn = db.open()
                outcomes = save_batch(db, batch, conn)
            except Exception as exc:  # locked, disk full…: none of the batch was stored
                log.error("échec de l'enregistrement de %d demande(s) : %s", len(batch), exc)
                outcomes = [DatabaseBusy(str(exc)) for _ in batch]
                if conn is not None:
                    conn.close()  # start afresh after a failed batch
                    conn = None
            pipe.send_bytes(_pickled(outcomes))
    finally:
        if conn is not None:
            conn.close()
        db.close()


def _pickled(outcomes: list[Saved | Exception]) -> bytes:
    """The outcomes for the pipe. A refusal that would not come back as itself (an exception
    whose __init__ does not take its args) goes as a DatabaseError with its text; only the
    exceptions are tried, the Saved answers are plain data."""
    return pickle.dumps([_travelling(o) for o in outcomes])


def _travelling(outcome: Saved | Exception) -> Saved | Exception:
    if isinstance(outcome, Saved):
        return outcome
    try:
        pickle.loads(pickle.dumps(outcome))
        return outcome
    except Exception:
        return DatabaseError(f"{type(outcome).__name__}: {outcome}")


def _root_format() -> str | None:
    for handler in logging.getLogger().handlers:
        if handler.formatter is not None and handler.formatter._fmt:
            return handler.formatter._fmt
    return None


class StoreProcess:
    """One child process storing the batches it is sent, one at a time."""

    def __init__(self, target: Target, busy_timeout: float) -> None:
        self._pipe, child = _CONTEXT.Pipe()
        level, fmt = logging.getLogger().getEffectiveLevel(), _root_format()
        self._process = _CONTEXT.Process(
            target=_serve,
            args=(child, target, busy_timeout, level, fmt),
            name="aidess-stockage",
            daemon=True,
        )
        self._process.start()
        child.close()
        # At exit multiprocessing joins its children after the finalizers of priority >= 0:
        # closing the pipe first lets this child (which ignores SIGTERM) end.
        util.Finalize(self, self._pipe.close, exitpriority=10)

    @property
    def pid(self) -> int | None:
        return self._process.pid

    def alive(self) -> bool:
        return self._process.is_alive()

    def save(self, batch: Sequence[Pending]) -> list[Saved | Exception]:
        """Each request's outcome, in order; StoreLost if the child ended meanwhile."""
        try:
            self._pipe.send_bytes(pickle.dumps(list(batch)))
            outcomes: list[Saved | Exception] = pickle.loads(self._pipe.recv_bytes())
        except (EOFError, OSError) as exc:
            raise StoreLost(str(exc) or "processus d'enregistrement arrêté") from exc
        return outcomes

    def close(self, timeout: float = 10.0) -> None:
        """Let the child finish its batch and exit (it stops at the end of the pipe)."""
        self._pipe.close()
        self._process.join(timeout)
        if self._process.is_alive():
            self._process.kill()
            self._process.join()
