"""Shared fixtures: small content trees written in tmp_path."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
REAL_CONTENT = ROOT / "content"

AIDE: dict[str, object] = {
    "titre": "Aide de test",
    "resume": "Une aide pour tester.",
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


def pytest_report_header(config: pytest.Config) -> str | None:
    """One loud line when the PostgreSQL tests cannot run here."""
    from tests import pg_server

    return None if pg_server.binaries() else f"ATTENTION : {pg_server.MISSING}"
