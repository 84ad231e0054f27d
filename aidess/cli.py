"""The `aidess` command: each package contributes its subcommands through `register`.

To add a subcommand, write in its package a function that adds its parser (and sets `func`,
which takes the parsed arguments and returns the exit code), and list it in that package's
COMMANDS; a new package adds its `register` to PACKAGES.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from aidess.alert_commands import register as alert_commands
from aidess.proposal_commands import register as proposal_commands
from aidess.service_commands import register as form_service_commands
from generator.cli import Subparsers
from generator.cli import register as generator_commands

PACKAGES: tuple[Callable[[Subparsers], None], ...] = (
    generator_commands,
    form_service_commands,
    alert_commands,
    proposal_commands,
)


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(
        prog="aidess",
        description="AidESS : annuaire des aides de l'ESS et service de mise en relation.",
    )
    sub = root.add_subparsers(dest="command", required=True)
    for register in PACKAGES:
        register(sub)
    return root


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    code: int = args.func(args)
    return code


if __name__ == "__main__":
    sys.exit(main())
