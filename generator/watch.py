"""Rebuild the site when a content file changes (`aidess serve`): poll the files' mtimes and
sizes, simple and robust on every filesystem and editor (no inotify, no extra dependency)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

Snapshot = dict[Path, tuple[int, int]]
POLL = 0.5  # seconds between two looks at the content


def snapshot(content: Path) -> Snapshot:
    """mtime and size of every visible file under `content` (editors' swap files excluded)."""
    files: Snapshot = {}
    for path in content.rglob("*"):
        name = path.name
        if name.startswith(".") or name.endswith(("~", ".swp", ".tmp")):
            continue
        try:
            stat = path.stat()
        except FileNotFoundError:  # removed while we looked
            continue
        if path.is_file():
            files[path] = (stat.st_mtime_ns, stat.st_size)
    return files


def changes(before: Snapshot, after: Snapshot) -> list[Path]:
    """Files added, removed or modified between two snapshots, sorted."""
    return sorted(p for p in before.keys() | after.keys() if before.get(p) != after.get(p))


class Watcher:
    """Calls `rebuild(changed files)` in a background thread after each change; a change
    made during a rebuild triggers the next one. Stop it with `stop()`."""

    def __init__(
        self, content: Path, rebuild: Callable[[list[Path]], object], poll: float = POLL
    ) -> None:
        self.content, self.rebuild, self.poll = content, rebuild, poll
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="aidess-watch", daemon=True)
        self._seen = snapshot(content)

    def start(self) -> Watcher:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=60)

    def _run(self) -> None:
        while not self._stop.wait(self.poll):
            if not changes(self._seen, snapshot(self.content)):
                continue
            # Let the editor finish writing (several files, or one in several writes).
            self._stop.wait(self.poll)
            current = snapshot(self.content)
            changed, self._seen = changes(self._seen, current), current
            if changed:
                self.rebuild(changed)
