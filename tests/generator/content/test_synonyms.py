"""content/synonymes.yml: read, and checked with French errors naming the file, line and entry."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from generator.content.catalog import load
from generator.content.synonyms import parse, read
from tests.conftest import REAL_CONTENT

PATH = Path("content/synonymes.yml")


def test_the_real_file_is_clean_and_maps_peoples_words() -> None:
    synonyms, issues = read(REAL_CONTENT)
    assert issues == []
    assert "difficultés financières" in synonyms.groups["besoins"]["tresorerie"]
    assert "asso" in synonyms.groups["structures"]["association"]
    assert "pour" in synonyms.stop_words


@pytest.mark.parametrize(
    ("text", "line", "where", "message"),
    [
        (
            "besoins:\n  tresoreri: [caisse]\n",
            2,
            "besoins.tresoreri",
            "n'est pas une valeur de besoins",
        ),
        ("lieux:\n  nord: [59]\n", 1, "lieux", "rubrique inconnue « lieux »"),
        ("besoins:\n  emploi: embaucher\n", 2, "besoins.emploi", "doit être une liste"),
        (
            "besoins:\n  emploi:\n    - embaucher\n    - Embaucher\n",
            4,
            "besoins.emploi",
            "figure deux fois",
        ),
        ("besoins:\n  emploi: ['']\n", 2, "besoins.emploi", "expression vide"),
        ("besoins: [emploi]\n", 1, "besoins", "doit associer chaque valeur"),
        ("besoins:\n  emploi: [a\n", 3, "-", "YAML illisible"),
        ("- a\n", 1, "-", "le fichier doit contenir les rubriques"),
    ],
)
def test_each_mistake_is_named_with_its_line(
    text: str, line: int, where: str, message: str
) -> None:
    _, issues = parse(text, PATH)
    assert len(issues) == 1, issues
    (issue,) = issues
    assert (issue.path, issue.line, issue.field) == (PATH, line, where)
    assert message in issue.message


def test_validate_reports_the_synonyms_file(content: Path) -> None:
    (content / "synonymes.yml").write_text("besoins:\n  argent: [sous]\n", encoding="utf-8")
    _, issues = load(content, date(2026, 12, 6))
    assert [i.format() for i in issues] == [
        f"{content / 'synonymes.yml'}:2: besoins.argent: « argent » n'est pas une valeur de "
        "besoins (valeurs possibles : tresorerie, financer-projet, emploi, benevolat, "
        "gouvernance, modele-economique, formation, numerique, administratif, locaux, "
        "transition-ecologique, cooperation, creation)"
    ]
