"""One test per validation rule, on small content trees: each names the file, line and field."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from generator.content.catalog import load
from generator.content.issues import Issue, Severity, errors, warnings
from tests.conftest import WriteFile

TODAY = date(2026, 11, 22)


def check(content: Path) -> list[Issue]:
    return load(content, TODAY)[1]


def only_error(content: Path) -> Issue:
    found = errors(check(content))
    assert len(found) == 1, [i.format() for i in found]
    return found[0]


def test_valid_tree_has_no_issue(content: Path, write: WriteFile) -> None:
    write("aide", "une-aide", reseaux=["un-reseau"])
    write("reseau", "un-reseau", demandes=None)
    catalog, issues = load(content, TODAY)
    assert issues == []
    assert set(catalog.aides) == {"une-aide"}
    assert catalog.aides["une-aide"].data.reseaux == ["un-reseau"]
    assert catalog.aides["une-aide"].body == "Texte de la fiche.\n"


def test_invalid_yaml_gives_its_line_and_hides_nothing_else(
    content: Path, write: WriteFile
) -> None:
    path = write("aide", "cassee", raw="---\ntitre: ok\nresume: [pas fermé\nporteurs: []\n---\nx\n")
    catalog, issues = load(content, TODAY)
    found = {i.field: i for i in errors(issues)}
    assert found["resume"].path == path
    assert found["resume"].line == 3
    assert found["resume"].message.startswith("YAML invalide : liste entre crochets mal fermée")
    assert (found["porteurs"].line, found["porteurs"].message) == (
        4,
        "la liste ne doit pas être vide",
    )
    assert "natures" in found  # the fields the file lacks are still named
    assert catalog.aides == {}


def test_missing_front_matter(content: Path, write: WriteFile) -> None:
    write("aide", "sans-entete", raw="Juste du texte\n")
    assert "en-tête YAML manquant" in only_error(content).message


def test_unclosed_front_matter(content: Path, write: WriteFile) -> None:
    write("aide", "ouverte", raw="---\ntitre: x\n")
    assert "non fermé" in only_error(content).message


def test_empty_body(content: Path, write: WriteFile) -> None:
    path = write("aide", "vide")
    path.write_text(path.read_text().replace("Texte de la fiche.\n", "\n  \n"))
    issue = only_error(content)
    assert issue.field == "corps"
    assert "vide" in issue.message


def test_missing_required_key(content: Path, write: WriteFile) -> None:
    write("aide", "sans-source", source=None)
    issue = only_error(content)
    assert (issue.field, issue.message) == ("source", "champ obligatoire manquant")


def test_unknown_key_suggests_the_closest(content: Path, write: WriteFile) -> None:
    path = write("aide", "typo", secteurs=None, secteur=["culture"])
    found = {i.field: i for i in errors(check(content))}
    assert "secteurs" in found  # still missing
    typo = found["secteur"]
    assert "clé inconnue « secteur »" in typo.message
    assert "vouliez-vous dire « secteurs »" in typo.message
    lines = path.read_text().splitlines()
    assert lines[typo.line - 1].startswith("secteur:")


def test_value_outside_vocabulary_suggests_the_closest(content: Path, write: WriteFile) -> None:
    path = write("aide", "vocab", natures=["subvention", "prets"])
    issue = only_error(content)
    assert issue.field == "natures[1]"
    assert "« prets »" in issue.message and "« pret »" in issue.message
    assert path.read_text().splitlines()[issue.line - 1].strip() == "- prets"


def test_reseau_famille_vocabulary(content: Path, write: WriteFile) -> None:
    write("reseau", "mauvaise-famille", famille="incubateurs")
    issue = only_error(content)
    assert issue.field == "famille"
    assert "incubateur" in issue.message


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("titre", 12, "doit être un texte"),
        ("natures", "subvention", "doit être une liste"),
        ("effectif_max", "trois", "nombre entier"),
        ("effectif_max", -1, "positif ou nul"),
        ("besoins", [], "ne doit pas être vide"),
        ("montant", 5000, "sous-champs"),
        ("titre", "x" * 181, "trop long : 180 caractères au plus"),
    ],
)
def test_wrong_types(
    content: Path, write: WriteFile, field: str, value: object, expected: str
) -> None:
    write("aide", "types", **{field: value})
    issue = only_error(content)
    assert issue.field == field
    assert expected in issue.message


@pytest.mark.parametrize(
    ("value", "expected"),
    [("2026-02-30", "date impossible"), ("31/12/2026", "AAAA-MM-JJ"), ("demain", "AAAA-MM-JJ")],
)
def test_bad_or_impossible_dates(
    content: Path, write: WriteFile, value: str, expected: str
) -> None:
    write("aide", "dates", cloture=value)
    issue = only_error(content)
    assert issue.field == "cloture"
    assert expected in issue.message


def test_cloture_before_ouverture(content: Path, write: WriteFile) -> None:
    write("aide", "dates", ouverture="2027-03-01", cloture="2027-01-31")
    issue = only_error(content)
    assert issue.field == "cloture"
    assert "précède l'ouverture" in issue.message


def test_eligibility_fields_are_read(content: Path, write: WriteFile) -> None:
    write(
        "aide",
        "employeurs",
        effectif_min=1,
        effectif_max=30,
        agrements=["sport"],
        pour_qui="Clubs sportifs affiliés employant au moins une personne",
        recurrence="recurrente",
        periode="chaque année, au printemps",
        derniere_session={"ouverture": "2026-03-02", "cloture": "2026-05-29"},
    )
    assert errors(check(content)) == []


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({"effectif_min": 5, "effectif_max": 2}, "effectif_min", "dépasse l'effectif maximum"),
        ({"agrements": ["jep"]}, "agrements", "valeur inconnue « jep »"),
        ({"pour_qui": "x" * 161}, "pour_qui", "160"),
        (
            {"derniere_session": {"ouverture": "2025-12-09", "cloture": "2025-03-01"}},
            "derniere_session",
            "",
        ),
    ],
)
def test_eligibility_fields_refused(
    content: Path, write: WriteFile, fields: dict[str, object], field: str, words: str
) -> None:
    write("aide", "eligibilite", **fields)
    found = errors(check(content))
    assert found, fields
    assert any(i.field.startswith(field) and words in i.message for i in found), found


def test_montant_min_above_max(content: Path, write: WriteFile) -> None:
    write("aide", "montant", montant={"min": 5000, "max": 1000, "texte": "x"})
    issue = only_error(content)
    assert issue.field == "montant.min"
    assert "dépasse le maximum" in issue.message


def test_source_must_be_https(content: Path, write: WriteFile) -> None:
    write("aide", "http", source="http://www.associations.gouv.fr/")
    issue = only_error(content)
    assert issue.field == "source"
    assert "https://" in issue.message


@pytest.mark.parametrize("code", ["DEP-99", "REG-00", "59", "FRANCE"])
def test_unknown_territory_codes(content: Path, write: WriteFile, code: str) -> None:
    write("aide", "territoire", territoires=["FR", code])
    issue = only_error(content)
    assert issue.field == "territoires[1]"
    assert f"« {code} »" in issue.message


def test_communes_and_epci_are_territories(content: Path, write: WriteFile) -> None:
    write("aide", "local", territoires=["EPCI-200093201", "COM-59183"], exclusions=["COM-59512"])
    assert not errors(check(content))


@pytest.mark.parametrize(
    ("territoires", "exclusions", "field", "words"),
    [
        (["EPCI-200093201"], ["COM-59183"], "exclusions[0]", "n'est pas dans les territoires"),
        (["COM-59512"], ["COM-59183"], "exclusions[0]", "n'est pas dans les territoires"),
        (["COM-59512"], ["EPCI-200093201"], "exclusions", "retirent tout le territoire"),
        (["COM-59512", "DEP-62"], ["DEP-62", "DEP-59"], "exclusions", "retirent tout"),
    ],
)
def test_local_exclusions(
    content: Path,
    write: WriteFile,
    territoires: list[str],
    exclusions: list[str],
    field: str,
    words: str,
) -> None:
    write("aide", "local", territoires=territoires, exclusions=exclusions)
    issue = only_error(content)
    assert issue.field == field and words in issue.message


def test_exclusion_outside_the_territory(content: Path, write: WriteFile) -> None:
    write("aide", "exclusion", territoires=["REG-53"], exclusions=["DEP-59"])
    issue = only_error(content)
    assert issue.field == "exclusions[0]"


def test_bad_file_name(content: Path, write: WriteFile) -> None:
    write("aide", "Mauvais_Nom")
    issue = only_error(content)
    assert "nom de fichier invalide" in issue.message


def test_same_slug_twice(content: Path, write: WriteFile) -> None:
    write("reseau", "doublon")
    (content / "reseaux" / "doublon.md").rename(content / "reseaux" / "Doublon.md")
    write("reseau", "doublon")
    messages = [i.message for i in errors(check(content))]
    assert any("déjà utilisé" in m for m in messages)


def test_unknown_network_in_reseaux(content: Path, write: WriteFile) -> None:
    write("reseau", "dla-nord")
    path = write("aide", "liee", reseaux=["dla-nrd"])
    issue = only_error(content)
    assert issue.path == path
    assert issue.field == "reseaux[0]"
    assert "vouliez-vous dire « dla-nord »" in issue.message


def test_warnings_do_not_fail(content: Path, write: WriteFile) -> None:
    write("reseau", "provisoire")  # .example address
    write("aide", "ancienne", mise_a_jour="2025-01-10")
    write("aide", "fermee", cloture="2025-06-30")
    issues = check(content)
    assert errors(issues) == []
    fields = sorted(i.field for i in warnings(issues))
    assert fields == ["cloture", "demandes.email", "mise_a_jour"]
    assert all(i.severity is Severity.WARNING for i in warnings(issues))


def test_every_mistake_is_reported_at_once(content: Path, write: WriteFile) -> None:
    write("aide", "a", natures=["don"], source="ftp://x", cloture="2026-13-01")
    write("aide", "b", titre=None, territoires=["DEP-00"], montant={"min": 9, "max": 1})
    write("reseau", "c", besoins=["argent"], site="http://c.fr")
    found = {(i.path.stem, i.field) for i in errors(check(content))}
    assert found == {
        ("a", "natures[0]"),
        ("a", "source"),
        ("a", "cloture"),
        ("b", "titre"),
        ("b", "territoires[0]"),
        ("b", "montant.min"),
        ("c", "besoins[0]"),
        ("c", "site"),
    }


def test_future_mise_a_jour_is_an_error(content: Path, write: WriteFile) -> None:
    write("aide", "futur", mise_a_jour="2027-01-01")
    assert only_error(content).field == "mise_a_jour"


def test_recurrence_is_required(content: Path, write: WriteFile) -> None:
    write("aide", "sans-recurrence", recurrence=None)
    issue = only_error(content)
    assert (issue.field, issue.message) == ("recurrence", "champ obligatoire manquant")


def test_unknown_recurrence_suggests_the_closest(content: Path, write: WriteFile) -> None:
    write("aide", "typo", recurrence="permanent")
    issue = only_error(content)
    assert issue.field == "recurrence"
    assert "vouliez-vous dire « permanente »" in issue.message


def test_one_off_aid_needs_a_deadline(content: Path, write: WriteFile) -> None:
    path = write("aide", "ponctuelle", recurrence="ponctuelle")
    issue = only_error(content)
    assert (issue.path, issue.field) == (path, "cloture")
    assert "une aide ponctuelle doit avoir une date limite" in issue.message
    write("aide", "ponctuelle", recurrence="ponctuelle", cloture="2027-01-31")
    assert errors(check(content)) == []


def test_recurring_aid_needs_its_period(content: Path, write: WriteFile) -> None:
    write("aide", "annuelle", recurrence="recurrente", derniere_session="inconnue")
    issue = only_error(content)
    assert issue.field == "periode"
    assert "quand ses sessions ont lieu" in issue.message
    write(
        "aide", "annuelle", recurrence="recurrente", periode="chaque année, en mars",
        derniere_session="inconnue",
    )  # fmt: skip
    assert check(content) == []


LAST_SESSION = (
    "indiquez la dernière session connue : derniere_session: {ouverture: AAAA-MM-JJ, "
    "cloture: AAAA-MM-JJ}"
)


@pytest.mark.parametrize(
    ("fields", "valid"),
    [
        # No current session and no last one: the editor must say which was the last.
        ({}, False),
        ({"derniere_session": {"ouverture": "2025-01-10", "cloture": "2025-03-01"}}, True),
        # Many calls are known only by their deadline.
        ({"derniere_session": {"cloture": "2025-03-01"}}, True),
        # The sources date no session at all: said explicitly, not left out.
        ({"derniere_session": "inconnue"}, True),
        ({"derniere_session": "on ne sait pas"}, False),
        ({"derniere_session": {"ouverture": "2025-01-10"}}, False),
        # The current session's dates are enough.
        ({"cloture": "2027-03-01"}, True),
        ({"ouverture": "2027-01-05"}, True),
    ],
)
def test_recurring_aid_says_its_last_known_session(
    content: Path, write: WriteFile, fields: dict[str, object], valid: bool
) -> None:
    write("aide", "annuelle", recurrence="recurrente", periode="chaque hiver", **fields)
    found = errors(check(content))
    assert (found == []) is valid, found
    if not fields:
        (issue,) = found
        assert issue.field == "derniere_session" and LAST_SESSION in issue.message
        lines = issue.path.read_text(encoding="utf-8").splitlines()
        assert lines[issue.line - 1] == "recurrence: recurrente"


def test_last_session_still_to_come_is_the_current_one(content: Path, write: WriteFile) -> None:
    write(
        "aide", "annuelle", recurrence="recurrente", periode="chaque hiver",
        derniere_session={"ouverture": "2026-12-01", "cloture": "2027-03-01"},
    )  # fmt: skip
    (warning,) = check(content)
    assert warning.severity is Severity.WARNING
    assert warning.field == "derniere_session.cloture"
    assert "indiquez ses dates dans « ouverture » et « cloture »" in warning.message


def test_other_recurrences_need_no_last_session(content: Path, write: WriteFile) -> None:
    write("aide", "permanente")
    write("aide", "ponctuelle", recurrence="ponctuelle", cloture="2027-01-31")
    assert errors(check(content)) == []


def test_period_only_for_recurring_aids(content: Path, write: WriteFile) -> None:
    write("aide", "permanente", periode="chaque année")
    issue = only_error(content)
    assert issue.field == "periode"
    assert "ne sert qu'aux aides récurrentes" in issue.message


def test_past_session_of_a_recurring_aid_asks_for_the_next_dates(
    content: Path, write: WriteFile
) -> None:
    write("aide", "annuelle", recurrence="recurrente", periode="chaque hiver", cloture="2026-03-01")
    (warning,) = check(content)
    assert warning.severity is Severity.WARNING and warning.field == "cloture"
    assert "« Dates à confirmer »" in warning.message


def test_demarche_must_be_https(content: Path, write: WriteFile) -> None:
    write("aide", "demarche", demarche="http://lecompteasso.associations.gouv.fr/")
    assert only_error(content).field == "demarche"


def test_network_sizes_and_coordination(content: Path, write: WriteFile) -> None:
    write("reseau", "dla", effectifs=["1-3", "4-10"], coordination=["REG-32"], demandes=None)
    catalog, issues = load(content, TODAY)
    assert issues == []
    assert catalog.reseaux["dla"].data.effectifs == ["1-3", "4-10"]
    assert catalog.reseaux["dla"].data.coordination == ["REG-32"]
    write("reseau", "dla", effectifs=["1-2"], coordination=["REG-99"], demandes=None)
    assert sorted(i.field for i in errors(check(content))) == ["coordination[0]", "effectifs[0]"]


def test_coordination_is_by_region_or_department(content: Path, write: WriteFile) -> None:
    write("reseau", "mel", coordination=["DEP-62", "EPCI-200093201"], demandes=None)
    issue = only_error(content)
    assert issue.field == "coordination[1]"
    assert "pas pour « EPCI-200093201 » (Métropole Européenne de Lille)" in issue.message
    assert issue.message.endswith("écrivez « DEP-59 »")
