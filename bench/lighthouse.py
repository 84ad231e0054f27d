"""Lighthouse's performance score (phone) of the home page and an aid page, on the site built
from the repository's own content (`content/`), served on loopback with gzip.

Lighthouse is pinned in bench/tools/package-lock.json (`make bench` installs it with `npm ci`);
it drives Debian's Chromium. Without node or Lighthouse the rows say so, loudly."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench import browser, load
from bench.measure import run
from bench.report import Report

ROOT = Path(__file__).resolve().parents[1]
TOOLS = ROOT / "bench" / "tools"
BINARY = TOOLS / "node_modules" / ".bin" / "lighthouse"
VERSION = "12.2.3"  # 13 needs Node 22; Debian's is 20
AIDE = "postes-fonjep"  # the aid page measured by hand in bench/LIGHTHOUSE.md
TIMEOUT = 240.0
FLAGS = [
    "--only-categories=performance",
    "--form-factor=mobile",
    "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
    "--output=json",
    "--quiet",
]
GREEN = 90  # Lighthouse's own « bon » line
KEYS = ["lighthouse.home", "lighthouse.aide"]
AUDITS = {
    "fcp": "first-contentful-paint",
    "lcp": "largest-contentful-paint",
    "cls": "cumulative-layout-shift",
    "tbt": "total-blocking-time",
}


@dataclass(frozen=True)
class Figures:
    score: int  # 0–100
    fcp_ms: float
    lcp_ms: float
    cls: float
    tbt_ms: float
    warnings: tuple[str, ...]


def figures(result: dict[str, Any]) -> Figures:
    """The score and four metrics of one Lighthouse JSON report; a French error if absent
    (Lighthouse writes a null score when the page could not be measured)."""
    score = result.get("categories", {}).get("performance", {}).get("score")
    if score is None:
        why = result.get("runtimeError", {}).get("message") or "score absent du rapport"
        raise ValueError(f"Lighthouse n'a pas donné de score : {why}")
    audits = result.get("audits", {})
    values = {k: audits.get(audit, {}).get("numericValue") for k, audit in AUDITS.items()}
    missing = [AUDITS[k] for k, v in values.items() if v is None]
    if missing:
        raise ValueError(f"Lighthouse : mesures absentes du rapport ({', '.join(missing)})")
    return Figures(
        round(float(score) * 100),
        float(values["fcp"]),
        float(values["lcp"]),
        float(values["cls"]),
        float(values["tbt"]),
        tuple(str(w) for w in result.get("runWarnings", [])),
    )


def _seconds(ms: float) -> str:
    return f"{ms / 1000:.1f} s".replace(".", ",")


def _ms(ms: float) -> str:
    return f"{ms:,.0f} ms".replace(",", " ")


def french(f: Figures) -> str:
    """« 92 (FCP 1,2 s, LCP 1,6 s, CLS 0,000, TBT 1 320 ms) »: the table's value cell."""
    cls = f"{f.cls:.3f}".replace(".", ",")
    return (
        f"{f.score} (FCP {_seconds(f.fcp_ms)}, LCP {_seconds(f.lcp_ms)}, CLS {cls}, "
        f"TBT {_ms(f.tbt_ms)})"
    )


def unavailable() -> str | None:
    """Why Lighthouse cannot run here, in French; None if it can."""
    if shutil.which("node") is None:
        return "node absent (Lighthouse ne peut pas tourner)"
    if not BINARY.exists():
        return f"Lighthouse absent ({BINARY.relative_to(ROOT)} : lancer `make bench-tools`)"
    if not Path(browser.CHROMIUM).exists():
        return f"Chromium absent ({browser.CHROMIUM})"
    return None


def measure(url: str, out: Path) -> Figures:
    """One Lighthouse run on `url`, its JSON report kept in `out`."""
    argv = [str(BINARY), url, *FLAGS, f"--output-path={out}"]
    done = subprocess.run(
        argv,
        env={**os.environ, "CHROME_PATH": browser.CHROMIUM},
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    if done.returncode != 0 or not out.exists():
        raise RuntimeError(f"Lighthouse a échoué (code {done.returncode}) : {done.stderr[-500:]}")
    return figures(json.loads(out.read_text(encoding="utf-8")))


def scores(report: Report, work: Path) -> None:
    """Build `content/`, serve it, and run Lighthouse on `/` and one aid page."""
    why = unavailable()
    if why is not None:
        print(f"!!! Lighthouse non mesuré : {why} !!!", file=sys.stderr, flush=True)
        for key in KEYS:
            report.missing(key, why)
        return
    site = work / "site-content"
    shutil.rmtree(site, ignore_errors=True)
    aidess = str(Path(sys.executable).with_name("aidess"))
    argv = [aidess, "build", "--content", str(ROOT / "content"), "--out", str(site)]
    built = run(argv, timeout=600)
    report.command(" ".join(argv))
    if not built.ok:
        raise RuntimeError(f"`aidess build` du contenu a échoué : {built.output[-500:]}")
    aide = AIDE if (site / "aides" / AIDE).is_dir() else _first_aid(site)
    pages = [("lighthouse.home", "accueil `/`", "/"), ("lighthouse.aide", "", f"/aides/{aide}/")]
    env = {"BENCH_SITE_DIR": str(site)}
    warnings: set[str] = set()
    with load.uvicorn("bench.static_app:app", env, work / "lighthouse-static.log") as (port, _):
        for key, name, path in pages:
            url = f"http://127.0.0.1:{port}{path}"
            label = name or f"page d'aide `{path}`"
            report.command(
                f"CHROME_PATH={browser.CHROMIUM} bench/tools/node_modules/.bin/lighthouse {url} "
                + " ".join(f'"{f}"' if " " in f else f for f in FLAGS)
            )
            f = measure(url, work / f"{key}.json")
            warnings.update(f.warnings)
            report.add(
                key,
                f"Lighthouse {VERSION} (téléphone), {label} du site `content/` : "
                "performance (FCP, LCP, CLS, TBT)",
                french(f),
                f"≥ {GREEN}",
                f.score >= GREEN,
            )
    if warnings:
        report.note("Avertissements de Lighthouse : " + " ; ".join(sorted(warnings)))


def _first_aid(site: Path) -> str:
    found = sorted(p.parent.name for p in (site / "aides").glob("*/index.html"))
    if not found:
        raise RuntimeError(f"aucune page d'aide dans {site / 'aides'}")
    return found[0]
