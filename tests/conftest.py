"""Shared fixtures: small content trees written in tmp_path. And the suites that need a tool
from outside Python (Chromium, PostgreSQL, the Nu Html Checker): one that is missing stops the
run before any test, with the command to run, unless AIDESS_TESTS_SANS names it."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
REAL_CONTENT = ROOT / "content"

AIDE: dict[str, object] = {
    "titre": "Aide de test",
    "resume": "Une aide pour tester.",
    "pour_qui": "Toutes les associations.",
    "porteurs": ["État"],
    "natures": ["subvention"],
    "besoins": ["emploi"],
    "secteurs": ["tous"],
    "structures": ["association"],
    "territoires": ["FR"],
    "recurrence": "permanente",
    "source": "https://www.associations.gouv.fr/",
    "mise_a_jour": "2026-11-01",
}
RESEAU: dict[str, object] = {
    "nom": "Réseau de test",
    "resume": "Un réseau pour tester.",
    "famille": "dla",
    "territoires": ["DEP-59"],
    "besoins": ["emploi"],
    "secteurs": ["tous"],
    "demandes": {"email": "demandes@reseau-test.example"},
    "mise_a_jour": "2026-11-01",
}

WriteFile = Callable[..., Path]


def front_matter(data: dict[str, object], body: str = "Texte de la fiche.\n") -> str:
    dumped = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    return f"---\n{dumped}---\n{body}"


@pytest.fixture
def content(tmp_path: Path) -> Path:
    root = tmp_path / "content"
    (root / "aides").mkdir(parents=True)
    (root / "reseaux").mkdir()
    return root


@pytest.fixture
def write(content: Path) -> WriteFile:
    """write("aide", "slug", titre=…) writes a valid file, with keyword overrides
    (a value of None removes the key); raw= writes text as is."""

    def _write(kind: str, slug: str, raw: str | None = None, **overrides: object) -> Path:
        folder = "aides" if kind == "aide" else "reseaux"
        path = content / folder / f"{slug}.md"
        if raw is None:
            data = dict(AIDE if kind == "aide" else RESEAU)
            for key, value in overrides.items():
                if value is None:
                    data.pop(key, None)
                else:
                    data[key] = value
            raw = front_matter(data)
        path.write_text(raw, encoding="utf-8")
        return path

    return _write


# A suite that needs a tool from outside Python, what it is called in AIDESS_TESTS_SANS, and
# what it checks. scripts/install-test-deps (`make test`, .ci/run) installs the Debian packages.
SUITES = {
    "navigateur": "les tests dans le navigateur (tests/e2e)",
    "postgresql": "les tests sur PostgreSQL",
    "html": "la validation HTML du site (Nu Html Checker)",
    "charge": "la mesure de charge de `make bench` en petit (wrk)",
}
CHROMIUM = Path("/usr/bin/chromium")


def chromium() -> Path | None:
    """The Chromium the browser tests drive: AIDESS_CHROMIUM when set (a path that does not
    exist counts as absent), else Debian's /usr/bin/chromium, else `chromium` on PATH."""
    named = os.environ.get("AIDESS_CHROMIUM")
    if named:
        return Path(named) if Path(named).exists() else None
    if CHROMIUM.exists():
        return CHROMIUM
    found = shutil.which("chromium")
    return Path(found) if found else None


def left_out() -> frozenset[str]:
    """The suites AIDESS_TESTS_SANS leaves out knowingly (comma-separated); refused in CI."""
    named = {s.strip() for s in os.environ.get("AIDESS_TESTS_SANS", "").split(",") if s.strip()}
    unknown = sorted(named - SUITES.keys())
    if unknown:
        raise pytest.UsageError(
            f"AIDESS_TESTS_SANS : {', '.join(unknown)} inconnu (valeurs : {', '.join(SUITES)})"
        )
    if named and os.environ.get("CI"):
        raise pytest.UsageError(
            "AIDESS_TESTS_SANS est refusé en CI : toute la suite doit y tourner"
        )
    return frozenset(named)


