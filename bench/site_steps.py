"""The static site: `aidess build` at several sizes against its two floors (Jinja2 alone,
Pagefind alone), then page and search weight in Chromium on the largest site built."""

from __future__ import annotations

import gzip
import importlib.util
import os
import shutil
import statistics
import sys
from dataclasses import dataclass
from pathlib import Path

from bench import browser, load, synthetic
from bench.measure import MB, Measure, run, tree_size
from bench.report import Report

KB = 1024
BUILD_TIMEOUT = 1800.0
FULL_SIZE = 10_000  # the size the build targets are set for
DEPARTEMENT, FIRST_QUERY, NEXT_QUERY = "59", "emploi", "trésorerie"


@dataclass
class Built:
    aides: int
    content: Path
    site: Path | None
    build: Measure | None
    floors: tuple[float, float] | None = None  # Jinja2 alone, Pagefind alone (s)


def _bin(name: str) -> str:
    return str(Path(sys.executable).with_name(name))


def pagefind_binary() -> str:
    from pagefind_bin import get_executable  # type: ignore[import-untyped]

    return str(get_executable())


def _mb(value: int) -> str:
    return f"{value / MB:,.0f} Mo"


def _kb(value: int) -> str:
    return f"{value / KB:,.1f} Ko"


def _fmt_n(n: int) -> str:
    return f"{n:,}".replace(",", " ")


