"""/donnees/aides.csv is valid against Etalab's `dispositif-aide` 0.2.0 Table Schema (vendored
in tests/data/), checked with frictionless as a reuser of data.gouv.fr would."""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path

from frictionless import Report, Resource, Schema

from generator.enrich import enrich
from generator.exports import write_exports
from tests.generator.test_enrich import aide, catalog

SCHEMA = Path(__file__).resolve().parents[1] / "data" / "dispositif-aide-0.2.0.schema.json"
TODAY = date(2026, 3, 1)


def validate(folder: Path) -> Report:
    """frictionless refuses paths outside its base folder: read the CSV from its own folder."""
    schema = Schema.from_descriptor(json.loads(SCHEMA.read_text(encoding="utf-8")))
    return Resource(path="aides.csv", schema=schema, basepath=str(folder)).validate()


def errors(report: Report) -> list[str]:
    return [
        f"ligne {r}, {f} : {n}" for r, f, n in report.flatten(["rowNumber", "fieldName", "note"])
    ]


def test_built_csv_is_valid(real_site: Path) -> None:
    report = validate(real_site / "donnees")
    assert errors(report) == []
    assert report.valid


def test_corsica_is_exported_with_digit_codes(tmp_path: Path) -> None:
    site = enrich(
        catalog(
            {
                "corse-du-sud": aide(territoires=["DEP-2A"]),
                "corse": aide(territoires=["DEP-2A", "DEP-2B", "DEP-971"]),
                "france-sauf-2b": aide(territoires=["FR"], exclusions=["DEP-2B", "DEP-59"]),
            }
        ),
        TODAY,
    )
    write_exports(site, tmp_path)
    assert errors(validate(tmp_path)) == []
    with (tmp_path / "aides.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    geo = [(r["eligibilite_geographique"], r["eligibilite_geographique_exclusions"]) for r in rows]
    assert sorted(geo) == [("PAYS-99100", "DEP-59"), ("REG-94", ""), ("REG-94|DEP-971", "")]
    notes = sorted(r["eligibilite"].splitlines()[-1] for r in rows)
    assert notes == [
        "• Sauf : Haute-Corse (2B)",
        "• Territoire exact en Corse : Corse-du-Sud (2A)",
        "• Territoire exact en Corse : Corse-du-Sud (2A), Haute-Corse (2B)",
    ]


def test_the_validator_rejects_a_promise_over_180_characters(tmp_path: Path) -> None:
    """The check above can fail: Etalab's `promesse` limit is enforced."""
    site = enrich(catalog({"longue": aide()}), TODAY)
    write_exports(site, tmp_path)
    path = tmp_path / "aides.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("Résumé.", "x" * 181), "utf-8")
    assert any("promesse" in e for e in errors(validate(tmp_path)))


def test_eligibility_says_the_agreements_and_the_staff_required(tmp_path: Path) -> None:
    """A reuser reading the CSV alone learns an aid is for GEIQ employers, not any association."""
    site = enrich(
        catalog(
            {
                "geiq": aide(titre="GEIQ", agrements=["geiq"], effectif_min=1),
                "libre": aide(titre="Libre"),
            }
        ),
        TODAY,
    )
    write_exports(site, tmp_path)
    with (tmp_path / "aides.csv").open(encoding="utf-8") as handle:
        rows = {r["titre"]: r["eligibilite"] for r in csv.DictReader(handle)}
    geiq, libre = rows["GEIQ"], rows["Libre"]
    assert "• Agréments requis : Reconnaissance GEIQ" in geiq
    assert "• Effectif minimum : 1 ETP" in geiq
    assert "Agréments" not in libre and "Effectif minimum" not in libre
