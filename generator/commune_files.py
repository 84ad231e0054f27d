"""The small JSON files the commune field's suggestions read (theme/assets/aidess/communes.js,
docs/interfaces.md §5): a phone never downloads the 34,875 communes to pick one.

- /donnees/communes/<department>.json: `{"departement", "region", "communes": [[INSEE, name,
  [postcodes], EPCI SIREN or null], …]}`, read once the department is known (chosen, typed
  as a postcode, or in a name's suggestion) — it also gives the search a commune's region and
  EPCI, the territories that cover it (≤ 41 KB, Pas-de-Calais);
- /donnees/communes/noms/<key>.json: `[[INSEE, name, department], …]` of the names starting
  with `key` (`name_key`), for a name typed before any department (≤ 63 KB).
"""

from __future__ import annotations

import json
from pathlib import Path

from generator.content import territories
from generator.content.hints import fold

FOLDER = "communes"
NAMES = "noms"
_SAINTS = ("sainte ", "saint ")


def name_key(name: str) -> str:
    """The bucket of a name: its first two letters, folded (« ro » for Roubaix), or « st » and
    the first two letters after Saint/Sainte (« st-om » for Saint-Omer: 4,000 communes are
    Saint-something). The script computes the same key (communes.js `nameKey`)."""
    folded = fold(name)
    for saint in _SAINTS:
        if folded.startswith(saint):
            rest = folded[len(saint) :].replace(" ", "")
            return f"st-{rest[:2]}"
    return folded.replace(" ", "")[:2]


def _dump(path: Path, data: object) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), "utf-8")


def write_commune_files(out: Path) -> None:
    """Write the files under `out` (the site's /donnees/)."""
    ref, rows = territories.reference(), territories.communes().communes.values()
    folder, names = out / FOLDER, out / FOLDER / NAMES
    names.mkdir(parents=True, exist_ok=True)
    by_department: dict[str, list[object]] = {code: [] for code in ref.departments}
    by_name: dict[str, list[object]] = {}
    folded = {c.code: fold(c.nom) for c in rows}
    for commune in sorted(rows, key=lambda c: (folded[c.code], c.code)):
        by_department[commune.departement].append(
            [commune.code, commune.nom, list(commune.codes_postaux), commune.epci]
        )
        key = name_key(commune.nom)
        by_name.setdefault(key, []).append([commune.code, commune.nom, commune.departement])
    for code, listed in by_department.items():
        region = ref.departments[code].region
        _dump(folder / f"{code}.json", {"departement": code, "region": region, "communes": listed})
    for key, listed in by_name.items():
        _dump(names / f"{key}.json", listed)
