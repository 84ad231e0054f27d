"""`aidess serve --content DIR` as an editor runs it: saving a content file rebuilds the site
and the page open in the browser shows the change by itself."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from form_service.devmail import free_port
from tests.conftest import WriteFile

pytestmark = pytest.mark.e2e


@pytest.fixture
def served(content: Path, write: WriteFile, tmp_path: Path) -> Iterator[tuple[str, Path]]:
    aide = write("aide", "aide-de-test", titre="Aide avant correction")
    port = free_port("127.0.0.1")
    aidess = Path(sys.executable).parent / "aidess"
    command = [str(aidess), "serve", "--content", str(content), "--port", str(port),
               "--out", str(tmp_path / "site")]  # fmt: skip
    env = {**os.environ, "AIDESS_VAR_DIR": str(tmp_path / "var")}
    log = (tmp_path / "serve.log").open("w")
    process = subprocess.Popen(command, cwd=tmp_path, env=env, stdout=log, stderr=log)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180
        while True:
            try:
                urllib.request.urlopen(f"{url}/sante", timeout=2).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError((tmp_path / "serve.log").read_text()) from None
                time.sleep(0.5)
        yield url, aide
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


def test_saved_change_shows_in_the_open_page(
    served: tuple[str, Path], page: Page, screenshots: Path
) -> None:
    url, aide = served
    page.goto(f"{url}/aides/aide-de-test/")
    expect(page.locator("h1")).to_have_text("Aide avant correction")
    aide.write_text(aide.read_text().replace("Aide avant correction", "Aide corrigée"))
    # No reload from the test: the page reloads itself once the site is rebuilt.
    expect(page.locator("h1")).to_have_text("Aide corrigée", timeout=120_000)
    page.screenshot(path=str(screenshots / "serve-rechargement.png"))