def build_size(report: Report, work: Path, aides: int) -> Built:
    """Generate N aids and N/5 networks, build them, and run both floors on the same content."""
    n = _fmt_n(aides)
    content = synthetic.generate(synthetic.Plan(aides, aides // 5), work / f"content-{aides}")
    report.command(f"python -m bench.synthetic {aides} {aides // 5} {content}")
    site: Path | None = None
    measured: Measure | None = None
    floor_times: tuple[float, float] | None = None
    if importlib.util.find_spec("generator.build") is None:
        for what in ("time", "memory", "site"):
            report.missing(f"build.{aides}.{what}", "generator/build.py absent")
    else:
        out = work / f"site-{aides}"
        shutil.rmtree(out, ignore_errors=True)
        argv = [_bin("aidess"), "build", "--content", str(content), "--out", str(out)]
        load_before = os.getloadavg()[0]
        measured = run(argv, timeout=BUILD_TIMEOUT)
        report.command(" ".join(argv))
        if not measured.ok:
            report.missing(f"build.{aides}.time", f"échec (code {measured.returncode})")
            report.note(
                f"`aidess build` ({n} aides) a échoué :\n\n```\n{measured.output[-3000:]}\n```"
            )
        else:
            site = out
            size, files, pages = tree_size(out)
            report.add(
                f"build.{aides}.time",
                f"`aidess build` {n} aides + {_fmt_n(aides // 5)} réseaux : durée / CPU",
                f"{measured.wall:.1f} s / {measured.cpu:.1f} s CPU (charge avant : "
                f"{load_before:.1f}, après : {os.getloadavg()[0]:.1f})",
            )
            report.add(
                f"build.{aides}.memory",
                f"`aidess build` {n} aides : pic mémoire, nos processus / binaire Pagefind",
                f"{_mb(measured.peak(False))} / {_mb(measured.peak(True))}",
            )
            report.add(
                f"build.{aides}.site",
                f"`aidess build` {n} aides : taille du site, pages HTML",
                f"{_mb(size)}, {_fmt_n(pages)} pages ({_fmt_n(files)} fichiers)",
            )

    floor_out = work / f"floor-{aides}"
    shutil.rmtree(floor_out, ignore_errors=True)
    workers = os.cpu_count() or 1
    argv = [sys.executable, "-m", "bench.floor_jinja", str(content), str(floor_out)]
    argv += ["--workers", str(workers)]
    jinja = run(argv)
    report.command(" ".join(argv))
    report.add(
        f"floor.jinja.{aides}",
        f"Plancher Jinja2 + Markdown seuls, {n} pages d'aide ({workers} processus) : "
        "durée / CPU / pic",
        f"{jinja.wall:.1f} s / {jinja.cpu:.1f} s CPU / {_mb(jinja.peak(False))}"
        if jinja.ok
        else f"échec : {jinja.output[-300:]}",
    )

    indexed = site or floor_out
    pf_out = work / f"pagefind-{aides}"
    shutil.rmtree(pf_out, ignore_errors=True)
    argv = [pagefind_binary(), "--site", str(indexed), "--output-path", str(pf_out)]
    pagefind = run(argv)
    report.command(" ".join(argv))
    which = "le site construit" if site else "le site du plancher Jinja2"
    report.add(
        f"floor.pagefind.{aides}",
        f"Plancher Pagefind seul sur {which} ({n} aides) : durée / pic",
        f"{pagefind.wall:.1f} s / {_mb(pagefind.peak(True))}"
        if pagefind.ok
        else f"échec : {pagefind.output[-300:]}",
    )
    if jinja.ok and pagefind.ok:
        floor_times = (jinja.wall, pagefind.wall)
    if measured is not None and measured.ok and jinja.ok and pagefind.ok:
        floors = jinja.wall + pagefind.wall
        report.add(
            f"build.{aides}.floors",
            f"`aidess build` {n} aides rapporté à ses planchers (Jinja2 + Pagefind)",
            f"{measured.wall:.1f} s pour {floors:.1f} s, soit {measured.wall / floors:.1f}×",
        )
    return Built(aides, content, site, measured, floor_times)


def targets(report: Report, builds: list[Built]) -> None:
    """The build targets, judged at 10,000 aids (shown without a mark at other sizes)."""
    done = [b for b in builds if b.build is not None and b.build.ok]
    largest = max(builds, key=lambda b: b.aides)
    judged = largest.aides == FULL_SIZE
    at = f"{_fmt_n(largest.aides)} aides"
    if largest.build is not None and largest.build.ok:
        m = largest.build
        if largest.floors is None:
            report.missing("target.build_time", "planchers non mesurés")
        else:
            jinja, pagefind = largest.floors
            ratio = m.wall / (jinja + pagefind)
            report.add(
                "target.build_time",
                f"Construction complète, {at} + {_fmt_n(largest.aides // 5)} réseaux, "
                "rapportée à ses planchers mesurés dans la même exécution",
                f"{m.wall:.1f} s pour {jinja + pagefind:.1f} s de planchers (Jinja2 {jinja:.1f} s"
                f" + Pagefind {pagefind:.1f} s), soit {ratio:.2f}×",
                "≤ 1,1× les planchers",
                ratio <= 1.1 if judged else None,
            )
        report.add(
            "target.build_memory",
            f"Pic mémoire de nos processus, {at} (Pagefind à part)",
            f"{_mb(m.peak(False))} (Pagefind : {_mb(m.peak(True))})",
            "≤ 500 Mo",
            m.peak(False) <= 500 * MB,
        )
    else:
        report.missing("target.build_time", "pas de construction réussie")
        report.missing("target.build_memory", "pas de construction réussie")
    if len(done) >= 2:
        small, big = min(done, key=lambda b: b.aides), max(done, key=lambda b: b.aides)
        assert small.build is not None and big.build is not None
        ratio = big.build.wall / small.build.wall
        scale = big.aides / small.aides
        report.add(
            "target.ratio",
            f"Rapport des durées {_fmt_n(big.aides)} / {_fmt_n(small.aides)} aides",
            f"{ratio:.1f} (pour {scale:g}× plus d'aides)",
            f"≤ {scale * 1.1:g}",
            ratio <= scale * 1.1,
        )
    else:
        report.missing("target.ratio", "une seule taille construite")


WEIGHT_KEYS = [
    "search.first.bytes",
    "search.first.time",
    "search.next.bytes",
    "search.action.bytes",
    "search.action.time",
    "search.action.words",
    "page.aide.html",
    "page.aide.visit",
    "page.home.html",
    "page.home.visit",
]


def weights(report: Report, work: Path, built: Built) -> None:
    """Search, aid page and home weight in Chromium on one built site."""
    keys = WEIGHT_KEYS
    if built.site is None:
        for key in keys:
            report.missing(key, "pas de site construit")
        return
    if not browser.available():
        for key in keys:
            report.missing(key, f"Chromium absent ({browser.CHROMIUM}) ou Playwright manquant")
        return
    n = _fmt_n(built.aides)
    aid_pages = sorted((p.stat().st_size, p) for p in (built.site / "aides").glob("*/index.html"))
    home = built.site / "index.html"
    env = {"BENCH_SITE_DIR": str(built.site)}
    report.command(
        f"BENCH_SITE_DIR={built.site} uvicorn bench.static_app:app  # + Chromium headless"
    )
    with load.uvicorn("bench.static_app:app", env, work / "static.log") as (port, _):
        chrome = browser.Browser(f"http://127.0.0.1:{port}")
        try:
            search = chrome.search(DEPARTEMENT, FIRST_QUERY, NEXT_QUERY)
            action = chrome.action(DEPARTEMENT, FIRST_QUERY)
            largest_path = aid_pages[-1][1]
            aide = chrome.visit("/" + str(largest_path.parent.relative_to(built.site)) + "/")
            home_visit = chrome.visit("/")
        finally:
            chrome.close()
    how = "interface de l'accueil" if search.mode == "interface" else "API pagefind.js"
    report.add(
        "search.first.bytes",
        f"Première recherche « {FIRST_QUERY} », département {DEPARTEMENT}, site de {n} aides "
        f"({how}), cache vide : transféré (listes de territoire et Pagefind)",
        f"{_kb(search.first_bytes)} ({search.first_count} résultats)",
        "≤ 250 Ko",
        search.first_bytes <= 250 * KB,
    )
    parts = ", ".join(f"{k} {_kb(v)}" for k, v in sorted(search.first_parts.items()))
    after = ", ".join(f"{k} {_kb(v)}" for k, v in sorted(search.next_parts.items())) or "rien"
    report.note(
        f"Première recherche, octets par sorte de fichier (listes de territoire, Pagefind) : "
        f"{parts}. Recherche suivante : {after}."
    )
    report.add(
        "search.first.time",
        "Première recherche : premiers résultats affichés",
        f"{search.first_ms:.0f} ms"
        + (" depuis le début de la navigation" if search.mode == "interface" else ""),
        "≤ 1 000 ms",
        search.first_ms <= 1000,
    )
    report.add(
        "search.next.bytes",
        f"Recherche suivante « {NEXT_QUERY} » : transféré / temps",
        f"{_kb(search.next_bytes)} / {search.next_ms:.0f} ms ({search.next_count} résultats)",
        "≤ 50 Ko",
        search.next_bytes <= 50 * KB,
    )
    if action is None:
        for key in ("search.action.bytes", "search.action.time", "search.action.words"):
            report.missing(key, "accueil sans ligne de recherche")
    else:
        parts = ", ".join(f"{k} {_kb(v)}" for k, v in sorted(action.parts.items())) or "rien"
        report.add(
            "search.action.bytes",
            f"Accueil chargé, choix du département {DEPARTEMENT} (sans mots), cache vide : "
            "tout ce que ce choix transfère",
            f"{_kb(action.bytes)} en {action.requests} requêtes ({parts} ; "
            f"{action.count} résultats)",
            "≤ 300 Ko",
            action.bytes <= 300 * KB,
        )
        report.add(
            "search.action.time",
            f"Choix du département {DEPARTEMENT} : premiers résultats dessinés après le choix",
            f"{action.ms:.0f} ms",
            "≤ 1 000 ms",
            action.ms <= 1000,
        )
        if action.words is None:
            report.missing("search.action.words", "mots non tapés")
        else:
            words = action.words
            parts = ", ".join(f"{k} {_kb(v)}" for k, v in sorted(words.parts.items())) or "rien"
            report.add(
                "search.action.words",
                f"Puis « {FIRST_QUERY} » tapé sur cette page (la liste du département déjà "
                "là) : transféré / premiers résultats après Entrée",
                f"{_kb(words.bytes)} / {words.ms:.0f} ms ({parts} ; {words.count} résultats)",
            )
    sizes = [size for size, _ in aid_pages]
    largest = sizes[-1]
    report.add(
        "page.aide.html",
        "Page d'aide : HTML seul (la plus lourde ; médiane)",
        f"{_kb(largest)} ({_kb(len(gzip.compress(largest_path.read_bytes(), 6)))} en gzip) ; "
        f"médiane {_kb(int(statistics.median(sizes)))}",
        "≤ 50 Ko",
        largest <= 50 * KB,
    )
    report.add(
        "page.aide.visit",
        "Page d'aide : première visite, tout compris (transféré)",
        f"{_kb(aide.total)} en {aide.requests} requêtes",
        "≤ 400 Ko",
        aide.total <= 400 * KB,
    )
    home_size = home.stat().st_size
    report.add(
        "page.home.html",
        "Accueil : HTML seul",
        f"{_kb(home_size)} ({_kb(home_visit.html)} transférés en gzip)",
    )
    report.add(
        "page.home.visit",
        "Accueil : première visite, tout compris (transféré)",
        f"{_kb(home_visit.total)} en {home_visit.requests} requêtes",
        "≤ 400 Ko",
        home_visit.total <= 400 * KB,
    )
