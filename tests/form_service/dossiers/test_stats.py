from __future__ import annotations

import csv
import io
import json
from datetime import datetime

from form_service.dossiers.stats import Facts, as_csv, as_json, lines
from form_service.dossiers.workdays import PARIS


def at(day: int, hour: int) -> datetime:
    return datetime(2026, 12, day, hour, tzinfo=PARIS)


FACTS = [
    Facts("59", ("emploi", "tresorerie"), at(1, 10), at(1, 14), False),  # 4 h
    Facts("59", ("emploi",), at(4, 16), at(7, 10), False),  # Fri 16 h → Mon 10 h: 18 h
    Facts("59", ("emploi",), at(2, 10), None, True),
    Facts("62", ("emploi",), at(2, 10), None, False),
    Facts("59", ("emploi",), datetime(2026, 11, 2, 10, tzinfo=PARIS), at(1, 9), False),
]


def test_lines_per_department_and_need() -> None:
    result = lines(FACTS, since=at(1, 0))
    table = {(r.departement, r.besoin): r for r in result}
    emploi = table[("59", "emploi")]
    assert (emploi.demandes, emploi.prises_en_charge, emploi.sans_suite) == (3, 2, 1)
    assert emploi.prises_en_2_jours == 2  # the same day; Friday 16 h → Monday 10 h
    assert emploi.delai_median_heures == 11.0  # median of 4 h and 18 h
    assert table[("59", "tresorerie")].delai_median_heures == 4.0
    assert table[("62", "emploi")].delai_median_heures is None
    assert len(lines(FACTS)) == 3 and lines(FACTS)[0].demandes == 4


def test_csv_and_json_hold_no_personal_data() -> None:
    rows = lines(FACTS)
    parsed = list(csv.DictReader(io.StringIO(as_csv(rows))))
    assert parsed[0] == {
        "departement": "59", "besoin": "emploi", "demandes": "4", "prises_en_charge": "3",
        "prises_en_2_jours": "2", "delai_median_heures": parsed[0]["delai_median_heures"],
        "sans_suite": "1",
    }  # fmt: skip
    assert parsed[-1]["delai_median_heures"] == ""
    data = json.loads(as_json(rows))
    assert set(data[0]) == {"departement", "besoin", "demandes", "prises_en_charge",
                            "prises_en_2_jours", "delai_median_heures", "sans_suite"}  # fmt: skip


def test_lines_per_region() -> None:
    result = lines(FACTS, par="region")
    assert {(r.departement, r.besoin): r.demandes for r in result} == {
        ("32", "emploi"): 5,  # Nord and Pas-de-Calais: Hauts-de-France
        ("32", "tresorerie"): 1,
    }
