from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from generator.bodies import convert_bodies
from generator.enrich import enrich
from generator.indexing import BUNDLE, IndexError_, IndexJob, page_ids, search_document
from generator.result_cards import short
from tests.generator.test_enrich import aide, catalog

TODAY = date(2026, 3, 1)


def test_search_document_carries_meta_and_filters_not_the_chrome() -> None:
    site = enrich(
        catalog({"x": aide(titre="A <b>", secteurs=["tous"], porteurs=["Urssaf"])}), TODAY
    )
    document = search_document(site.aides["x"], '<h2 id="qui">Qui</h2>')
    html = document["html"]
    assert document["path"] == "aides/x/index.html"
    assert '<h1 data-pagefind-meta="title">A &lt;b&gt;</h1>' in html
    assert html.count('data-pagefind-filter="secteur"') == 13
    assert html.count('data-pagefind-filter="departement"') == 101
    assert '<span data-pagefind-meta="statut">Ouverte</span>' in html
    assert '<span data-pagefind-meta="territoire">France entière</span>' in html
    assert '<p data-pagefind-weight="5">Urssaf</p>' in html
    assert html.count('<h2 id="qui">Qui</h2>') == 1
    assert "Recruter, pérenniser un emploi · Subvention · Association · tous les secteurs" in html
    assert '<span data-pagefind-meta="etat">ouverte</span>' in html
    assert '<span data-pagefind-sort="cloture">9999-12-31</span>' in html
    assert "Être rappelé" not in html


def test_short() -> None:
    assert short("abc", 10) == "abc"
    assert short("a" * 20, 10) == "a" * 7 + "…"


def test_index_job_builds_the_bundle(tmp_path: Path) -> None:
    site = enrich(catalog({"x": aide(), "y": aide(titre="Autre")}), TODAY)
    (tmp_path / "site").mkdir()
    job = IndexJob(site, convert_bodies(site), tmp_path)
    assert job.finish(tmp_path / "site") == 2
    entry = json.loads((tmp_path / "site" / BUNDLE / "pagefind-entry.json").read_text())
    assert entry["languages"]["fr"]["page_count"] == 2


def test_page_ids_name_each_page_as_pagefind_s_results_do(tmp_path: Path) -> None:
    site = enrich(catalog({"x": aide(), "y": aide(titre="Autre")}), TODAY)
    (tmp_path / "site").mkdir()
    IndexJob(site, convert_bodies(site), tmp_path).finish(tmp_path / "site")
    ids = page_ids(tmp_path / "site" / BUNDLE)
    assert set(ids) == {"/aides/x/", "/aides/y/"}
    assert ids["/aides/x/"] != ids["/aides/y/"]
    # A result's id is its fragment's name: the search loads `fragment/<id>.pf_fragment`.
    for found in ids.values():
        assert found.startswith("fr_")
        assert (tmp_path / "site" / BUNDLE / "fragment" / f"{found}.pf_fragment").is_file()


def test_index_job_failure_is_reported(tmp_path: Path) -> None:
    site = enrich(catalog({"x": aide()}), TODAY)
    job = IndexJob(site, convert_bodies(site), tmp_path)
    job.process.wait()
    job.process = __import__("subprocess").Popen(["false"])  # a worker that failed
    (tmp_path / f"{'recherche'}.log").write_text("boom")
    with pytest.raises(IndexError_, match="boom"):
        job.finish(tmp_path)


def test_search_document_names_acronyms_places_amount_and_single_department() -> None:
    site = enrich(
        catalog(
            {
                "x": aide(
                    porteurs=["Agence nationale du Sport"],
                    territoires=["DEP-59"],
                    cloture="2026-05-31",
                    montant={"min": 1000, "max": 5000, "texte": "selon le projet"},
                )
            }
        ),
        TODAY,
    )
    html = search_document(site.aides["x"], "<p>Un DLA aide.</p>")["html"]
    assert "Agence nationale du Sport (ANS, DLA)</p>" in html
    assert '<span data-pagefind-filter="sigle">ANS</span>' in html
    assert '<p data-pagefind-weight="2">Nord 59</p>' in html
    assert '<span data-pagefind-meta="departement">59</span>' in html
    amount = "de 1\u202f000\u00a0€ à 5\u202f000\u00a0€"
    assert f'<span data-pagefind-meta="montant">{amount}</span>' in html
    assert '<span data-pagefind-sort="cloture">2026-05-31</span>' in html
