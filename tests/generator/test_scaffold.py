from datetime import date
from pathlib import Path

import pytest

from generator.content.catalog import load
from generator.content.issues import errors
from generator.scaffold import create, slugify

TODAY = date(2026, 11, 22)


def test_slug_drops_accents_and_punctuation() -> None:
    assert slugify("Fonds pour le développement de la vie associative (FDVA) !") == (
        "fonds-pour-le-developpement-de-la-vie-associative-fdva"
    )
    assert slugify("Aide « Émergence » : l'ESS") == "aide-emergence-l-ess"


FILLED = {
    "aide": [
        ("\"À compléter : ce que l'aide apporte, en une phrase.\"", "Une aide pour les tests."),
        ("\"À compléter : organisme qui porte l'aide\"", "État"),
        ("\"À compléter : la condition décisive, en une phrase.\"", "Toutes les associations."),
        ("https://www.example.org/a-remplacer-par-la-page-officielle",
         "https://www.associations.gouv.fr/"),
        ("À compléter.", "Ce que dit la page officielle."),
    ],
    "reseau": [
        ("\"À compléter : ce que le réseau fait pour les structures, en une phrase.\"",
         "Un réseau pour les tests."),
        ("À compléter.", "Ce que dit son site."),
    ],
}  # fmt: skip


@pytest.mark.parametrize("kind", ["aide", "reseau"])
def test_new_file_does_not_validate_until_filled(content: Path, kind: str) -> None:
    path = create(content, kind, "Un titre « accentué »", TODAY)  # type: ignore[arg-type]
    assert path.name == "un-titre-accentue.md"
    text = path.read_text()
    assert "mise_a_jour: 2026-11-22" in text
    found = errors(load(content, TODAY)[1])
    expected = {
        "aide": {"resume", "pour_qui", "porteurs[0]", "source", "corps"},
        "reseau": {"resume", "corps"},
    }
    assert {i.field for i in found} == expected[kind]
    lines = text.splitlines()
    for issue in found:
        wrong = lines[issue.line - 1]
        assert "À compléter" in wrong or "example.org" in wrong, issue.format()
    for placeholder, value in FILLED[kind]:
        text = text.replace(placeholder, value)
    path.write_text(text)
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
