"""The « Deploying » section of docs/operations.md: its install and its crontab run commands that
exist."""

from __future__ import annotations

import re
import shlex
from datetime import UTC, datetime
from pathlib import Path

import pytest

from aidess.cli import parser
from form_service.alerts.digest import PARIS
from form_service.alerts.schedule import END

ROOT = Path(__file__).resolve().parent.parent
OPERATIONS = ROOT / "docs" / "operations.md"


def deploying() -> str:
    text = OPERATIONS.read_text(encoding="utf-8")
    start = text.index("## Deploying\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end > 0 else len(text)]


def block(language: str) -> list[str]:
    match = re.search(rf"```{language}\n(.*?)```", deploying(), re.S)
    assert match, f"docs/operations.md « Deploying » : pas de bloc ```{language}"
    return [line.strip() for line in match.group(1).splitlines() if line.strip()]


def crontab() -> list[tuple[list[str], list[str]]]:
    """(the five schedule fields, the aidess arguments) of each line of the crontab."""
    entries = []
    for line in block("cron"):
        if line.startswith("#"):
            continue
        fields = line.split(None, 5)
        assert len(fields) == 6, line
        command = fields[5].split("&& .venv/bin/aidess ", 1)
        assert len(command) == 2, f"not an aidess command: {line}"
        entries.append((fields[:5], shlex.split(command[1])))
    return entries


def test_install_uses_the_production_lock() -> None:
    lines = block("sh")
    assert ".venv/bin/pip install --require-hashes -r requirements-prod.lock" in lines
    assert ".venv/bin/pip install --no-deps --no-build-isolation ." in lines
    assert (ROOT / "requirements-prod.lock").is_file()


def test_each_cron_line_is_a_command_of_aidess() -> None:
    jobs = set()
    for schedule, args in crontab():
        assert all(re.fullmatch(r"[0-9*/,-]+", field) for field in schedule), schedule
        parsed = parser().parse_args(args)  # exits (SystemExit) on a command that is not one
        jobs.add(" ".join(args[:2]) if parsed.command in ("dossiers", "alertes") else args[0])
    assert {"purge", "dossiers relancer", "alertes envoyer", "build"} <= jobs


@pytest.mark.parametrize("monday", ["2026-01-05", "2026-07-06"])  # winter and summer time
def test_the_digest_catch_up_runs_after_the_services_window(monday: str) -> None:
    (schedule,) = [s for s, args in crontab() if args[:2] == ["alertes", "envoyer"]]
    minute, hour, _, _, weekday = schedule
    assert weekday == "*"  # daily: the deadline reminders go out on their day, digests on Monday
    run = datetime.fromisoformat(f"{monday}T{int(hour):02d}:{int(minute):02d}").replace(tzinfo=UTC)
    assert run.astimezone(PARIS).weekday() == 0
    assert run.astimezone(PARIS).time() > END
