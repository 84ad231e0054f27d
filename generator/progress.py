"""Progress of the long commands (`aidess build`, `aidess liens`) on a terminal, with tqdm.

On a terminal an editor sees which stage runs, and each stage's count and time once done;
in a pipe or a CI log (not a terminal) nothing is drawn, so logs keep only the commands' own
lines (tqdm's `disable=None`)."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Never, TextIO

from tqdm import tqdm


def _seconds(elapsed: float) -> str:
    return f"{elapsed:.1f} s".replace(".", ",")


class Stages:
    """A bar over a command's stages; `stage()` times one and says what it made."""

    def __init__(self, total: int, what: str, stream: TextIO | None = None) -> None:
        self.bar = tqdm(
            total=total,
            desc=what,
            unit="étape",
            file=stream or sys.stderr,
            disable=None,  # drawn on a terminal only
            leave=False,
            bar_format="{desc} {bar:20} {n_fmt}/{total_fmt} étapes ({elapsed})",
        )

    @contextmanager
    def stage(self, label: str) -> Iterator[Done]:
        self.bar.set_description_str(f"{label}…")
        done = Done()
        started = time.perf_counter()
        yield done
        if not self.bar.disable:
            what = f" : {done.what}" if done.what else ""
            self.bar.write(
                f"  {label}{what} ({_seconds(time.perf_counter() - started)})", file=self.bar.fp
            )
        self.bar.update(1)

    def close(self) -> None:
        self.bar.close()


class Done:
    """What a stage made (« 10 312 pages »), said after it."""

    what = ""

    def say(self, count: int, unit: str) -> None:
        self.what = f"{count:,} {unit}".replace(",", "\u202f")


def counter(total: int, what: str, unit: str, stream: TextIO | None = None) -> tqdm[Never]:
    """A bar counting `total` items (links checked n/N); `update(1)` as each is done."""
    return tqdm(
        total=total, desc=what, unit=unit, file=stream or sys.stderr, disable=None, leave=False
    )
