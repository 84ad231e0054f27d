"""`aidess service --workers N`: N processes serving one listening socket (pre-fork).

The parent binds the socket, then forks the workers; each builds its own app after the fork
(its own database pool, catalogue and event loop: no connection crosses a fork) and serves the
shared socket with uvicorn, the kernel handing each new connection to one of them. The parent
only supervises: SIGTERM or SIGINT is passed on to every worker as SIGTERM (uvicorn then
finishes the requests in flight); if a worker stops on its own, the others are stopped too and
the exit code says so, for the supervisor (systemd, the platform) to restart the service.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import socket
import sys
import traceback
from collections.abc import Callable
from types import FrameType

log = logging.getLogger("aidess.workers")
BACKLOG = 2048  # uvicorn's default


def listening_socket(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(BACKLOG)
    sock.set_inheritable(True)
    return sock


def run(serve: Callable[[list[socket.socket]], int], host: str, port: int, workers: int) -> int:
    """Fork `workers` processes, each running `serve([socket])`; return the service's exit
    code (0 when stopped by a signal, else the first worker's failure)."""
    sock = listening_socket(host, port)
    children: set[int] = set()
    for _ in range(workers):
        pid = os.fork()
        if pid == 0:
            os._exit(_child(serve, sock))
        children.add(pid)
    sock.close()
    log.info("%d workers sur %s:%d (processus %s)", workers, host, port, sorted(children))
    return _supervise(children)


def _child(serve: Callable[[list[socket.socket]], int], sock: socket.socket) -> int:
    code = 1
    try:
        code = serve([sock])
    except SystemExit as exc:  # uvicorn's start-up failure
        code = exc.code if isinstance(exc.code, int) else 1
    except BaseException:
        traceback.print_exc()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
    return code


def _supervise(children: set[int]) -> int:
    stopping = False

    def stop(signum: int = signal.SIGTERM, frame: FrameType | None = None) -> None:
        nonlocal stopping
        stopping = True
        for pid in children:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    code = 0
    while children:
        try:
            pid, status = os.wait()
        except ChildProcessError:
            break
        children.discard(pid)
        if not stopping:
            exit_code = os.waitstatus_to_exitcode(status)
            log.error("le worker %d s'est arrêté (code %d) : arrêt du service", pid, exit_code)
            code = exit_code if exit_code > 0 else 1
            stop()
    return code
