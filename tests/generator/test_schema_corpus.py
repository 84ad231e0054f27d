"""The published JSON Schemas against `aidess validate`, on a corpus of deliberately wrong
files (tests/data/schema-corpus/: a valid aid and network, then one mistake per file).

`aidess validate` must catch every mistake. The schemas must catch all but the ones listed in
ONLY_VALIDATE, each with the reason JSON Schema cannot express it, and must accept every valid
file (the corpus's and the real directory's): an editor is never told of an error that
`aidess validate` would not report."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from generator.content.catalog import load
from generator.content.issues import errors
from generator.content.model import json_schema
from generator.content.readers import KIND_DIRS, Kind, read_document
from tests.conftest import REAL_CONTENT, ROOT

CORPUS = ROOT / "tests" / "data" / "schema-corpus"
TODAY = date(2026, 12, 1)  # the day of the check: « mise_a_jour dans le futur » depends on it
VALID = {"aides/aide-valide.md", "reseaux/reseau-valide.md"}

# What only `aidess validate` catches, reviewed: JSON Schema has no way to say it.
ONLY_VALIDATE = {
    "aides/montant-decimal.md": "5000.0 : pour JSON Schema, 5000.0 est un entier (même nombre)",
    "aides/montant-min-superieur-au-max.md": "comparer deux champs (min ≤ max)",
    "aides/cloture-avant-ouverture.md": "comparer deux dates (ouverture ≤ cloture)",
    "aides/mise-a-jour-dans-le-futur.md": "dépend du jour de la vérification",
    "aides/reseau-inexistant.md": "un autre fichier doit exister (reseaux/<slug>.md)",
    "aides/exclusion-hors-territoire.md": "géographie : un département dans une région",
    "aides/exclusions-de-tout-le-territoire.md": "géographie : les exclusions couvrent tout",
    "aides/territoire-commune-inexistante.md": "le schéma ne liste pas les 34 875 communes, "
    "seulement la forme de leur code",
    "aides/corps-vide.md": "le texte sous l'en-tête, hors du YAML que lit le schéma",
    "aides/Nom-De-Fichier-Majuscules.md": "le nom du fichier, hors du YAML",
}


def _validator(kind: Kind) -> Draft202012Validator:
    schema = json_schema(kind)
    Draft202012Validator.check_schema(schema)
    # Format checks on, as check-jsonschema and editors' YAML tooling do (dates).
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


VALIDATORS = {kind: _validator(kind) for kind in KIND_DIRS}


def _front_matter(path: Path, kind: Kind) -> dict[str, Any]:
    """The YAML front matter as an editor sees it (dates stay text, as in YAML 1.2)."""
    document, _ = read_document(path, kind)
    assert document is not None, path
    return document.data


def schema_errors(path: Path, kind: Kind) -> list[str]:
    found = VALIDATORS[kind].iter_errors(_front_matter(path, kind))
    return [f"{'.'.join(map(str, e.absolute_path)) or '-'}: {e.message[:120]}" for e in found]


def corpus() -> list[tuple[str, Kind]]:
    return [
        (f"{folder}/{path.name}", kind)
        for kind, folder in KIND_DIRS.items()
        for path in sorted((CORPUS / folder).glob("*.md"))
    ]


def test_corpus_has_every_kind_of_mistake() -> None:
    wrong = [name for name, _ in corpus() if name not in VALID]
    assert len(wrong) >= 40
    assert set(ONLY_VALIDATE) <= set(wrong)


def test_validate_catches_every_mistake_and_accepts_the_valid_files() -> None:
    _, issues = load(CORPUS, TODAY)
    by_file: dict[str, list[str]] = defaultdict(list)
    for issue in errors(issues):
        by_file[issue.path.relative_to(CORPUS).as_posix()].append(issue.format())
    for name, _ in corpus():
        if name in VALID:
            assert not by_file[name], by_file[name]
        else:
            assert by_file[name], f"aidess validate ne voit pas l'erreur de {name}"


def test_schemas_catch_all_but_what_json_schema_cannot_express(
    capsys: pytest.CaptureFixture[str],
) -> None:
    caught, missed = [], []
    for name, kind in corpus():
        found = schema_errors(CORPUS / name, kind)
        if name in VALID:
            assert not found, (name, found)
        elif found:
            caught.append(f"  {name}: {found[0]}")
        else:
            missed.append(name)
    with capsys.disabled():  # the review list, shown on every run
        print(f"\nSchéma JSON : {len(caught)} erreurs vues ; seul « aidess validate » voit :")
        for name in missed:
            print(f"  {name}: {ONLY_VALIDATE.get(name, '??? NON PRÉVU')}")
    assert sorted(missed) == sorted(ONLY_VALIDATE), "\n".join(caught)


def test_every_real_file_passes_its_schema() -> None:
    failures = [
        f"{path.relative_to(REAL_CONTENT)}: {found}"
        for kind, folder in KIND_DIRS.items()
        for path in sorted((REAL_CONTENT / folder).glob("*.md"))
        if (found := schema_errors(path, kind))
    ]
    assert not failures, "\n".join(failures)
