"""Run one command and measure it: wall time, CPU time of the whole process tree (from
wait4), and the peak memory of every process of the tree, read from /proc while it runs so
Pagefind's binary is reported apart from our Python processes."""

from __future__ import annotations

import os
import subprocess
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

MB = 1024 * 1024


@dataclass
class Measure:
    command: list[str]
    returncode: int
    wall: float  # seconds
    cpu: float  # user + system seconds of the process and every descendant it waited for
    peaks: dict[int, tuple[str, int]] = field(default_factory=dict)  # pid → (name, peak bytes)
    output: str = ""

    def peak(self, pagefind: bool) -> int:
        """Highest peak RSS among Pagefind's processes (True) or among the others (False)."""
        return max(
            (rss for name, rss in self.peaks.values() if name.startswith("pagefind") == pagefind),
            default=0,
        )

    @property
    def ok(self) -> bool:
        return self.returncode == 0


def _children(pid: int) -> list[int]:
    """Direct children, from /proc/<pid>/task/*/children (no psutil)."""
    found: list[int] = []
    try:
        for task in os.scandir(f"/proc/{pid}/task"):
            with open(f"{task.path}/children") as handle:
                found += [int(c) for c in handle.read().split()]
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        pass
    return found


def _status(pid: int) -> tuple[str, int] | None:
    """(name, VmHWM in bytes) of a live process."""
    name, peak = "", 0
    try:
        with open(f"/proc/{pid}/status") as handle:
            for line in handle:
                if line.startswith("Name:"):
                    name = line.split(None, 1)[1].strip()
                elif line.startswith("VmHWM:"):
                    peak = int(line.split()[1]) * 1024
    except (FileNotFoundError, ProcessLookupError):
        return None
    return name, peak


class TreeWatcher(threading.Thread):
    """Polls the peak RSS (VmHWM, so a peak between two polls is not missed) of a process and
    all its descendants until stopped."""

    def __init__(self, root: int, interval: float = 0.05) -> None:
        super().__init__(daemon=True)
        self.root = root
        self.interval = interval
        self.peaks: dict[int, tuple[str, int]] = {}
        self._stop_event = threading.Event()

    def poll(self) -> None:
        pending = [self.root]
        while pending:
            pid = pending.pop()
            status = _status(pid)
            if status is not None:
                name, peak = status
                old = self.peaks.get(pid, ("", 0))[1]
                self.peaks[pid] = (name, max(peak, old))
            pending += _children(pid)

    def run(self) -> None:
        while not self._stop_event.is_set():
            self.poll()
            self._stop_event.wait(self.interval)

    def stop(self) -> None:
        self._stop_event.set()
        self.join()


def run(
    command: Sequence[str | Path],
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
    timeout: float | None = None,
) -> Measure:
    """Run `command` to completion and measure it; its output is kept (merged) for reports."""
    argv = [str(part) for part in command]
    started = time.perf_counter()
    proc = subprocess.Popen(
        argv,
        env=dict(env) if env is not None else None,
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    watcher = TreeWatcher(proc.pid)
    watcher.start()
    chunks: list[str] = []
    reader = threading.Thread(
        target=lambda: chunks.append(proc.stdout.read() if proc.stdout else "")
    )
    reader.start()
    deadline = None if timeout is None else started + timeout
    while True:
        # wait4 gives the CPU time of the child and of the descendants it reaped.
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if deadline is not None and time.perf_counter() > deadline:
            proc.kill()
        time.sleep(0.02)
    wall = time.perf_counter() - started
    watcher.stop()
    reader.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    # VmHWM of the root is lost once it is reaped; wait4's ru_maxrss covers it (max of the
    # tree, so only used when the poller never saw the root).
    peaks = watcher.peaks
    if proc.pid not in peaks:
        peaks[proc.pid] = (Path(argv[0]).name, usage.ru_maxrss * 1024)
    return Measure(
        command=argv,
        returncode=proc.returncode,
        wall=wall,
        cpu=usage.ru_utime + usage.ru_stime,
        peaks=peaks,
        output="".join(chunks),
    )


def tree_size(root: Path) -> tuple[int, int, int]:
    """(bytes, files, HTML pages) under a directory."""
    size = files = pages = 0
    for path in root.rglob("*"):
        if path.is_file():
            size += path.stat().st_size
            files += 1
            pages += path.suffix == ".html"
    return size, files, pages
