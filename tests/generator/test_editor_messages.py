"""`aidess validate` as an editor meets it: each common mistake gets a French message that
says what is wrong and how to fix it, on the right file and line."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from aidess.cli import main
from generator.content.catalog import load
from generator.content.issues import Issue, Severity, errors, warnings
from tests.conftest import AIDE, WriteFile, front_matter

TODAY = date(2026, 11, 22)


def only_error(content: Path) -> Issue:
    found = errors(load(content, TODAY)[1])
    assert len(found) == 1, [i.format() for i in found]
    return found[0]


def raw_aide(**lines: str) -> str:
    """A valid aid whose front-matter lines are replaced, as an editor would type them."""
    text = front_matter(AIDE)
    for key, line in lines.items():
        head, _, rest = text.partition(f"\n{key}:")
        text = head + "\n" + line + "\n" + rest.split("\n", 1)[1]
    return text


def test_unquoted_colon_in_a_title_says_to_quote_it(content: Path, write: WriteFile) -> None:
    path = write("aide", "deux-points", raw=raw_aide(titre="titre: FDVA 1 : formation"))
    issue = only_error(content)
    assert (issue.path, issue.line, issue.field) == (path, 2, "titre")
    assert "contient « : »" in issue.message
    assert "mettez toute la valeur entre guillemets" in issue.message
    assert 'titre: "FDVA 1 : formation des bénévoles"' in issue.message
    assert "mapping values" not in issue.message


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ('titre: "FDVA 1', "guillemet non fermé dans la valeur de « titre »"),
        ("titre: x\n\tporteurs: [État]", "tabulation interdite"),
        ("titre: x\n  resume: y", "« resume » est décalé vers la droite"),
        ("titre: *FDVA", "mettez-la entre guillemets"),
        ("titre: [a, b", "liste entre crochets mal fermée"),
    ],
    ids=["quote", "tab", "indent", "alias", "bracket"],
)
def test_yaml_mistakes_in_french(content: Path, write: WriteFile, line: str, expected: str) -> None:
    write("aide", "yaml", raw=raw_aide(titre=line))
    issue = only_error(content)
    assert issue.message.startswith("YAML invalide : ")
    assert expected in issue.message
    assert issue.line in (2, 3)


def test_french_date_suggests_iso(content: Path, write: WriteFile) -> None:
    write("aide", "date", cloture="15/03/2026")
    issue = only_error(content)
    assert issue.field == "cloture"
    assert "date invalide « 15/03/2026 » : écrivez « 2026-03-15 »" in issue.message


def test_date_in_words_suggests_iso(content: Path, write: WriteFile) -> None:
    write("aide", "date", ouverture="1er mars 2027")
    assert "écrivez « 2027-03-01 »" in only_error(content).message


@pytest.mark.parametrize(
    ("value", "meant"),
    [
        ("Hauts-de-France", "« REG-32 » (Hauts-de-France)"),
        ("hauts de france", "« REG-32 »"),
        ("Finistère", "« DEP-29 » (Finistère (29))"),
        ("59", "« DEP-59 » (Nord (59))"),
        ("dep-2a", "« DEP-2A »"),
        ("France", "« FR »"),
        ("Roubaix", "« COM-59512 » (Roubaix)"),
        ("59100", "« COM-59512 » (Roubaix) ou « COM-59100 » (Bousignies)"),  # postcode first
        ("COM 59512", "« COM-59512 » (Roubaix)"),
        ("COM-75111", "« COM-75056 » (Paris)"),  # an arrondissement municipal
        ("75011", "« COM-75056 » (Paris)"),
        ("MEL", "« EPCI-200093201 » (Métropole Européenne de Lille)"),
        ("Métropole européenne de Lille", "« EPCI-200093201 » (Métropole Européenne de Lille)"),
        ("Communauté urbaine de Dunkerque", "« EPCI-245900428 » (CU de Dunkerque)"),
        ("EPCI-200093202", "« EPCI-200093201 » (Métropole Européenne de Lille)"),
    ],
)
def test_territory_name_suggests_its_code(
    content: Path, write: WriteFile, value: str, meant: str
) -> None:
    write("aide", "territoire", territoires=[value])
    issue = only_error(content)
    assert issue.field == "territoires[0]"
    assert f"code de territoire inconnu « {value} » : écrivez {meant}" in issue.message


def test_homonyms_are_told_apart_by_their_department(content: Path, write: WriteFile) -> None:
    write("aide", "territoire", territoires=["Saint-Denis"])
    message = only_error(content).message
    assert "« COM-93066 » (Saint-Denis, Seine-Saint-Denis (93)) ou " in message
    assert "« COM-97411 » (Saint-Denis, La Réunion (974))" in message


@pytest.mark.parametrize("value", ["COM-99999", "EPCI-1", "Atlantide"])
def test_unknown_local_code_says_how_codes_are_written(
    content: Path, write: WriteFile, value: str
) -> None:
    write("aide", "territoire", territoires=[value])
    message = only_error(content).message
    assert f"code de territoire inconnu « {value} » : FR, REG-" in message
    assert "EPCI-<SIREN> (ex. EPCI-200093201) ou COM-<code Insee" in message


def test_placeholders_are_errors(content: Path, write: WriteFile) -> None:
    path = write("aide", "brouillon", porteurs=["À compléter : organisme"])
    path.write_text(path.read_text() + "\nÀ compléter.\n")
    found = {i.field: i for i in errors(load(content, TODAY)[1])}
    assert set(found) == {"porteurs[0]", "corps"}
    assert "texte provisoire « À compléter »" in found["porteurs[0]"].message
    assert path.read_text().splitlines()[found["corps"].line - 1] == "À compléter."


def test_example_org_source_is_an_error_and_example_tld_a_warning(
    content: Path, write: WriteFile
) -> None:
    write("aide", "exemple", source="https://www.example.org/page")
    issue = only_error(content)
    assert (issue.field, issue.kind) == ("source", "adresse-exemple")
    assert "adresse d'exemple" in issue.message
    write("aide", "exemple", source="https://financeur.example/page")
    issues = load(content, TODAY)[1]
    assert errors(issues) == []
    assert [(i.field, i.severity) for i in warnings(issues)] == [("source", Severity.WARNING)]


@pytest.fixture
def noisy(content: Path, write: WriteFile) -> Path:
    """8 errors and 47 provisional-address warnings, as the issue measured."""
    for n in range(47):
        write("reseau", f"reseau-{n:02d}")  # demandes@reseau-test.example
    for n in range(8):
        write("aide", f"aide-{n}", besoins=["tresorie"])
    return content


def test_errors_first_and_repeated_warnings_summarised(
    noisy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["validate", "--content", str(noisy)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert all("valeur inconnue « tresorie »" in line for line in out[:8])
    summary = [line for line in out[8:] if line]
    assert len(summary) == 2
    assert summary[0].startswith("47 avertissements : adresse de demandes provisoire en .example")
    assert "et 44 autres (détail : --avertissements)" in summary[0]
    assert summary[1] == "8 erreur(s), 47 avertissement(s)"


def test_errors_only_and_every_warning(noisy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "--erreurs-seulement", "--content", str(noisy)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 9 and "avertissement :" not in "\n".join(out)
    assert main(["validate", "--avertissements", "--content", str(noisy)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert sum("avertissement : adresse provisoire" in line for line in out) == 47


def test_one_yaml_error_hides_none_of_the_files_other_mistakes(
    content: Path, write: WriteFile
) -> None:
    """Two syntax errors and five other mistakes in one file: one run shows all seven, each on
    its line, and no field whose YAML is broken is also said to be missing."""
    text = f"""---
