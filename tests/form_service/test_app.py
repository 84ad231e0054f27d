from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from form_service.app import create_app
from form_service.settings import ConfigError, Settings
from tests.form_service.form_support import write_network


def test_content_errors_stop_start_up(settings: Settings, content: Path) -> None:
    write_network(content, "casse", territoires=["DEP-999"])
    with pytest.raises(ConfigError) as info:
        create_app(settings)
    assert "le contenu contient 1 erreur(s)" in str(info.value)
    assert "casse.md" in str(info.value) and "DEP-999" in str(info.value)


def test_missing_content_dir(settings: Settings, tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="AIDESS_CONTENT"):
        create_app(replace(settings, content=tmp_path / "absent"))


def test_unusable_database(settings: Settings, tmp_path: Path) -> None:
    (tmp_path / "fichier").write_text("x")
    with pytest.raises(ConfigError, match="AIDESS_DATABASE"):
        create_app(replace(settings, database=tmp_path / "fichier" / "db.sqlite3"))


def test_uvicorn_entry_point_reports_config_errors_in_french(tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "AIDESS_SITE_URL": "https://aides.example.org"}
    result = subprocess.run(
        [sys.executable, "-c", "import form_service.app as m; m.app"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "configuration invalide : AIDESS_MAIL_FROM manquant" in result.stderr
