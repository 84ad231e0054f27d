"""A deadline on the database work of one HTTP request, so that a hung database (a server
stopped mid-statement, a network that drops packets silently) ends in a French 503 instead of
holding the visitor for as long as it hangs.

The database's own timeouts bound what it can see (SQLite's busy timeout, PostgreSQL's
`lock_timeout` and `statement_timeout`); a server that does not answer at all sees nothing, so
the handler also stops waiting. The promise « 503 means nothing was committed » holds because
the two sides agree under a lock: past the deadline the handler abandons the work unless its
COMMIT is already on its way (then it waits for the outcome, which decides the answer), and an
abandoned transaction rolls back when it reaches its COMMIT. The thread left behind ends when
the database answers again.
"""

from __future__ import annotations

import asyncio
import contextvars
import threading
from collections.abc import Callable
from typing import Any, TypeVar

import anyio.to_thread

from form_service.db.connection import DatabaseBusy

T = TypeVar("T")


class Abandoned(DatabaseBusy):
    """The visitor was answered 503 before this transaction committed: it rolls back."""


class Deadline:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._state = "running"  # → "committing" (the thread) or "abandoned" (the handler)

    def may_commit(self) -> bool:
        """Called by a transaction just before its COMMIT: False once abandoned."""
        with self._lock:
            if self._state == "abandoned":
                return False
            self._state = "committing"
            return True

    def committed(self) -> None:
        """The COMMIT came back: a later transaction of the same work may be abandoned."""
        with self._lock:
            self._state = "running"

    def abandon(self) -> bool:
        """Called by the handler past the deadline: False when the COMMIT is already sent."""
        with self._lock:
            if self._state == "committing":
                return False
            self._state = "abandoned"
            return True


_current: contextvars.ContextVar[Deadline | None] = contextvars.ContextVar(
    "aidess_deadline", default=None
)


def current() -> Deadline | None:
    """The deadline of the work running in this thread, if a handler set one."""
    return _current.get()


async def within(seconds: float, work: Callable[..., T], *args: object) -> T:
    """Run `work(*args)` in a thread; raise DatabaseBusy after `seconds` unless a COMMIT of it
    is already on its way."""
    deadline = Deadline()

    def run() -> T:
        _current.set(deadline)  # this thread's copy of the context only
        return work(*args)

    task = asyncio.ensure_future(anyio.to_thread.run_sync(run))
    try:
        return await asyncio.wait_for(asyncio.shield(task), seconds)
    except TimeoutError:
        if deadline.abandon():
            task.add_done_callback(_quiet)
            raise Abandoned(f"pas de réponse de la base en {seconds:.0f} s") from None
        return await task  # committing: its outcome is the answer


def _quiet(task: asyncio.Future[Any]) -> None:
    if not task.cancelled():
        task.exception()  # the abandoned work's error was answered already (a 503)