titre: FDVA 1 : formation
resume: {"Une promesse bien trop longue. " * 7}
pour_qui: Toutes les associations.
porteurs:
  - État
natures: [subventions]
besoins: [emploi, formation
secteurs: [tous]
structures: [association]
territoires: [Hauts-de-France]
recurrence: permanente
source: http://www.associations.gouv.fr/
mise_a_jour: 15/03/2026
---
Texte de la fiche.
"""  # two YAML errors (an unquoted « : » in titre, besoins' open bracket), five others
    path = write("aide", "plusieurs-erreurs", raw=text)
    catalog, issues = load(content, TODAY)
    found = errors(issues)
    lines = text.splitlines()
    by_field = {i.field: i for i in found}
    assert sorted(by_field) == sorted(
        ["titre", "besoins", "natures[0]", "territoires[0]", "source", "mise_a_jour", "resume"]
    ), [i.format() for i in found]
    assert len(found) == 7
    for issue in found:
        assert issue.path == path
        assert lines[issue.line - 1].startswith(issue.field.split("[")[0] + ":"), issue.format()
    assert by_field["titre"].message.startswith("YAML invalide : la valeur de « titre » contient")
    assert "liste entre crochets mal fermée" in by_field["besoins"].message
    assert "vouliez-vous dire « subvention »" in by_field["natures[0]"].message
    assert "écrivez « REG-32 »" in by_field["territoires[0]"].message
    assert "écrivez « 2026-03-15 »" in by_field["mise_a_jour"].message
    assert "180 caractères au plus" in by_field["resume"].message
    assert catalog.aides == {}  # a file read in part is never published


def test_a_name_without_colon_is_a_yaml_error_of_its_own(content: Path, write: WriteFile) -> None:
    text = raw_aide(
        titre='titre "FDVA 1"', mise_a_jour="mise_a_jour: 31/03/2026", recurrence="recurrence: x"
    )
    write("aide", "sans-deux-points", raw=text)
    found = {i.field: i.message for i in errors(load(content, TODAY)[1])}
    assert set(found) == {"-", "mise_a_jour", "recurrence"}, found
    assert found["-"].startswith("YAML invalide : il manque « : » après le nom d'un champ")
