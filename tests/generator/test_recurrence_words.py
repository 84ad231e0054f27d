"""« permanente » and « sans date limite » are promises: only an aid whose recurrence is
`permanente` may make them, on its page, in the search results and in the open data."""

from __future__ import annotations

import csv
import json
import re
from datetime import date
from html import unescape
from pathlib import Path

from generator.content.catalog import load
from tests.conftest import REAL_CONTENT

WORDS = re.compile(r"permanente|sans date limite", re.IGNORECASE)


def _text(html: str) -> str:
    return unescape(re.sub(r"<[^>]+>", " ", html))


def test_only_permanent_aids_say_permanent(real_site: Path) -> None:
    catalog, _ = load(REAL_CONTENT, date.today())
    others = {s for s, r in catalog.aides.items() if r.data.recurrence != "permanente"}
    assert len(others) >= 15  # FDVA, ANS, closed one-off calls…
    said = []
    for slug in sorted(others):
        html = (real_site / "aides" / slug / "index.html").read_text(encoding="utf-8")
        said += [f"aides/{slug}: {m}" for m in WORDS.findall(_text(html))]
    aides = json.loads((real_site / "donnees" / "aides.json").read_text(encoding="utf-8"))
    for item in aides:
        if item["slug"] in others:
            said += [f"aides.json {item['slug']}: {m}" for m in WORDS.findall(json.dumps(item))]
    with (real_site / "donnees" / "aides.csv").open(encoding="utf-8") as handle:
        rows = {r["titre"]: r for r in csv.DictReader(handle)}
    for slug in others:
        row = rows[catalog.aides[slug].data.titre]
        said += [f"aides.csv {slug}: {m}" for m in WORDS.findall(" ".join(row.values()))]
    assert said == []


def test_permanent_aids_do_say_it(real_site: Path) -> None:
    """The check above can fail: the words are on the pages of permanent aids."""
    html = (real_site / "aides" / "dispositif-local-d-accompagnement" / "index.html").read_text(
        encoding="utf-8"
    )
    assert WORDS.search(_text(html))
