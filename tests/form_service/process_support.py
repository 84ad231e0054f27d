"""Waiting for a service started in a child process (`aidess service`, uvicorn)."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import httpx


def wait_ready(
    base: str,
    process: subprocess.Popen[bytes],
    log: Path,
    ready: Callable[[], bool] = lambda: True,
    timeout: float = 90,
) -> None:
    """Until `base`/sante answers 200 and `ready()` holds; fails with the service's log if it
    stops or does not start within `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"le service s'est arrêté :\n{log.read_text()}")
        try:
            if httpx.get(f"{base}/sante", timeout=2).status_code == 200 and ready():
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"le service n'a pas démarré :\n{log.read_text()}")
