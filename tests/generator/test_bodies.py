from __future__ import annotations

from datetime import date

import pytest
import yaml

import generator.bodies as bodies_module
from generator.bodies import EXTENSIONS, convert, convert_all, convert_bodies
from generator.enrich import enrich
from generator.rendering import CONFIG_FILE
from tests.generator.test_enrich import aide, catalog, reseau


def test_extensions_are_those_of_mkdocs_yml() -> None:
    config = yaml.safe_load(CONFIG_FILE.read_text(encoding="utf-8"))
    names = [e if isinstance(e, str) else next(iter(e)) for e in config["markdown_extensions"]]
    assert names == EXTENSIONS


def test_convert_gives_html_and_headings_with_ids() -> None:
    bodies = convert([("a", "## Qui\n\n*Tous*"), ("b", "## Qui\n\n[lien](https://x.example)")])
    assert bodies["a"].html == '<h2 id="qui">Qui</h2>\n<p><em>Tous</em></p>'
    assert bodies["b"].html.endswith('<a href="https://x.example">lien</a></p>')
    assert [(t["level"], t["id"], t["name"]) for t in bodies["b"].toc] == [(2, "qui", "Qui")]


def test_convert_bodies_of_aids_and_networks() -> None:
    site = enrich(catalog({"x": aide()}, {"r": reseau()}), date(2026, 3, 1))
    bodies = convert_bodies(site)
    assert set(bodies.aides) == {"x"} and set(bodies.reseaux) == {"r"}


def test_convert_all_in_processes_gives_the_same_bodies(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = [(f"k{i}", f"## Titre {i}\n\nTexte *{i}*") for i in range(5)]
    monkeypatch.setattr(bodies_module, "PARALLEL_FROM", 1)
    assert convert_all(texts, 2) == convert(texts)
