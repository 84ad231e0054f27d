"""The scheduled and pull-request workflows run the commands editors rely on."""

from pathlib import Path
from typing import Any

import yaml

WORKFLOWS = Path(__file__).resolve().parent.parent / ".github" / "workflows"


def load(name: str) -> dict[Any, Any]:
    data: dict[Any, Any] = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    return data


def commands(workflow: dict[Any, Any]) -> str:
    return "\n".join(
        step.get("run", "") for job in workflow["jobs"].values() for step in job["steps"]
    )


def test_pull_requests_show_validate_messages_as_annotations() -> None:
    ci = load("ci.yml")
    assert "pull_request" in ci[True]  # YAML 1.1 reads the key `on` as True
    assert "aidess validate --format github" in commands(ci)


def test_daily_rebuild() -> None:
    daily = load("quotidien.yml")
    (cron,) = [s["cron"] for s in daily[True]["schedule"]]
    assert cron.split()[2:] == ["*", "*", "*"]  # every day
    assert "aidess build" in commands(daily)


def test_weekly_link_check() -> None:
    weekly = load("liens.yml")
    (cron,) = [s["cron"] for s in weekly[True]["schedule"]]
    assert cron.split()[2:4] == ["*", "*"] and cron.split()[4] not in ("*", "")
    assert "aidess liens" in commands(weekly)


def test_workflows_install_the_locked_versions() -> None:
    for path in sorted(WORKFLOWS.glob("*.yml")):
        for line in commands(load(path.name)).splitlines():
            if "pip install" in line:
                locked = "--require-hashes -r requirements-prod.lock" in line
                assert locked or "--no-deps" in line, f"{path.name}: {line.strip()}"
