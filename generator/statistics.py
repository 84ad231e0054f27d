"""`/statistiques/` (docs/interfaces.md §5): the public figures of the callback requests, built
from the file `aidess dossiers stats --format json` writes (AIDESS_STATS), per region and need,
each table with its bars drawn as SVG at build time (readable without JavaScript).

No cell under 5 requests is shown: in a region, the needs asked fewer than 5 times are merged
into « Autres besoins », and that line too is left out when it stays under 5; a region with
nothing left to show is only named. The figures hold no personal data to begin with.
"""

from __future__ import annotations

import html
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from generator.content.territories import reference
from generator.content.vocabularies import BESOINS
from generator.pages import PageSpec

URL: Final = "/statistiques/"
MIN_CELL: Final = 5  # requests: a smaller cell could point at one structure
COUNTS: Final = ("demandes", "prises_en_charge", "prises_en_2_jours", "sans_suite")
# Counted too when the file has them (older files do not): the requesters' answers, the aids.
EXTRA: Final = (
    "reponses_utile", "reponses_pas_aide", "reponses_pas_rappele", "aides_obtenues",
    "montant_obtenu",
)  # fmt: skip
OTHERS: Final = "Autres besoins"


class StatsError(ValueError):
    """A statistics file that cannot be read, with the French reason naming the file."""


@dataclass(frozen=True)
class Cell:
    """One region × need (or « Autres besoins ») of the page."""

    label: str
    demandes: int
    prises_en_2_jours: int
    sans_suite: int
    delai_median_heures: float | None  # None for a merged line (medians do not add up)
    # utile, pas aidé, pas rappelé; aids obtained and their total in euros
    reponses: tuple[int, int, int] = (0, 0, 0)
    aides_obtenues: int = 0
    montant_obtenu: int = 0

    @property
    def share_fast(self) -> float:
        return self.prises_en_2_jours / self.demandes


Figures = Mapping[str, Sequence[Cell]]  # the cells of each region, by its code


def _count(item: Mapping[str, Any], key: str, where: str) -> int:
    value = item.get(key)
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise StatsError(f"{where} : « {key} » doit être un entier positif ou nul")
    return value


def load(path: Path) -> Figures:
    """The file's lines by region code (a line per department is summed into its region), or
    StatsError."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise StatsError(f"{path} (AIDESS_STATS) illisible : {exc}") from None
    if not isinstance(data, list):
        raise StatsError(f"{path} (AIDESS_STATS) : une liste JSON est attendue")
    ref = reference()
    sums: dict[tuple[str, str], dict[str, int]] = {}
    medians: dict[tuple[str, str], float | None] = {}
    for n, item in enumerate(data, start=1):
        where = f"{path}, ligne {n}"
        if not isinstance(item, dict):
            raise StatsError(f"{where} : un objet est attendu")
        if "region" in item:
            region = str(item["region"])
        elif str(item.get("departement")) in ref.departments:
            region = ref.departments[str(item["departement"])].region
        else:
            raise StatsError(f"{where} : « region » ou « departement » inconnu")
        if region not in ref.regions:
            raise StatsError(f"{where} : région inconnue « {region} »")
        need = item.get("besoin")
        if need not in BESOINS:
            raise StatsError(f"{where} : besoin inconnu « {need} »")
        key = (region, str(need))
        counts = sums.setdefault(key, dict.fromkeys((*COUNTS, *EXTRA), 0))
        for name in COUNTS:
            counts[name] += _count(item, name, where)
        for name in EXTRA:
            counts[name] += _count(item, name, where) if name in item else 0
        median = item.get("delai_median_heures")
        # A median per department cannot be combined: kept only when the region has one line.
        medians[key] = None if key in medians else _median(median, where)
    out: dict[str, list[Cell]] = {}
    for (region, need), counts in sums.items():
        cell = Cell(
            BESOINS[need],
            counts["demandes"],
            counts["prises_en_2_jours"],
            counts["sans_suite"],
            medians[(region, need)],
            (counts["reponses_utile"], counts["reponses_pas_aide"], counts["reponses_pas_rappele"]),
            counts["aides_obtenues"],
            counts["montant_obtenu"],
        )
        out.setdefault(region, []).append(cell)
    return out


def _median(value: object, where: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise StatsError(f"{where} : « delai_median_heures » doit être un nombre positif")
    return float(value)


def shown(cells: Sequence[Cell]) -> list[Cell]:
    """The lines of a region that may be shown: 5 requests or more each, the rarer needs
    merged into « Autres besoins » (left out when that stays under 5)."""
    big = sorted((c for c in cells if c.demandes >= MIN_CELL), key=lambda c: -c.demandes)
    small = [c for c in cells if c.demandes < MIN_CELL]
    merged = Cell(
        OTHERS,
        sum(c.demandes for c in small),
        sum(c.prises_en_2_jours for c in small),
        sum(c.sans_suite for c in small),
        None,
        (
            sum(c.reponses[0] for c in small),
            sum(c.reponses[1] for c in small),
            sum(c.reponses[2] for c in small),
        ),
        sum(c.aides_obtenues for c in small),
        sum(c.montant_obtenu for c in small),
    )
    return [*big, merged] if merged.demandes >= MIN_CELL else big


def _percent(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}\u00a0%"


def bars(cells: Sequence[Cell], title: str) -> str:
    """Horizontal bars of the share taken within 2 working days, one per line, as SVG."""
    row, label_w, bar_w = 28, 230, 200
    height = row * len(cells) + 8
    parts = [
        f'<svg class="aidess-bars" role="img" viewBox="0 0 {label_w + bar_w + 60} {height}" '
        f'width="100%" aria-labelledby="{html.escape(title)}-t">',
        f'<title id="{html.escape(title)}-t">Part des demandes prises en charge en 2 jours '
        f"ouvrés, par besoin : {html.escape(title)}</title>",
    ]
    for n, cell in enumerate(cells):
        y = 4 + n * row
        width = round(bar_w * cell.share_fast)
        name = cell.label if len(cell.label) <= 34 else cell.label[:33] + "…"
        parts += [
            f'<text x="0" y="{y + 17}" font-size="13">{html.escape(name)}</text>',
            f'<rect x="{label_w}" y="{y + 4}" width="{bar_w}" height="18" fill="#e5e7eb"/>',
            f'<rect x="{label_w}" y="{y + 4}" width="{width}" height="18" fill="#166534"/>',
            f'<text x="{label_w + bar_w + 6}" y="{y + 17}" font-size="13">'
            f"{_percent(cell.prises_en_2_jours, cell.demandes)}</text>",
        ]
    parts.append("</svg>")
    return "".join(parts)


def _answers(c: Cell) -> str:
    """The requesters' answers, as shares, once 5 of them answered (else « — »)."""
    total = sum(c.reponses)
    if total < MIN_CELL:
        return "—"
    utile, pas_aide, pas_rappele = c.reponses
    return (
        f"{_percent(utile, total)} utile, {_percent(pas_aide, total)} pas aidé, "
        f"{_percent(pas_rappele, total)} pas rappelé ({total} réponses)"
    )


