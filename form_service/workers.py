"""`aidess service --workers N`: N processes serving one listening socket (pre-fork).

The parent binds the socket, then forks the workers; each builds its own app after the fork
(its own database pool, catalogue and event loop: no connection crosses a fork). The port
opens only once every worker has its app: until then a client is refused, not queued behind
a worker still loading the catalogue. Then all serve the shared socket with uvicorn, the
kernel handing each new connection to one of them. The parent only supervises: SIGTERM or
SIGINT is passed on to every worker as SIGTERM (uvicorn then finishes the requests in
flight); if a worker stops on its own, the others are stopped too and the exit code says so,
for the supervisor (systemd, the platform) to restart the service.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
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
# Run in each worker: builds the app, returns how to serve the sockets (or an exit code).
PR_SET_PDEATHSIG = 1  # linux/prctl.h
Prepare = Callable[[], Callable[[list[socket.socket]], None] | int]


class PortTaken(OSError):
    """The address is in use: another service (or a worker left behind) holds it."""


def bound_socket(host: str, port: int) -> socket.socket:
    """Bound, not yet listening: connections are refused until `listen`."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise PortTaken(
                exc.errno, f"l'adresse {host}:{port} est déjà utilisée par un autre processus"
            ) from None
        raise
    sock.set_inheritable(True)
    return sock


def run(prepare: Prepare, host: str, port: int, workers: int) -> int:
    """Fork `workers` processes, each running `prepare()` then serving the socket; return the
    service's exit code (0 when stopped by a signal, else the first worker's failure)."""
    sock = bound_socket(host, port)
    ready_r, ready_w = os.pipe()  # each worker writes one byte once its app is built
    go_r, go_w = os.pipe()  # closed by the parent when all are: the workers start serving
    supervisor = _Supervisor()  # before the first fork: no signal may orphan a worker
    for _ in range(workers):
        if supervisor.stopping:
            break
        parent = os.getpid()
        pid = os.fork()
        if pid == 0:
            _end_with_parent(parent)
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            signal.signal(signal.SIGINT, signal.default_int_handler)
            os.close(ready_r)
            os.close(go_w)
            os._exit(_child(prepare, sock, ready_w, go_r))
        supervisor.children.add(pid)
    os.close(ready_w)
    os.close(go_r)
    ready = 0
    while ready < workers and (byte := os.read(ready_r, 1)):
        ready += len(byte)
    os.close(ready_r)
    if supervisor.stopping:
        pass  # a signal came during start-up
    elif ready == workers:
        sock.listen(BACKLOG)
        pids = sorted(supervisor.children)
        log.info("%d workers sur %s:%d (processus %s)", workers, host, port, pids)
    else:  # a worker failed to start (it said why): the others must not serve alone
        supervisor.code = 1
        supervisor.stop()
    os.close(go_w)
    sock.close()
    return supervisor.wait()


def _end_with_parent(parent: int) -> None:
    """A worker gets SIGTERM when its parent dies, even by SIGKILL (Linux's
    PR_SET_PDEATHSIG): no worker keeps serving, and holding the port, without a supervisor."""
    if not sys.platform.startswith("linux"):
        return
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    if os.getppid() != parent:  # the parent died before the call: end now
        os._exit(0)


def _child(prepare: Prepare, sock: socket.socket, ready_w: int, go_r: int) -> int:
    code = 1
    try:
        serve = prepare()
        if isinstance(serve, int):
            return serve
        os.write(ready_w, b"1")
        os.close(ready_w)
        os.read(go_r, 1)  # end of file: every worker is ready
        serve([sock])
        code = 0
    except SystemExit as exc:  # uvicorn's start-up failure
        code = exc.code if isinstance(exc.code, int) else 1
    except KeyboardInterrupt:  # Ctrl-C reaches the whole group, before uvicorn's handlers
        code = 0
    except BaseException:
        traceback.print_exc()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
    return code


class _Supervisor:
    """Passes SIGTERM and SIGINT on to the workers; when one stops on its own, stops the rest."""

    def __init__(self) -> None:
        self.children: set[int] = set()
        self.stopping = False
        self.code = 0
        signal.signal(signal.SIGTERM, self.stop)
        signal.signal(signal.SIGINT, self.stop)

    def stop(self, signum: int = signal.SIGTERM, frame: FrameType | None = None) -> None:
        self.stopping = True
        for pid in self.children:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)

    def _failed(self, pid: int, status: int) -> None:
        self.children.discard(pid)
        exit_code = os.waitstatus_to_exitcode(status)
        log.error("le worker %d s'est arrêté (code %d) : arrêt du service", pid, exit_code)
        self.code = exit_code if exit_code > 0 else 1
        self.stop()

    def wait(self) -> int:
        while self.children:
            try:
                pid, status = os.wait()
            except ChildProcessError:
                break
            if pid not in self.children:
                continue
            if self.stopping:
                self.children.discard(pid)
            else:
                self._failed(pid, status)
        return self.code
