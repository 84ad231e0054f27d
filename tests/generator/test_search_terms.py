from __future__ import annotations

from datetime import date

from generator.enrich import enrich
from generator.search_terms import (
    acronyms,
    deadline_key,
    labels,
    single_department,
    territory_names,
)
from tests.generator.test_enrich import aide, catalog

TODAY = date(2026, 3, 1)


def entry(**changes: object):  # type: ignore[no-untyped-def]
    return enrich(catalog({"x": aide(**changes)}), TODAY).aides["x"]


def test_acronyms_written_and_of_carriers() -> None:
    found = acronyms(
        entry(titre="FDVA 2 – Nord", porteurs=["Agence nationale du Sport", "Urssaf"]),
        "<p>Le DLA et la CRESS, sur 3 ans (DEP-59, FR).</p>",
    )
    assert found == ("ANS", "CRESS", "DLA", "FDVA")


def test_labels_are_the_french_words_of_the_vocabularies() -> None:
    words = labels(entry(besoins=["tresorerie"], natures=["pret"], secteurs=["sport"]))
    assert words == ["Trésorerie, difficultés financières", "Prêt", "Association", "Sport"]
    assert labels(entry(secteurs=["tous"]))[-1] == "tous les secteurs"


def test_territory_names() -> None:
    assert territory_names(["FR"]) == ["France entière"]
    assert territory_names(["DEP-2A"]) == ["Corse-du-Sud 2A"]
    names = territory_names(["REG-32", "DEP-59"])
    assert names[0] == "Hauts-de-France" and "Somme" in names and "Nord" in names
    assert "Nord 59" in names


def test_single_department_and_deadline_key() -> None:
    assert single_department(entry(territoires=["DEP-35"])) == "35"
    assert single_department(entry(territoires=["REG-53"])) == ""
    assert deadline_key(entry(cloture="2026-04-30")) == "2026-04-30"
    assert deadline_key(entry()) == "9999-12-31"
