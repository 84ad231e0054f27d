"""The words the home search understands (generator/lexicon.py), read by the page's script
theme/assets/aidess/mots.js: what a visitor types becomes filters, ranked words and the
words searched as typed."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from generator.content.synonyms import read
from generator.lexicon import lexicon
from tests.conftest import REAL_CONTENT

SCRIPT = Path(__file__).resolve().parents[2] / "theme" / "assets" / "aidess" / "mots.js"
RUNNER = """
const api = require(process.argv[1]);
const input = JSON.parse(require("fs").readFileSync(0, "utf8"));
console.log(JSON.stringify(input.queries.map(q => api.parse(q, input.lexicon))));
"""


@pytest.fixture(scope="module")
def real() -> dict[str, Any]:
    synonyms, issues = read(REAL_CONTENT)
    assert not issues
    return lexicon(synonyms)


def test_places_and_synonyms_longest_first(real: dict[str, Any]) -> None:
    expressions = {tuple(words): targets for words, targets in real["expressions"]}
    assert expressions[("nord",)] == {"departement": ["59"]}
    assert expressions[("59",)] == {"departement": ["59"]}
    assert expressions[("pas", "de", "calais")] == {"departement": ["62"]}
    assert expressions[("hauts", "de", "france")] == {"region": ["32"]}
    assert expressions[("difficultes", "financieres")] == {"besoin": ["tresorerie"]}
    assert expressions[("asso", "sportive")] == {"structure": ["association"], "secteur": ["sport"]}
    sizes = [len(words) for words, _ in real["expressions"]]
    assert sizes == sorted(sizes, reverse=True)
    assert "pour" in real["vides"] and "etre" in real["vides"]  # folded as the script folds


def parse(queries: list[str], lex: dict[str, Any]) -> list[dict[str, Any]]:
    node = shutil.which("node")
    if node is None:
        pytest.fail("node est requis pour vérifier mots.js (make test-deps)")
    run = subprocess.run(
        [node, "-e", RUNNER, str(SCRIPT)],
        input=json.dumps({"queries": queries, "lexicon": lex}),
        capture_output=True,
        text=True,
        check=True,
    )
    found: list[dict[str, Any]] = json.loads(run.stdout)
    return found


CASES = [
    (
        "aide emploi asso 1 salarié Nord",
        {
            "besoin": ["emploi"],
            "structure": ["association"],
            "effectif": ["1-3"],
            "departement": ["59"],
        },
        [],
    ),
    (
        "subvention fonctionnement asso sportive 35",
        {
            "nature": ["subvention"],
            "structure": ["association"],
            "secteur": ["sport"],
            "departement": ["35"],
        },
        ["fonctionnement"],
    ),
    # One typo in a long word, accents and a final « s » do not matter.
    ("dificultés financieres", {"besoin": ["tresorerie"]}, []),
    ("subvension asociation", {"nature": ["subvention"], "structure": ["association"]}, []),
    ("TRESORERIE", {"besoin": ["tresorerie"]}, []),
    # « locaux » is the need, not « radios associatives locales ».
    ("locaux", {"besoin": ["locaux"]}, []),
    ("12 salariés", {"effectif": ["11-49"]}, []),
    ("sans salarié", {"effectif": ["0"]}, []),
    # No typo in a place's name; stop words count for nothing; unknown words stay as typed.
    ("savoir ANS pour le Théâtre", {"secteur": ["culture"]}, ["savoir", "ANS"]),
    ("radio", {}, ["radio"]),
]


def test_mots_js_reads_peoples_words(real: dict[str, Any]) -> None:
    answers = parse([q for q, _, _ in CASES], real)
    for (query, filters, words), answer in zip(CASES, answers, strict=True):
        assert answer["filtres"] == filters, query
        assert answer["mots"] == words, query