def missing(suite: str) -> tuple[str, list[str]] | None:
    """Why `suite` cannot run here and the Debian packages that fix it, or None when it can."""
    if suite == "navigateur":
        where = os.environ.get("AIDESS_CHROMIUM") or CHROMIUM
        return None if chromium() else (f"Chromium est absent ({where})", ["chromium"])
    if suite == "postgresql":
        from tests import pg_server

        if pg_server.binaries():
            return None
        return (
            "PostgreSQL est absent (pas de initdb, ni sur le PATH ni dans /usr/lib/postgresql)",
            ["postgresql"],
        )
    if suite == "charge":
        return None if shutil.which("wrk") else ("wrk est absent", ["wrk"])
    from tests.checkers import vnu_missing

    reason = vnu_missing()
    if reason is None:
        return None
    packages = [] if shutil.which("java") else ["default-jre-headless"]
    return reason, packages + ([] if shutil.which("npm") else ["npm"])


STOP = "Des tests ne peuvent pas tourner ici, la suite s'arrête plutôt que de les ignorer :"


def stop_message(absent: dict[str, tuple[str, list[str]]], heading: str = STOP) -> str:
    """What is missing, the exact command, and the knowing way round it."""
    lines = [f"  - {SUITES[suite]} : {reason}" for suite, (reason, _) in absent.items()]
    packages = [p for _, ps in absent.values() for p in ps]
    command = f"sudo apt-get install {' '.join(packages)} && make test" if packages else "make test"
    return "\n".join([
        heading,
        *lines,
        f"Lancez :  {command}",
        "(make test installe aussi vnu.jar avec npm, et tout le reste quand il tourne en root)",
        f"Ou, en connaissance de cause :  AIDESS_TESTS_SANS={','.join(absent)} make test",
    ])  # fmt: skip


def left_out_banner(suite: str, detail: str = "") -> str:
    return f"!!! AIDESS_TESTS_SANS={suite} : {SUITES[suite]} IGNORÉS volontairement{detail} !!!"


def absent(suite: str) -> NoReturn:
    """For a fixture that finds its tool missing: skip when AIDESS_TESTS_SANS names the suite,
    fail otherwise (the collection check below catches most cases before any test runs)."""
    if suite in left_out():
        pytest.skip(left_out_banner(suite))
    reason = missing(suite) or ("absent", [])
    heading = "Ce test ne peut pas tourner ici, il échoue plutôt que d'être ignoré :"
    pytest.fail(stop_message({suite: reason}, heading), pytrace=False)


def needs(item: pytest.Item) -> set[str]:
    """The suites a collected test belongs to: marked e2e, run on PostgreSQL (both_backends or
    the pg fixture; a module that overrides `backend` is caught by the pg fixture), or in a
    module that calls the Nu Html Checker (it imports require_vnu), or marked charge (wrk)."""
    from tests.checkers import require_vnu

    suites = set()
    if item.get_closest_marker("e2e"):
        suites.add("navigateur")
    callspec = getattr(item, "callspec", None)
    on_pg = callspec is not None and callspec.params.get("backend") == "postgresql"
    if on_pg or "pg" in getattr(item, "fixturenames", ()):
        suites.add("postgresql")
    if getattr(getattr(item, "module", None), "require_vnu", None) is require_vnu:
        suites.add("html")
    if item.get_closest_marker("charge"):
        suites.add("charge")
    return suites


def pytest_configure(config: pytest.Config) -> None:
    left_out()  # an unknown name or CI stops here, before collection


@pytest.hookimpl(trylast=True)  # after -k and -m have deselected
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Stop the run when a selected test needs a missing tool; skip the suites left out."""
    sans = left_out()
    wanted = {suite for item in items for suite in needs(item)} - sans
    if config.option.collectonly:  # listing the tests needs none of their tools
        wanted.clear()
    gaps = {suite: reason for suite in SUITES if suite in wanted if (reason := missing(suite))}
    if gaps:
        raise pytest.UsageError(stop_message(gaps))
    for item in items:
        for suite in sorted(needs(item) & sans):
            item.add_marker(pytest.mark.skip(reason=left_out_banner(suite)))


def pytest_report_header(config: pytest.Config) -> str | None:
    sans = left_out()
    return "\n".join(left_out_banner(suite) for suite in SUITES if suite in sans) or None


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """The suites left out and how many tests that skipped, just above the short summary."""
    skipped = [str(getattr(r, "longrepr", "")) for r in terminalreporter.stats.get("skipped", [])]
    for suite in SUITES:
        if suite in left_out():
            count = sum(left_out_banner(suite) in text for text in skipped)
            detail = f" ({count} test(s)), la suite n'est PAS complète"
            terminalreporter.write_line(left_out_banner(suite, detail), red=True, bold=True)
