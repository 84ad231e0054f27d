"""The results table, the machine it ran on, the versions and the commands: printed, and
written to bench/RESULTS.md (and, on request, as JSON for the smoke test)."""

from __future__ import annotations

import json
import os
import platform
import sqlite3
import subprocess
import sys
from dataclasses import asdict, dataclass, field
from datetime import datetime
from importlib import metadata
from pathlib import Path

NOT_RUN = "non mesuré"
# Kept by hand in bench/CHANGES.md (this file is rewritten by every run): linked from each run.
CHANGES = (
    "\n## Ce que chaque changement a apporté\n\n"
    "Avant / après, étape par étape, pour chaque optimisation : voir [CHANGES.md](CHANGES.md)"
    " (site) et [CHANGES-form.md](CHANGES-form.md) (formulaire).\n"
    "\n## Cibles non atteintes, et pourquoi\n\n"
    "- Première recherche par mots ≤ 250 Ko / ≤ 1 s (cache vide, depuis son adresse) : dans un"
    " territoire, la recherche lit sa liste (~220 Ko à 10 000 aides : de quoi filtrer, classer"
    " et dessiner chacune de ses ~3 300 aides, sans un fragment par résultat) et demande à"
    " Pagefind les seules pages que trouvent les mots ; Pagefind seul charge ~200–215 Ko fixes"
    " (WASM 71, JS 25, `pf_meta` 116–132 : ses pages ~62 Ko et ses trois tris 50–66 Ko, selon"
    " l'ordre où Pagefind les écrit) puis le bloc d'index du mot (« emploi », dans 90 % des"
    " aides synthétiques : 51 Ko). Hors d'atteinte à froid ; une fois le département choisi"
    " (sa liste chargée), les mots ne coûtent que Pagefind (ligne « Puis « emploi » tapé »)."
    " Temps : Pagefind classe les ~9 000 pages qui contiennent « emploi » dans son worker"
    " (0,4–0,9 s ici) au bout de sa chaîne de 5 requêtes.\n"
    "- Construction ≤ 1,1× ses planchers et pic ≤ 500 Mo : voir la ligne et la charge de la"
    " machine (2 cœurs partagés) ; le rendu MkDocs et l'index Pagefind en parallèle souffrent"
    " le plus quand d'autres occupent les cœurs.\n"
    "- Formulaire p99 ≤ 100 ms : en régime établi le p99 est de 48–55 ms ; le dépassement vient"
    " des 2 premières secondes (premier calcul de chaque profil, réserve de threads).\n"
)


@dataclass
class Row:
    key: str  # stable identifier, checked by the smoke test
    label: str
    value: str
    target: str = ""
    ok: bool | None = None

    @property
    def mark(self) -> str:
        return {True: "✅", False: "❌", None: ""}[self.ok]


@dataclass
class Report:
    title: str
    rows: list[Row] = field(default_factory=list)
    commands: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(
        self, key: str, label: str, value: str, target: str = "", ok: bool | None = None
    ) -> None:
        self.rows.append(Row(key, label, value, target, ok))

    def missing(self, key: str, why: str, label: str = "") -> None:
        self.rows.append(Row(key, label or key, f"{NOT_RUN} : {why}"))

    def command(self, text: str) -> None:
        self.commands.append(text)

    def note(self, text: str) -> None:
        self.notes.append(text)

    def table(self) -> str:
        lines = ["| Mesure | Valeur | Cible | |", "|---|---|---|---|"]
        for row in self.rows:
            cells = [row.label, row.value, row.target, row.mark]
            lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
        return "\n".join(lines)

    def markdown(self) -> str:
        machine = "\n".join(f"- {k} : {v}" for k, v in machine_info().items())
        versions = "\n".join(f"- {k} {v}" for k, v in versions_info().items())
        commands = "\n".join(f"    {c}" for c in self.commands)
        notes = "\n\n".join(self.notes)
        invoked = " ".join([".venv/bin/python -m bench", *sys.argv[1:]])
        return (
            f"# {self.title}\n\n"
            f"Produit par `{invoked}` le {datetime.now():%Y-%m-%d %H:%M}.\n\n"
            f"{self.table()}\n\n## Machine\n\n{machine}\n\n## Versions\n\n{versions}\n\n"
            f"## Commandes\n\n{commands}\n"
            + (f"\n## Notes\n\n{notes}\n" if notes else "")
            + CHANGES
        )

    def json(self) -> str:
        return json.dumps([asdict(r) for r in self.rows], ensure_ascii=False, indent=1)


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "inconnu"


def _memory() -> str:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 1024 / 1024:.1f} Go"
    except OSError:
        pass
    return "inconnue"


def machine_info() -> dict[str, str]:
    return {
        "nproc": str(os.cpu_count()),
        "mémoire": _memory(),
        "processeur": _cpu_model(),
        "système": f"{platform.system()} {platform.release()}",
    }


def _tool_version(argv: list[str]) -> str:
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired):
        return "absent"
    text = (done.stdout or done.stderr).strip().splitlines()
    return text[0] if text else "absent"


def versions_info() -> dict[str, str]:
    found = {"Python": platform.python_version()}
    for dist in (
        "mkdocs",
        "mkdocs-material",
        "pagefind",
        "Jinja2",
        "Markdown",
        "starlette",
        "uvicorn",
        "python-multipart",
        "aiosmtpd",
        "playwright",
    ):
        try:
            found[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            found[dist] = "absent"
    found["wrk"] = _tool_version(["wrk", "--version"])
    found["chromium"] = _tool_version(["/usr/bin/chromium", "--version"])
    found["sqlite"] = sqlite3.sqlite_version
    return found
