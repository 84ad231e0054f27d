"""The real directory under content/: every file valid, and the pilot regions fully served."""

from __future__ import annotations

from datetime import date
from functools import cache
from pathlib import Path

import pytest

from generator import territories
from generator.catalog import Catalog, load
from generator.issues import Issue, errors
from generator.vocabularies import BESOINS
from tests.conftest import REAL_CONTENT

PILOT_DEPARTMENTS = ["02", "59", "60", "62", "80", "22", "29", "35", "56"]
FILES = sorted(REAL_CONTENT.glob("*/*.md"))


@cache
def real() -> tuple[Catalog, list[Issue]]:
    return load(REAL_CONTENT, date.today())


@pytest.mark.parametrize("path", FILES, ids=[f"{p.parent.name}/{p.stem}" for p in FILES])
def test_content_file_is_valid(path: Path) -> None:
    problems = [i.format() for i in errors(real()[1]) if i.path == path]
    assert problems == []


def test_starter_directory_size() -> None:
    catalog = real()[0]
    assert len(catalog.aides) >= 40
    assert len(catalog.reseaux) >= 40


@pytest.mark.parametrize("departement", PILOT_DEPARTMENTS)
def test_every_need_of_pilot_departments_has_a_routable_network(departement: str) -> None:
    catalog = real()[0]
    uncovered = set(BESOINS)
    for record in catalog.reseaux.values():
        network = record.data
        if network.demandes and territories.matches_department(
            network.territoires, [], departement
        ):
            uncovered -= set(network.besoins)
    assert uncovered == set(), f"besoins sans réseau dans le {departement}"


def test_every_aid_cites_an_official_https_source() -> None:
    catalog = real()[0]
    assert all(r.data.source.startswith("https://") for r in catalog.aides.values())
