"""The `aidess` command as an editor runs it."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from aidess.cli import main
from tests.conftest import WriteFile


def test_validate_reports_each_error_with_file_line_field(
    content: Path, write: WriteFile, capsys: pytest.CaptureFixture[str]
) -> None:
    write("aide", "bonne")
    bad = write("aide", "mauvaise", besoins=["tresorie"])
    assert main(["validate", "--content", str(content)]) == 1
    out = capsys.readouterr().out.splitlines()
    line = bad.read_text().splitlines().index("- tresorie") + 1
    assert f"{bad}:{line}: besoins[0]: valeur inconnue « tresorie »" in out[0]
    assert out[-1] == "1 erreur(s), 0 avertissement(s)"


def test_validate_exits_0_with_warnings_only(
    content: Path, write: WriteFile, capsys: pytest.CaptureFixture[str]
) -> None:
    write("reseau", "provisoire")
    assert main(["validate", "--content", str(content)]) == 0
    out = capsys.readouterr().out
    assert "avertissement : adresse provisoire" in out
    assert out.splitlines()[-1] == "0 erreur(s), 1 avertissement(s)"


def test_new_prints_the_path_and_refuses_overwrite(
    content: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["new", "reseau", "DLA de la Somme", "--content", str(content)]) == 0
    assert capsys.readouterr().out.strip() == str(content / "reseaux" / "dla-de-la-somme.md")
    assert main(["new", "reseau", "DLA de la Somme", "--content", str(content)]) == 1
    assert "existe déjà" in capsys.readouterr().err


def test_schema_is_json_with_vocabularies(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema", "aide"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert "titre" in schema["required"]
    assert schema["additionalProperties"] is False
    natures = schema["properties"]["natures"]["items"]["enum"]
    assert "avance-remboursable" in natures


def test_installed_command_runs() -> None:
    bin_dir = Path(sys.executable).parent
    result = subprocess.run(
        [str(bin_dir / "aidess"), "--help"], capture_output=True, text=True, check=True
    )
    assert "validate" in result.stdout


def test_generator_commands_do_not_import_form_service() -> None:
    # Each package adds its own subcommands (aidess/cli.py assembles them): the site's
    # command module knows nothing of the form service.
    import ast

    path = Path(__file__).parents[2] / "generator" / "cli.py"
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = [node.module or ""]
        else:
            continue
        assert not any(n.split(".")[0] == "form_service" for n in names)


def test_validate_as_github_annotations(
    content: Path, write: WriteFile, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = write("aide", "mauvaise", besoins=["tresorie"])
    write("reseau", "provisoire")
    assert main(["validate", "--content", str(content), "--format", "github"]) == 1
    out = capsys.readouterr().out.splitlines()
    line = bad.read_text().splitlines().index("- tresorie") + 1
    error = next(o for o in out if o.startswith("::error "))
    assert error.startswith(f"::error file={bad},line={line},title=besoins[0] (erreur)::")
    assert "valeur inconnue « tresorie »" in error
    warning = next(o for o in out if o.startswith("::warning "))
    assert "provisoire.md" in warning and "adresse provisoire" in warning


def test_editor_install_has_no_developer_tools() -> None:
    # CONTRIBUTING.md's one command installs the main dependencies only.
    import tomllib

    root = Path(__file__).resolve().parents[2]
    project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    names = {d.split(">")[0].split("[")[0].split("=")[0].strip() for d in project["dependencies"]}
    assert not names & {"pytest", "playwright", "ruff", "mypy", "axe-playwright-python"}
    assert "pipx install --editable ." in (root / "CONTRIBUTING.md").read_text(encoding="utf-8")