def _aids(c: Cell) -> str:
    if c.aides_obtenues < MIN_CELL:
        return "—"
    total = f"{c.montant_obtenu:,}".replace(",", "\u202f")
    return f"{c.aides_obtenues} ({total}\u00a0€)"


def _table(cells: Sequence[Cell], caption: str) -> str:
    head = (
        "<tr><th scope='col'>Besoin</th><th scope='col'>Demandes</th>"
        "<th scope='col'>Prises en charge en 2 jours ouvrés</th>"
        "<th scope='col'>Délai médian (heures ouvrées)</th><th scope='col'>Sans suite</th>"
        "<th scope='col'>Avez-vous été rappelé ?</th><th scope='col'>Aides obtenues</th></tr>"
    )
    rows = [
        f"<tr><th scope='row'>{html.escape(c.label)}</th><td>{c.demandes}</td>"
        f"<td>{_percent(c.prises_en_2_jours, c.demandes)}</td>"
        f"<td>{'—' if c.delai_median_heures is None else f'{c.delai_median_heures:g}'}</td>"
        f"<td>{_percent(c.sans_suite, c.demandes)}</td>"
        f"<td>{_answers(c)}</td><td>{_aids(c)}</td></tr>"
        for c in cells
    ]
    return (
        f"<table><caption>{html.escape(caption)}</caption><thead>{head}</thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def page(figures: Figures) -> PageSpec:
    ref = reference()
    blocks = [
        "<h1>Statistiques des demandes de rappel</h1>",
        "<p>Ce que deviennent les demandes de rappel envoyées depuis AidESS, par région et par "
        "besoin : combien ont été prises en charge par un réseau en 2 jours ouvrés, le délai "
        "médian jusqu'à la prise en charge (en heures ouvrées, du lundi au vendredi de 9 h à "
        "18 h) et la part restée sans suite. Une demande peut porter sur plusieurs besoins.</p>",
        f"<p>Aucune case ne compte moins de {MIN_CELL} demandes : les besoins plus rares sont "
        "regroupés dans «\u00a0Autres besoins\u00a0», ou non montrés, pour qu'aucune structure ne "
        "puisse être reconnue ; de même, les réponses des structures et les aides obtenues ne sont "
        f"données qu'à partir de {MIN_CELL}.</p>",
    ]
    hidden = []
    for code in sorted(figures, key=lambda c: ref.regions[c].nom):
        name = ref.regions[code].nom
        cells = shown(figures[code])
        if not cells:
            hidden.append(name)
            continue
        blocks += [
            f"<h2>{html.escape(name)}</h2>",
            bars(cells, name),
            _table(cells, f"Demandes de rappel en {name}, par besoin"),
        ]
    if hidden:
        blocks.append(
            "<p>Trop peu de demandes pour être montrées : "
            + html.escape(", ".join(hidden))
            + ".</p>"
        )
    if len(blocks) == 3 and not hidden:
        blocks.append("<p>Pas encore de demande de rappel.</p>")
    return PageSpec(URL, "Statistiques des demandes de rappel", before="\n".join(blocks))
