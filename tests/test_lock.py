"""requirements.lock agrees with pyproject.toml, and the Makefile installs from it."""

from __future__ import annotations

import importlib.metadata
import os
import shutil
import subprocess
import tomllib
from pathlib import Path
from typing import Any

import pytest
from packaging.markers import default_environment
from packaging.requirements import Requirement

from tests.lockfile import declared, lock_problems, missing_dependencies, parse_lock

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "requirements.lock"
HASH_A = "sha256:" + "a" * 64
HASH_B = "sha256:" + "b" * 64


def pyproject() -> dict[str, Any]:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def environment() -> dict[str, str]:
    return dict(default_environment())


# --- the checks themselves, on small locks ---------------------------------------------------


def test_parse_lock_joins_continuations_and_skips_comments() -> None:
    text = f"# header\nfoo==1.0 \\\n    --hash={HASH_A} \\\n    --hash={HASH_B}\n    # via bar\n"
    pins, problems = parse_lock(text)
    assert problems == []
    assert [(p.line, p.name, p.version, p.hashes) for p in pins] == [
        (2, "foo", "1.0", (HASH_A, HASH_B))
    ]


@pytest.mark.parametrize(
    ("lock", "wanted", "expected"),
    [
        (f"foo==1.0 --hash={HASH_A}", ["foo>=1"], []),
        (f"Foo_Bar==1.0 --hash={HASH_A}", ["foo-bar"], []),
        ("foo==1.0", ["foo"], ["line 1: foo has no --hash"]),
        (f"foo>=1.0 --hash={HASH_A}", ["foo"], ["line 1: foo>=1.0 is not an exact `==` pin"]),
        (f"foo==1.* --hash={HASH_A}", ["foo"], ["line 1: foo==1.* is not an exact `==` pin"]),
        ("foo==1.0 --hash=md5:abc", ["foo"], ["line 1: foo has a malformed hash md5:abc"]),
        (
            f"foo==1.0 --hash={HASH_A}",
            ["foo", "bar[x]>=2"],
            ["pyproject.toml asks for bar[x]>=2, the lock has no bar"],
        ),
        (
            f"foo==3.0 --hash={HASH_A}",
            ["foo>=1,<3"],
            ["pyproject.toml asks for foo<3,>=1, the lock pins foo==3.0"],
        ),
    ],
)
def test_lock_problems(lock: str, wanted: list[str], expected: list[str]) -> None:
    pins, problems = parse_lock(lock)
    assert problems == []
    assert lock_problems(pins, [Requirement(w) for w in wanted]) == expected


METADATA = {
    "web": [
        "h11>=0.8",
        "uvloop; extra == 'standard' and sys_platform != 'win32'",
        "x; extra == 'y'",
    ],
    "h11": [],
    "uvloop": [],
    "winonly": [],
}


@pytest.mark.parametrize(
    ("roots", "locked", "expected"),
    [
        (["web"], {"web", "h11"}, []),
        (["web[standard]"], {"web", "h11", "uvloop"}, []),
        (["web[standard]"], {"web", "h11"}, ["uvloop (needed by web) is not in the lock"]),
        (["web"], {"web"}, ["h11 (needed by web) is not in the lock"]),
        (["winonly; sys_platform == 'win32'"], set(), []),
        (["web"], {"h11"}, ["web (needed by pyproject.toml) is not in the lock"]),
    ],
)
def test_missing_dependencies(roots: list[str], locked: set[str], expected: list[str]) -> None:
    linux = {**environment(), "sys_platform": "linux"}
    requirements = [Requirement(r) for r in roots]
    assert missing_dependencies(requirements, locked, METADATA.__getitem__, linux) == expected


# --- the real locks --------------------------------------------------------------------------

# Each lock and the extras of pyproject.toml it covers (Makefile: LOCK, PROD_LOCK).
LOCKS = [("requirements.lock", ["test"]), ("requirements-prod.lock", [])]


@pytest.mark.parametrize(("name", "extras"), LOCKS)
def test_every_pin_is_exact_and_hashed_and_pyproject_is_pinned(
    name: str, extras: list[str]
) -> None:
    pins, problems = parse_lock((ROOT / name).read_text(encoding="utf-8"))
    wanted = declared(pyproject(), extras)
    assert problems + lock_problems(pins, wanted) == [], "run `make lock`"
    assert len(pins) > len(wanted)  # the dependencies' own dependencies are pinned too


@pytest.mark.parametrize(("name", "extras"), LOCKS)
def test_the_lock_is_closed_here(name: str, extras: list[str]) -> None:
    """On this machine, every dependency of what pyproject.toml asks for (with its extras, such
    as uvicorn[standard] or psycopg[binary]) is in the lock: pip --require-hashes needs it."""
    pins, _ = parse_lock((ROOT / name).read_text(encoding="utf-8"))
    here = environment()
    locked = {
        p.name for p in pins if p.requirement.marker is None or p.requirement.marker.evaluate(here)
    }

    def requires(package: str) -> list[str]:
        return importlib.metadata.requires(package) or []

    assert missing_dependencies(declared(pyproject(), extras), locked, requires, here) == []


def test_the_tests_run_on_the_locked_versions() -> None:
    pins, _ = parse_lock(LOCK.read_text(encoding="utf-8"))
    here = environment()
    applicable = [
        p for p in pins if p.requirement.marker is None or p.requirement.marker.evaluate(here)
    ]
    installed = {p.name: importlib.metadata.version(p.name) for p in applicable}
    assert installed == {p.name: p.version for p in applicable}, "run `make .venv/.installed`"


def test_production_gets_the_same_files_as_the_tests() -> None:
    """requirements-prod.lock is a part of requirements.lock: same versions, same hashes."""
    pins = parse_lock(LOCK.read_text(encoding="utf-8"))[0]
    full = {(p.name, p.version, str(p.requirement.marker)): p.hashes for p in pins}
    prod = parse_lock((ROOT / "requirements-prod.lock").read_text(encoding="utf-8"))[0]
    assert prod
    for pin in prod:
        key = (pin.name, pin.version, str(pin.requirement.marker))
        assert key in full, f"requirements-prod.lock: {pin.requirement} is not in requirements.lock"
        assert set(pin.hashes) == set(full[key]), f"{pin.name}: other hashes"


@pytest.mark.skipif(shutil.which("make") is None, reason="make absent")
def test_a_new_lock_reinstalls_from_it(tmp_path: Path) -> None:
    for name in ("Makefile", "pyproject.toml", "requirements.lock"):
        shutil.copy(ROOT / name, tmp_path / name)
    stamp = tmp_path / ".venv" / ".installed"
    stamp.parent.mkdir()
    stamp.touch()
    later = (tmp_path / "requirements.lock").stat().st_mtime + 10
    os.utime(stamp, (later, later))

    def dry_run(*args: str) -> str:
        command = ["make", "--no-print-directory", "-n", *args, ".venv/.installed"]
        return subprocess.run(
            command, cwd=tmp_path, capture_output=True, text=True, check=True
        ).stdout

    assert "pip install" not in dry_run()  # up to date: nothing to do
    recipe = dry_run("-W", "requirements.lock")
    assert "pip install --quiet --require-hashes -r requirements.lock" in recipe
    assert "pip install --quiet --no-deps --no-build-isolation -e ." in recipe
    assert "[test]" not in recipe  # nothing resolved outside the lock
