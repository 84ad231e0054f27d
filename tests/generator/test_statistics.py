"""/statistiques/: the public figures from `aidess dossiers stats --format json`, per region and
need, no cell under 5 requests, bars drawn as SVG at build time."""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path

import pytest

from form_service.dossiers.stats import Facts, as_json, lines
from form_service.dossiers.workdays import PARIS
from generator.build import build, build_into
from generator.content.catalog import load as load_catalog
from generator.content.issues import errors
from generator.enrich import enrich
from generator.settings import Settings
from generator.statistics import Cell, StatsError, load, shown
from tests.generator.test_build import TODAY, write_small


def cell(label: str, demandes: int, fast: int = 0) -> Cell:
    return Cell(label, demandes, fast, 0, 10.0)


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        ([cell("A", 12), cell("B", 7), cell("C", 3), cell("D", 1)], [("A", 12), ("B", 7)]),
        ([cell("A", 12), cell("C", 3), cell("D", 2)], [("A", 12), ("Autres besoins", 5)]),
        ([cell("C", 3), cell("D", 1)], []),  # nothing shown: the region is only named
        ([cell("B", 5), cell("A", 9)], [("A", 9), ("B", 5)]),
    ],
)
def test_no_cell_under_five(cells: list[Cell], expected: list[tuple[str, int]]) -> None:
    result = shown(cells)
    assert [(c.label, c.demandes) for c in result] == expected
    assert all(c.demandes >= 5 for c in result)


def at(day: int) -> datetime:
    return datetime(2026, 12, day, 10, tzinfo=PARIS)


def stats_file(path: Path) -> Path:
    """What `aidess dossiers stats --format json` writes: 12 requests about jobs in the Nord,
    9 taken the same day, 6 answers, 5 aids of 10,000 €; 3 about cash flow and 2 about
    governance in the Pas-de-Calais; 2 in Brittany."""
    answers = ["oui-utile"] * 4 + ["oui-inutile", "non"] + [None] * 6
    facts = [
        Facts(
            "59", ("emploi",), at(1), {"emploi": at(1) if n < 9 else None},
            ("emploi",) if n == 11 else (), answers[n], (10000,) if n < 5 else (),
        )
        for n in range(12)
    ]  # fmt: skip
    facts += [Facts("62", ("tresorerie",), at(2), {"tresorerie": None}) for _ in range(3)]
    facts += [Facts("62", ("gouvernance",), at(2), {"gouvernance": at(3)}) for _ in range(2)]
    facts += [Facts("29", ("numerique",), at(2), {"numerique": None}) for _ in range(2)]  # Bretagne
    path.write_text(as_json(lines(facts)), encoding="utf-8")
    return path


def test_a_file_per_region_reads_as_such(tmp_path: Path) -> None:
    path = tmp_path / "regions.json"
    facts = [Facts("62", ("emploi",), at(1), {"emploi": at(1)}) for _ in range(6)]
    path.write_text(as_json(lines(facts, par="region"), "region"), encoding="utf-8")
    assert [c.demandes for c in load(path)["32"]] == [6]  # region 32, not the Gers (dept 32)


def test_departments_add_up_into_regions(tmp_path: Path) -> None:
    figures = load(stats_file(tmp_path / "stats.json"))
    assert sorted(figures) == ["32", "53"]
    hdf = {c.label: c for c in figures["32"]}
    assert hdf["Recruter, pérenniser un emploi"].demandes == 12
    assert hdf["Recruter, pérenniser un emploi"].prises_en_2_jours == 9


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{", "illisible"),
        ('{"a": 1}', "une liste JSON est attendue"),
        ('[{"departement": "59", "besoin": "emploi", "demandes": -1}]', "« demandes »"),
        ('[{"departement": "00", "besoin": "emploi"}]', "« region » ou « departement »"),
        ('[{"region": "32", "besoin": "danse"}]', "besoin inconnu « danse »"),
    ],
)
def test_a_bad_file_is_refused_in_french(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "stats.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(StatsError, match=message) as caught:
        load(path)
    assert str(path) in str(caught.value)


def test_the_page_is_built_with_its_bars_and_no_small_cell(tmp_path: Path) -> None:
    catalog, issues = load_catalog(write_small(tmp_path / "content"), TODAY)
    assert not errors(issues)
    (tmp_path / "work").mkdir()
    figures = load(stats_file(tmp_path / "stats.json"))
    site = build_into(enrich(catalog, TODAY), tmp_path / "work", Settings(), figures=figures)
    page = (site / "statistiques" / "index.html").read_text(encoding="utf-8")
    main = page.split("<h1", 1)[1]
    assert "Hauts-de-France" in main and "<svg" in main
    cells = [int(n) for n in re.findall(r"<tr><th scope=.row.>[^<]+</th><td>(\d+)</td>", main)]
    assert cells == [12, 5]  # jobs, then cash flow and governance merged
    assert min(cells) >= 5
    assert "Autres besoins" in main and "75\u00a0%" in main  # 9 of 12 within 2 working days
    assert "Trop peu de demandes pour être montrées : Bretagne." in main
    assert "67\u00a0% utile, 17\u00a0% pas aidé, 17\u00a0% pas rappelé (6 réponses)" in main
    assert "<td>5 (50\u202f000\u00a0€)</td>" in main
    assert main.count("<td>—</td>") >= 3  # the merged line: no median, answers nor aids
    assert "Gouvernance" not in main  # 2 requests: merged, never shown alone
    donnees = (site / "donnees" / "index.html").read_text(encoding="utf-8")
    assert 'href="/statistiques/"' in donnees


def test_a_bad_stats_file_stops_the_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "stats.json"
    bad.write_text(json.dumps([{"region": "99", "besoin": "emploi"}]), encoding="utf-8")
    monkeypatch.setenv("AIDESS_STATS", str(bad))
    out = tmp_path / "site"
    assert build(write_small(tmp_path / "content"), out, TODAY) == 1
    assert "région inconnue « 99 »" in capsys.readouterr().err and not out.exists()
