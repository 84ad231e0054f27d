"""The content watcher of `aidess serve`: a change, an addition or a removal triggers one
rebuild, once the editor has finished writing."""

import threading
import time
from pathlib import Path

from generator.watch import Watcher, changes, snapshot


def test_changes_between_snapshots(tmp_path: Path) -> None:
    a, b = tmp_path / "a.md", tmp_path / "b.md"
    a.write_text("un")
    b.write_text("deux")
    (tmp_path / ".a.md.swp").write_text("éditeur")
    before = snapshot(tmp_path)
    assert sorted(before) == [a, b]
    a.write_text("un, modifié")
    b.unlink()
    c = tmp_path / "c.md"
    c.write_text("trois")
    assert changes(before, snapshot(tmp_path)) == [a, b, c]
    assert changes(snapshot(tmp_path), snapshot(tmp_path)) == []


def test_watcher_rebuilds_once_per_save(tmp_path: Path) -> None:
    page = tmp_path / "aides" / "x.md"
    page.parent.mkdir()
    page.write_text("avant")
    calls: list[list[Path]] = []
    done = threading.Event()

    def rebuild(changed: list[Path]) -> None:
        calls.append(changed)
        done.set()

    watcher = Watcher(tmp_path, rebuild, poll=0.05).start()
    try:
        time.sleep(0.2)
        assert calls == []  # nothing changed: no rebuild
        page.write_text("après, plus long")
        assert done.wait(5)
        time.sleep(0.3)
        assert calls == [[page]]
    finally:
        watcher.stop()
