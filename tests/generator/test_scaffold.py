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


TEXTS = {
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
CHOSEN = {
    "aide": [
        ("natures: [À choisir]", "natures: [subvention]"),
        ("besoins: [À choisir]", "besoins: [financer-projet, emploi]"),
        ("secteurs: [À choisir]", "secteurs: [culture]"),
        ("structures: [À choisir]", "structures: [association]"),
        ("territoires: [À choisir]", "territoires: [DEP-59]"),
        ("recurrence: À choisir", "recurrence: permanente"),
    ],
    "reseau": [
        ("famille: À choisir", "famille: cress"),
        ("territoires: [À choisir]", "territoires: [REG-32]"),
        ("besoins: [À choisir]", "besoins: [cooperation]"),
        ("secteurs: [À choisir]", "secteurs: [tous]"),
    ],
}


def _replace(text: str, pairs: list[tuple[str, str]]) -> str:
    for placeholder, value in pairs:
        assert placeholder in text, placeholder
        text = text.replace(placeholder, value)
    return text


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
    choices = {placeholder.split(":")[0] for placeholder, _ in CHOSEN[kind]}
    assert {i.field for i in found} == expected[kind] | choices
    lines = text.splitlines()
    for issue in found:
        wrong = lines[issue.line - 1]
        assert any(p in wrong for p in ("À compléter", "À choisir", "example.org")), issue.format()
    path.write_text(_replace(_replace(text, TEXTS[kind]), CHOSEN[kind]))
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


@pytest.mark.parametrize("kind", ["aide", "reseau"])
def test_skeleton_with_only_its_texts_written_is_refused_once_per_choice(
    content: Path, kind: str
) -> None:
    """Replacing « À compléter » and the example address is not enough: nothing national,
    all-sector or permanent is pre-filled, and each open choice gets one message of its own."""
    path = create(content, kind, "Aide régionale", TODAY)  # type: ignore[arg-type]
    path.write_text(_replace(path.read_text(), TEXTS[kind]))
    text = path.read_text()
    for presumed in ("territoires: [FR]", "secteurs: [tous]", "recurrence: perm", "famille: a"):
        assert presumed not in text
    found = errors(load(content, TODAY)[1])
    fields = [placeholder.split(":")[0] for placeholder, _ in CHOSEN[kind]]
    assert sorted(i.field for i in found) == sorted(fields)  # one message per field, no more
    lines = text.splitlines()
    for issue in found:
        assert lines[issue.line - 1].startswith(f"{issue.field}: "), issue.format()
        assert issue.message.startswith("choix à faire : remplacez « À choisir » par ")
    by_field = {i.field: i.message for i in found}
    if kind == "aide":
        assert "subvention, pret" in by_field["natures"]
        assert "ou tous si l'aide ne dépend pas du secteur" in by_field["secteurs"]
        assert "REG-<code> (une région, ex. REG-32)" in by_field["territoires"]
        assert "ponctuelle (une seule session" in by_field["recurrence"]
    else:
        assert "dla, france-active" in by_field["famille"]


def test_a_choice_half_made_is_still_to_make(content: Path) -> None:
    path = create(content, "aide", "Aide partielle", TODAY)
    text = _replace(_replace(path.read_text(), TEXTS["aide"]), CHOSEN["aide"])
    path.write_text(text.replace("natures: [subvention]", "natures: [subvention, À choisir]"))
    found = errors(load(content, TODAY)[1])
    assert [(i.field, i.message[:14]) for i in found] == [("natures", "choix à faire ")]
