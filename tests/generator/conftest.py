"""The real directory, built once for every test module that looks at the built site."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from generator.build import build
from tests.conftest import REAL_CONTENT


@pytest.fixture(scope="session")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("real") / "site"
    assert build(REAL_CONTENT, out, date.today()) == 0
    return out
