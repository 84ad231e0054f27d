"""Rebuild generator/content/data/communes.json.gz from the official open data.

    python -m generator.content.refresh_territories [--version 6.0.0]

It installs the pinned npm package `@etalab/decoupage-administratif` into a temporary folder
(`npm install --prefix`), reads its JSON (Insee's COG, the DGCL's EPCI list, La Poste's
postcodes) and writes the compact file the site and the service read
(generator/content/data/README.md says what is kept and why). Update `VERSION` and
territories.SOURCE together; tests/generator/content/test_territories.py checks they agree.
Standard library only, like the rest of generator/content/.
"""

from __future__ import annotations

import argparse
import gzip
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

PACKAGE = "@etalab/decoupage-administratif"
VERSION = "6.0.0"
OUTPUT = Path(__file__).parent / "data" / "communes.json.gz"
# The departments the project knows (territoires.json): the 101 of metropolitan France and
# the five overseas departments. The collectivités d'outre-mer (975, 977, 978, 984, 986-989)
# have communes in the package but no department in the COG reference nor any EPCI.
ZONES = ("metro", "drom")
KEPT_FORMER = ("arrondissement-municipal", "commune-deleguee", "commune-associee")


def fetch(version: str, folder: Path) -> tuple[Path, str]:
    """Install the package into `folder`; its data folder and its publication date."""
    spec = f"{PACKAGE}@{version}"
    subprocess.run(
        ["npm", "install", "--prefix", str(folder), "--no-audit", "--no-fund", spec],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    times = json.loads(
        subprocess.run(
            ["npm", "view", spec, "time", "--json"], check=True, capture_output=True, text=True
        ).stdout
    )
    published = str(times.get(version, ""))[:10]
    return folder / "node_modules" / PACKAGE / "data", published


def compact(data: Path, version: str, published: str) -> dict[str, Any]:
    """The rows the project keeps, in COG order."""
    communes = json.loads((data / "communes.json").read_text(encoding="utf-8"))
    epcis = json.loads((data / "epci.json").read_text(encoding="utf-8"))
    current = {
        c["code"]: c for c in communes if c["type"] == "commune-actuelle" and c.get("zone") in ZONES
    }
    epci_of: dict[str, str] = {}
    for epci in epcis:
        for member in epci["membres"]:
            if member["code"] in epci_of:
                raise ValueError(f"commune {member['code']} dans deux EPCI")
            epci_of[member["code"]] = epci["code"]
    rows = [
        [code, c["nom"], c["departement"], epci_of.get(code), sorted(c.get("codesPostaux", []))]
        for code, c in sorted(current.items())
    ]
    former = sorted(
        [c["code"], c["nom"], c.get("commune") or c.get("chefLieu"), c["type"]]
        for c in communes
        if c["type"] in KEPT_FORMER
        and c["code"] not in current
        and (c.get("commune") or c.get("chefLieu")) in current
    )
    # One row per code: a commune déléguée and a commune associée may share an old code.
    unique_former = list({row[0]: row for row in former}.values())
    return {
        "source": {
            "paquet": PACKAGE,
            "version": version,
            "date": published,
            "licence": "Licence Ouverte 2.0 (Etalab)",
            "origine": "Insee (Code officiel géographique), DGCL (EPCI à fiscalité propre), "
            "La Poste (codes postaux)",
        },
        "epci": sorted([e["code"], e["nom"], e["type"]] for e in epcis),
        "communes": rows,
        "anciennes": unique_former,
    }


def write(payload: dict[str, Any], output: Path = OUTPUT) -> None:
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    # mtime=0: the same data gives the same bytes, so a refresh without change is no diff.
    output.write_bytes(gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--version", default=VERSION)
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        data, published = fetch(args.version, Path(tmp))
        payload = compact(data, args.version, published)
    write(payload, args.output)
    print(
        f"{args.output}: {len(payload['communes'])} communes, {len(payload['epci'])} EPCI, "
        f"{args.output.stat().st_size} octets ({PACKAGE}@{args.version}, {published})",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
