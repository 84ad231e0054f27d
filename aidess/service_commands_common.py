"""What the `aidess` subcommands of the service share: how they fail and log."""

from __future__ import annotations

import logging
import sys


def fail(message: str) -> int:
    print(f"erreur : {message}", file=sys.stderr)
    return 1


def setup_logging() -> None:
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
