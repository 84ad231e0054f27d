"""Third-party checkers run on the built site: the Nu Html Checker (the `vnu-jar` npm package,
installed by `make` into tests/tools/node_modules, run with Debian's Java).

Missing locally: the tests skip with one loud line. In CI (`CI` set) they fail instead, since
.ci/run installs Java and npm: a check that silently stops running would hide regressions."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

TOOLS = Path(__file__).resolve().parent / "tools"
VNU_JAR = TOOLS / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def vnu_missing() -> str | None:
    """Why the Nu Html Checker cannot run here, or None when it can."""
    if shutil.which("java") is None:
        return "Java est absent (sudo apt-get install default-jre-headless)"
    if not VNU_JAR.exists():
        return f"vnu.jar est absent ({VNU_JAR}) : lancez `make test` avec npm installé"
    return None


def vnu_banner(reason: str) -> str:
    return (
        f"!!! Validation HTML (Nu Html Checker) IGNORÉE : {reason}. CI l'installe via .ci/run !!!"
    )


def require_vnu() -> None:
    """Skip (locally) or fail (in CI) when the checker is missing."""
    reason = vnu_missing()
    if reason is None:
        return
    if os.environ.get("CI"):
        pytest.fail(f"Nu Html Checker indispensable en CI : {reason}")
    pytest.skip(vnu_banner(reason))


@dataclass(frozen=True)
class Message:
    page: str  # path of the page inside the checked folder
    line: int
    text: str
    extract: str

    def format(self) -> str:
        return f"{self.page}:{self.line}: {self.text}\n    {self.extract.strip()}"


def vnu_errors(folder: Path) -> list[Message]:
    """Every error the Nu Html Checker reports on the HTML files under `folder`."""
    options = ["--errors-only", "--format", "json", "--skip-non-html"]
    result = subprocess.run(
        ["java", "-jar", str(VNU_JAR), *options, str(folder)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if result.returncode not in (0, 1) or not result.stderr.strip():
        raise RuntimeError(f"vnu a échoué ({result.returncode}) : {result.stderr[-2000:]}")
    messages = json.loads(result.stderr)["messages"]
    root = folder.resolve()
    return [
        Message(
            page=str(Path(unquote(urlsplit(m.get("url", "")).path)).relative_to(root)),
            line=int(m.get("lastLine", 0)),
            text=m["message"],
            extract=m.get("extract", ""),
        )
        for m in messages
        if m["type"] != "info"
    ]
