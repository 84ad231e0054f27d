from datetime import date
from pathlib import Path

import pytest

from generator.catalog import load
from generator.issues import errors
from generator.scaffold import create, slugify

TODAY = date(2026, 11, 22)


def test_slug_drops_accents_and_punctuation() -> None:
    assert slugify("Fonds pour le développement de la vie associative (FDVA) !") == (
        "fonds-pour-le-developpement-de-la-vie-associative-fdva"
    )
    assert slugify("Aide « Émergence » : l'ESS") == "aide-emergence-l-ess"


@pytest.mark.parametrize("kind", ["aide", "reseau"])
def test_new_file_is_valid_and_dated_today(content: Path, kind: str) -> None:
    path = create(content, kind, "Un titre « accentué »", TODAY)  # type: ignore[arg-type]
    assert path.name == "un-titre-accentue.md"
    assert "mise_a_jour: 2026-11-22" in path.read_text()
    catalog, issues = load(content, TODAY)
    assert errors(issues) == []
    records = catalog.aides if kind == "aide" else catalog.reseaux
    assert "un-titre-accentue" in records


def test_new_refuses_to_overwrite(content: Path) -> None:
    path = create(content, "aide", "Même titre", TODAY)
    path.write_text("modifié par l'éditeur")
    with pytest.raises(FileExistsError):
        create(content, "aide", "Même titre", TODAY)
    assert path.read_text() == "modifié par l'éditeur"
