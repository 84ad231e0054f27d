"""The commune suggestion files: every commune once by department and once by name, each
file small enough for a phone."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.commune_files import name_key, write_commune_files
from generator.content.territories import communes, reference

LARGEST = 70_000  # bytes: the biggest file a phone may fetch to suggest a commune


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("donnees")
    write_commune_files(out)
    return out / "communes"


@pytest.mark.parametrize(("name", "key"), [
    ("Roubaix", "ro"), ("L'Abergement-Clémenciat", "la"), ("Saint-Omer", "st-om"),
    ("Sainte-Marie-aux-Mines", "st-ma"), ("Saintes", "sa"), ("Œuilly", "ui"),
])  # fmt: skip
def test_name_key(name: str, key: str) -> None:
    assert name_key(name) == key


def test_every_commune_once_by_department_and_by_name(written: Path) -> None:
    by_department: dict[str, tuple[str, str]] = {}
    for code in reference().departments:
        data = json.loads((written / f"{code}.json").read_text("utf-8"))
        assert data["departement"] == code
        assert data["region"] == reference().departments[code].region
        for insee, _nom, postcodes, _epci in data["communes"]:
            assert insee not in by_department and postcodes
            by_department[insee] = (code, data["region"])
    by_name = {
        row[0]: row
        for path in (written / "noms").glob("*.json")
        for row in json.loads(path.read_text("utf-8"))
        if path.stem == name_key(row[1])
    }
    assert set(by_department) == set(by_name) == set(communes().communes)
    nord = json.loads((written / "59.json").read_text("utf-8"))["communes"]
    assert ["59512", "Roubaix", ["59100"], "200093201"] in nord


def test_each_file_is_small(written: Path) -> None:
    sizes = {path.name: path.stat().st_size for path in written.rglob("*.json")}
    assert max(sizes.values()) < LARGEST, max(sizes.items(), key=lambda item: item[1])
