"""`aidess build` shows its stages, with counts and times, on a terminal (a real pseudo-
terminal), and stays quiet in a CI log (a pipe): only its summary line."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import struct
import subprocess
import sys
import termios
from pathlib import Path

from generator.build import STAGES
from generator.progress import Done
from tests.form_service.form_support import write_content

STAGE_LINES = (  # every stage of build.STAGES, each said once done
    "Contenu validé et enrichi : ",
    "Textes des fiches : ",
    "Sources des pages : ",
    "Rendu des pages (MkDocs) : ",
    "Plan du site : ",
    "Données ouvertes : ",
    "Listes par territoire : ",
    "Agendas des échéances (",
    "Index de recherche (Pagefind) (",
)


def _command(content: Path, out: Path) -> list[str]:
    return [sys.executable, "-m", "aidess.cli", "build", "--content", str(content),
            "--out", str(out)]  # fmt: skip


def _on_a_terminal(command: list[str]) -> str:
    """Run with stderr (and stdout) on a pseudo-terminal; return all it wrote there."""
    main, side = pty.openpty()
    # a terminal of 30 rows × 100 columns (a bare pseudo-terminal has no width: no bar fits)
    fcntl.ioctl(side, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    process = subprocess.Popen(command, stdout=side, stderr=side, stdin=subprocess.DEVNULL)
    os.close(side)
    chunks = []
    while True:
        ready, _, _ = select.select([main], [], [], 120)
        if not ready:
            process.kill()
            break
        try:
            chunk = os.read(main, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    process.wait(timeout=120)
    os.close(main)
    return b"".join(chunks).decode("utf-8", "replace")


def test_build_shows_its_stages_on_a_terminal_only(tmp_path: Path) -> None:
    content = write_content(tmp_path / "content")

    shown = _on_a_terminal(_command(content, tmp_path / "site-a"))
    for line in STAGE_LINES:
        assert line in shown, shown
    assert len(STAGE_LINES) == STAGES
    assert "/9 étapes" in shown  # the bar, redrawn as stages pass
    assert " s)" in shown  # each stage's time

    logged = subprocess.run(
        _command(content, tmp_path / "site-b"), capture_output=True, text=True, timeout=300
    )
    assert logged.returncode == 0, logged.stderr
    assert not [line for line in STAGE_LINES if line in logged.stderr + logged.stdout]
    assert "étapes" not in logged.stderr
    assert "aides" in logged.stderr.splitlines()[-1]  # the summary stays


def test_counts_read_as_french_numbers() -> None:
    done = Done()
    done.say(10312, "pages")
    assert done.what == "10\u202f312 pages"
