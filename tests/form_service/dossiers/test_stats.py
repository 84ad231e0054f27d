from __future__ import annotations

import csv
import io
import json
from datetime import datetime

from form_service.dossiers.stats import Facts, aids_obtained, as_csv, as_json, lines
from form_service.dossiers.workdays import PARIS


def at(day: int, hour: int) -> datetime:
    return datetime(2026, 12, day, hour, tzinfo=PARIS)


def facts(
    departement: str,
    besoins: tuple[str, ...],
    created: datetime,
    taken: datetime | None,
    sans_suite: tuple[str, ...] = (),
    answer: str | None = None,
    aides: tuple[int, ...] = (),
) -> Facts:
    """A dossier whose needs were all taken at `taken` (or none)."""
    return Facts(departement, besoins, created, dict.fromkeys(besoins, taken), sans_suite,
                 answer, aides)  # fmt: skip


FACTS = [
    facts("59", ("emploi", "tresorerie"), at(1, 10), at(1, 14)),  # 4 h
    facts("59", ("emploi",), at(4, 16), at(7, 10)),  # Fri 16 h → Mon 10 h: 3 working hours
    facts("59", ("emploi",), at(2, 10), None, ("emploi",)),
    facts("62", ("emploi",), at(2, 10), None),
    facts("59", ("emploi",), datetime(2026, 11, 2, 10, tzinfo=PARIS), at(1, 9)),
]


def test_lines_per_department_and_need() -> None:
    result = lines(FACTS, since=at(1, 0))
    table = {(r.departement, r.besoin): r for r in result}
    emploi = table[("59", "emploi")]
    assert (emploi.demandes, emploi.prises_en_charge, emploi.sans_suite) == (3, 2, 1)
    assert emploi.prises_en_2_jours == 2  # the same day; Friday 16 h → Monday 10 h
    assert emploi.delai_median_heures == 3.5  # median of 4 h and 3 h (Fri 16 h → Mon 10 h)
    assert table[("59", "tresorerie")].delai_median_heures == 4.0
    assert table[("62", "emploi")].delai_median_heures is None
    assert len(lines(FACTS)) == 3 and lines(FACTS)[0].demandes == 4


def test_csv_and_json_hold_no_personal_data() -> None:
    rows = lines(FACTS)
    parsed = list(csv.DictReader(io.StringIO(as_csv(rows))))
    assert parsed[0] == {
        "departement": "59", "besoin": "emploi", "demandes": "4", "prises_en_charge": "3",
        "prises_en_2_jours": "2", "delai_median_heures": parsed[0]["delai_median_heures"],
        "sans_suite": "1", "reponses_utile": "0", "reponses_pas_aide": "0",
        "reponses_pas_rappele": "0", "aides_obtenues": "0", "montant_obtenu": "0",
    }  # fmt: skip
    assert parsed[-1]["delai_median_heures"] == ""
    data = json.loads(as_json(rows))
    assert set(data[0]) == {"departement", "besoin", "demandes", "prises_en_charge",
                            "prises_en_2_jours", "delai_median_heures", "sans_suite",
                            "reponses_utile", "reponses_pas_aide", "reponses_pas_rappele",
                            "aides_obtenues", "montant_obtenu"}  # fmt: skip


def test_lines_per_region() -> None:
    result = lines(FACTS, par="region")
    assert {(r.departement, r.besoin): r.demandes for r in result} == {
        ("32", "emploi"): 5,  # Nord and Pas-de-Calais: Hauts-de-France
        ("32", "tresorerie"): 1,
    }


def test_sans_suite_per_need_answers_and_aids() -> None:
    dossiers = [
        # Cash flow closed « sans suite », the business model taken: one of each.
        facts("59", ("tresorerie", "modele-economique"), at(1, 10), at(1, 11), ("tresorerie",),
              "non"),
        facts("59", ("tresorerie",), at(1, 10), at(1, 11), (), "oui-utile", (15000, 0)),
        facts("59", ("tresorerie",), at(1, 10), None, ("tresorerie",)),
    ]  # fmt: skip
    table = {r.besoin: r for r in lines(dossiers)}
    cash, model = table["tresorerie"], table["modele-economique"]
    assert (cash.sans_suite, model.sans_suite) == (2, 0)
    assert (cash.reponses_utile, cash.reponses_pas_rappele, model.reponses_pas_rappele) == (1, 1, 1)
    assert (cash.aides_obtenues, cash.montant_obtenu) == (2, 15000)
    assert aids_obtained(["orientee", "aide-obtenue pret 2500", "aide-obtenue - -"]) == (2500, 0)


def test_a_needs_delay_counts_from_the_prendre_of_a_network_holding_it() -> None:
    from form_service.dossiers.model import Dossier, Event, Recipient
    from form_service.dossiers.stats import facts_of

    def holder(rid: str, needs: tuple[str, ...]) -> Recipient:
        return Recipient(rid, "reseau", rid, rid, f"{rid}@x.example", at(1, 10), "routage", needs)

    d = Dossier(
        "d1", "AID-2026-00001", at(1, 10), "59", ("tresorerie", "emploi"),
        (holder("r1", ("tresorerie",)), holder("r2", ("emploi",))),
        (Event(at(1, 12), "r2", "prendre", id=1), Event(at(7, 10), "r1", "prendre", id=2),
         Event(at(8, 10), "r1", "terminer", None, "aide-obtenue - 3000", id=3)),
    )  # fmt: skip
    table = {r.besoin: r for r in lines([facts_of(d)])}
    assert table["emploi"].delai_median_heures == 2.0
    assert table["emploi"].prises_en_2_jours == 1
    # Tue 10 h → Mon 10 h: 8 h, three days of 9 h, 1 h.
    assert table["tresorerie"].delai_median_heures == 36.0
    assert table["tresorerie"].prises_en_2_jours == 0
    assert (table["tresorerie"].aides_obtenues, table["tresorerie"].montant_obtenu) == (1, 3000)
