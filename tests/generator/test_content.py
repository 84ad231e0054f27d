"""The real directory under content/: every file valid (coverage of the pilot departments:
test_coverage.py)."""

from __future__ import annotations

from datetime import date
from functools import cache
from pathlib import Path

import pytest

from generator.content.catalog import Catalog, load
from generator.content.issues import Issue, errors
from tests.conftest import REAL_CONTENT

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


def test_every_aid_cites_an_official_https_source() -> None:
    catalog = real()[0]
    assert all(r.data.source.startswith("https://") for r in catalog.aides.values())
