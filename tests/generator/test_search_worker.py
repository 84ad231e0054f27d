from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from generator.enrich import enrich
from generator.indexing import search_document
from generator.listings import facet_values
from generator.search_worker import distinct_words, indexed_html, write_documents
from tests.generator.test_enrich import aide, catalog

TODAY = date(2026, 3, 1)
BODY = '<h2 id="qui">Qui</h2>\n<p>Les bénévoles, les <em>bénévoles</em> &amp; l&#39;emploi.</p>'


def document() -> dict[str, str]:
    site = enrich(catalog({"x": aide(porteurs=["Urssaf"])}), TODAY)
    return search_document(site.aides["x"], BODY)


def test_distinct_words_keeps_each_body_word_once() -> None:
    assert distinct_words(BODY) == "<p>Qui Les bénévoles, &amp; l'emploi.</p>"


def test_indexed_html_reduces_the_body_only() -> None:
    html = indexed_html(document()["html"])
    assert '<p data-pagefind-meta="resume">Résumé.</p>' in html
    assert "<p>Qui Les bénévoles, &amp; l'emploi.</p>" in html
    assert '<p data-pagefind-weight="5">Urssaf</p>' in html
    assert 'data-pagefind-filter="national">oui' in html
    assert "<h2" not in html


def test_indexed_html_refuses_an_unknown_document() -> None:
    with pytest.raises(ValueError):
        indexed_html("<main><h2>Qui</h2></main>")


def test_write_documents_writes_each_html_at_its_path(tmp_path: Path) -> None:
    line = json.dumps(document())
    assert write_documents([line], tmp_path) == 1
    html = (tmp_path / "aides" / "x" / "index.html").read_text(encoding="utf-8")
    assert html == indexed_html(document()["html"])


def test_territory_filters_are_compact() -> None:
    site = enrich(
        catalog(
            {
                "fr": aide(territoires=["FR"], exclusions=["DEP-59", "REG-94"]),
                "reg": aide(territoires=["REG-32"], exclusions=["DEP-62"]),
            }
        ),
        TODAY,
    )
    national = facet_values(site.aides["fr"])
    assert national["national"] == ("oui",)
    assert national["departement-hors"] == ("2A", "2B", "59")
    assert national["region-hors"] == ("94",)
    assert "departement-local" not in national
    regional = facet_values(site.aides["reg"])
    assert regional["departement-local"] == ("02", "59", "60", "80")
    assert regional["region-local"] == ("32",)
    assert "national" not in regional


def test_the_zone_filters_hold_an_aids_territories_as_written() -> None:
    """A commune's search asks `zone` for the territories covering it (FR, its region,
    department, EPCI, itself) and `zone-hors` for none of them."""
    site = enrich(
        catalog(
            {
                "roubaix": aide(territoires=["COM-59512"]),
                "fr": aide(territoires=["FR"], exclusions=["EPCI-200093201"]),
            }
        ),
        TODAY,
    )
    roubaix, national = facet_values(site.aides["roubaix"]), facet_values(site.aides["fr"])
    assert (roubaix["zone"], roubaix["zone-hors"]) == (("COM-59512",), ())
    assert (national["zone"], national["zone-hors"]) == (("FR",), ("EPCI-200093201",))


def test_broken_files_finds_what_pagefind_left_empty(tmp_path: Path) -> None:
    from generator.search_worker import broken_files

    (tmp_path / "fragment").mkdir()
    (tmp_path / "pagefind.js").write_text("export {}")
    (tmp_path / "fragment" / "a.pf_fragment").write_bytes(b"")
    assert broken_files(tmp_path) == ["fragment/a.pf_fragment", "pagefind-entry.json"]
    (tmp_path / "pagefind-entry.json").write_text("{}")
    (tmp_path / "fragment" / "a.pf_fragment").write_bytes(b"x")
    assert broken_files(tmp_path) == []
