"""The visitor's answers carried to the callback form (docs/interfaces.md §5, « the answers
travel »): one mapping, generator/content/urls.py SEARCH_TO_FORM, written into the pages whose
scripts carry them, and theme/assets/aidess/etat.js `callbackUrl` reading it."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from generator.content import urls
from generator.pages import PARCOURS_SCRIPT, STATE_SCRIPT, PageSpec

SCRIPT = Path(__file__).resolve().parents[2] / "theme" / "assets" / "aidess" / "etat.js"
RUNNER = """
const etat = require(process.argv[1]);
const input = JSON.parse(require("fs").readFileSync(0, "utf8"));
console.log(JSON.stringify(input.cases.map(c => {
  const state = etat.blank();
  Object.assign(state.filters, c.filters);
  state.commune = c.commune || "";
  return etat.callbackUrl(state, input.mapping, "/demande/", c.slug, c.departement);
})));
"""


def callback_urls(cases: list[dict[str, Any]]) -> list[dict[str, list[str]]]:
    node = shutil.which("node")
    if node is None:
        pytest.fail("node est requis pour vérifier etat.js (make test-deps)")
    run = subprocess.run(
        [node, "-e", RUNNER, str(SCRIPT)],
        input=json.dumps({"cases": cases, "mapping": urls.SEARCH_TO_FORM}),
        capture_output=True,
        text=True,
        check=True,
    )
    found: list[str] = json.loads(run.stdout)
    assert all(url.startswith("/demande/") for url in found)
    return [parse_qs(urlsplit(url).query) for url in found]


def test_every_answer_reaches_the_form_under_its_name() -> None:
    (got,) = callback_urls(
        [
            {
                "filters": {
                    "departement": ["59"],
                    "structure": ["association"],
                    "effectif": ["1-3"],
                    "secteur": ["culture"],
                    "besoin": ["emploi", "tresorerie"],
                    "etape": ["developpement"],
                    "nature": ["pret"],
                },
                "commune": "59512",
                "slug": "dasess-nord",
            }
        ]
    )
    assert got == {
        "aide": ["dasess-nord"],
        "departement": ["59"],
        "commune": ["59512"],
        "forme": ["association"],
        "effectif": ["1-3"],
        "secteur": ["culture"],
        "besoins": ["emploi", "tresorerie"],
        "etape": ["developpement"],
    }


def test_several_values_leave_the_choice_to_the_form() -> None:
    several, none = callback_urls(
        [
            {
                "filters": {
                    "departement": ["59", "62"],
                    "structure": ["association", "cooperative"],
                    "besoin": ["emploi", "tresorerie", "locaux", "formation", "numerique", "x"],
                },
                "departement": "62",
            },
            {"filters": {}},
        ]
    )
    # The aid's own department when the search has not one; the first five needs.
    assert several == {
        "departement": ["62"],
        "besoins": ["emploi", "tresorerie", "locaux", "formation", "numerique"],
    }
    assert none == {}


def test_the_pages_that_carry_answers_get_the_mapping() -> None:
    for script in (PARCOURS_SCRIPT, STATE_SCRIPT):
        spec = PageSpec("/x/", "X", helpers=(script,))
        assert json.loads(spec.answers) == urls.SEARCH_TO_FORM
    assert PageSpec("/y/", "Y", script="assets/aidess/demande.js").answers == ""
