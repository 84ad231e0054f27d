"""`python -m bench --smoke` end to end, so the benchmarks cannot rot. Checks that every row
is there, that nothing is lost and each mail arrives once (SQLite, and PostgreSQL with 2
workers when it is installed); never checks timings (they mean nothing at this size)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from bench import form_steps, lighthouse, synthetic
from bench.__main__ import SMOKE, expected_keys
from generator.content.catalog import load
from generator.content.issues import errors
from generator.content.vocabularies import BESOINS, ETAPES, FAMILLES, NATURES, SECTEURS, STRUCTURES
from tests import pg_server

ROOT = Path(__file__).resolve().parents[2]


def test_synthetic_content_is_valid_and_uses_every_value(tmp_path: Path) -> None:
    synthetic.generate(synthetic.Plan(200, 40), tmp_path)
    catalog, issues = load(tmp_path, date.today())
    assert errors(issues) == []
    assert len(catalog.aides) == 200 and len(catalog.reseaux) == 40
    aides = [r.data for r in catalog.aides.values()]
    used = {
        "natures": {v for a in aides for v in a.natures},
        "besoins": {v for a in aides for v in a.besoins},
        "secteurs": {v for a in aides for v in a.secteurs},
        "structures": {v for a in aides for v in a.structures},
        "etapes": {v for a in aides for v in a.etapes or []},
        "familles": {r.data.famille for r in catalog.reseaux.values()},
    }
    assert used["natures"] == set(NATURES)
    assert used["besoins"] == set(BESOINS)
    assert used["secteurs"] == {*SECTEURS, "tous"}
    assert used["structures"] == set(STRUCTURES)
    assert used["etapes"] == set(ETAPES)
    assert used["familles"] == set(FAMILLES)
    levels = [a.territoires[0].split("-")[0] for a in aides]
    assert levels.count("FR") == 60 and levels.count("REG") == 60 and levels.count("DEP") == 80
    assert any(a.cloture and a.cloture < date.today() for a in aides)
    words = [len(r.body.split()) for r in catalog.aides.values()]
    assert min(words) >= 250 and sorted(words)[100] <= 550


@pytest.mark.charge  # needs wrk (tests/conftest.py SUITES)
def test_smoke_run_has_every_row_and_loses_nothing(tmp_path: Path) -> None:
    results = tmp_path / "rows.json"
    argv = [sys.executable, "-m", "bench", "--smoke", "--out", str(tmp_path / "RESULTS.md")]
    argv += ["--json", str(results), "--workdir", str(tmp_path / "work")]
    done = subprocess.run(
        argv,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    rows = {row["key"]: row for row in json.loads(results.read_text())}
    have_pg = pg_server.binaries() is not None
    pg_keys = set(form_steps.keys(form_steps.POSTGRES))
    assert set(expected_keys(SMOKE)) <= set(rows)
    table = (tmp_path / "RESULTS.md").read_text()
    assert "## Machine" in table and "## Versions" in table and "## Commandes" in table
    # Every step ran, except the browser ones when Chromium is missing, and Lighthouse when
    # bench/tools is not installed (`make bench-tools`; `make test` does not install it).
    browser_keys = {k for k in rows if k.startswith(("search.", "page.", "lighthouse."))}
    for key, row in rows.items():
        if key in browser_keys and "Chromium absent" in row["value"]:
            continue
        if key.startswith("lighthouse.") and lighthouse.unavailable() is not None:
            assert "absent" in row["value"], (key, row["value"])
            continue
        if key == "target.ratio":  # one size only in smoke mode
            continue
        if key in pg_keys and not have_pg:
            assert "PostgreSQL absent" in row["value"], (key, row["value"])
            continue
        assert not row["value"].startswith("non mesuré"), (key, row["value"])
    if lighthouse.unavailable() is None:
        for key in lighthouse.KEYS:  # a score out of 100 and the four metrics, whatever they are
            assert re.fullmatch(
                r"\d{1,3} \(FCP [\d,]+ s, LCP [\d,]+ s, CLS [\d,]+, TBT [\d ]+ ms\)",
                rows[key]["value"],
            ), rows[key]["value"]
            assert 0 <= int(rows[key]["value"].split()[0]) <= 100
    # Nothing lost (every 303 has its row), each mail received once and the outbox drained:
    # 1 worker on SQLite, and 2 workers on PostgreSQL with 2 senders when it is installed.
    checks = ["form.lost", "form.once", "outbox.rate", "floor.lost"]
    checks += ["pg.lost", "pg.once", "pg.outbox.rate"] if have_pg else []
    for key in checks:
        assert rows[key]["ok"] is True, (key, rows[key]["value"])
    if not have_pg:
        assert "PostgreSQL absent" in done.stderr
