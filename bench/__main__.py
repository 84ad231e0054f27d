"""`python -m bench`: every benchmark in one run, one table, written to bench/RESULTS.md.

`--smoke` runs the same steps small and short (200 aids, 2 s of load) so `make test` keeps
the benchmarks working; its figures mean nothing.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bench import form_steps, lighthouse, site_steps, synthetic
from bench.form_steps import LoadPlan
from bench.load import wrk_available
from bench.report import Report
from bench.site_steps import WEIGHT_KEYS

HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Config:
    sizes: tuple[int, ...]
    load: LoadPlan


FULL = Config((1_000, 5_000, 10_000), LoadPlan(15, 50, 2, drain_timeout=120))
SMOKE = Config((200,), LoadPlan(2, 8, 1, drain_timeout=60))


FORM_KEYS = form_steps.keys(form_steps.SQLITE)
PG_KEYS = form_steps.keys(form_steps.POSTGRES)
FLOOR_KEYS = ["floor.rate", "floor.latency", "floor.lost"]
RATIO_KEYS = ["form.vs_floor"]


def expected_keys(config: Config) -> list[str]:
    """Every row a run must produce (measured, or saying why not)."""
    keys = []
    for n in config.sizes:
        keys += [f"build.{n}.time", f"floor.jinja.{n}", f"floor.pagefind.{n}"]
    keys += ["target.build_time", "target.build_memory", "target.ratio"]
    return keys + WEIGHT_KEYS + lighthouse.KEYS + FORM_KEYS + PG_KEYS + FLOOR_KEYS + RATIO_KEYS


def guarded(report: Report, keys: list[str], step: Callable[[], object]) -> None:
    """Run one step; if it fails, its missing rows say why and the other steps still run."""
    try:
        step()
    except Exception as exc:
        done = {row.key for row in report.rows}
        why = f"échec ({type(exc).__name__} : {str(exc)[:300]})".replace("\n", " ")
        for key in keys:
            if key not in done:
                report.missing(key, why)
        report.note(f"Étape en échec :\n\n```\n{traceback.format_exc()[-3000:]}\n```")


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    p.add_argument("--smoke", action="store_true", help="small and short: checks, not figures")
    p.add_argument(
        "--sizes", type=lambda s: tuple(int(x) for x in s.split(",")), help="ex. 1000,5000"
    )
    p.add_argument("--duration", type=float, help="seconds of load on the form endpoint")
    p.add_argument("--out", type=Path, help="results file (default bench/RESULTS.md)")
    p.add_argument("--json", type=Path, help="also write the rows as JSON here")
    p.add_argument("--workdir", type=Path, help="keep content, sites and databases here")
    p.add_argument("--skip-site", action="store_true", help="form service only")
    p.add_argument("--skip-form", action="store_true", help="site only")
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    config = SMOKE if args.smoke else FULL
    if args.sizes:
        config = Config(args.sizes, config.load)
    if args.duration:
        plan = config.load
        config = Config(
            config.sizes,
            LoadPlan(args.duration, plan.connections, plan.threads, plan.drain_timeout),
        )
    out = args.out or (HERE / ("RESULTS-smoke.md" if args.smoke else "RESULTS.md"))
    work = args.workdir or Path(tempfile.mkdtemp(prefix="aidess-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    title = "AidESS : mesures (smoke : chiffres sans valeur)" if args.smoke else "AidESS : mesures"
    report = Report(title)
    started = time.perf_counter()
    try:
        builds: list[site_steps.Built] = []
        if not args.skip_site:
            for size in config.sizes:
                print(f"… construction, {size} aides", file=sys.stderr, flush=True)
                builds.append(site_steps.build_size(report, work, size))
            site_steps.targets(report, builds)
            print("… poids des pages et de la recherche", file=sys.stderr, flush=True)
            largest_build = max(builds, key=lambda b: b.aides)
            guarded(report, WEIGHT_KEYS, lambda: site_steps.weights(report, work, largest_build))
            print("… Lighthouse (téléphone) sur le site de content/", file=sys.stderr, flush=True)
            guarded(report, lighthouse.KEYS, lambda: lighthouse.scores(report, work))
        if not args.skip_form:
            if not wrk_available():
                for key in FORM_KEYS + PG_KEYS + FLOOR_KEYS + RATIO_KEYS:
                    report.missing(key, "wrk absent")
            else:
                largest = max(builds, key=lambda b: b.aides) if builds else None
                content = (
                    largest.content
                    if largest
                    else synthetic.generate(
                        synthetic.Plan(config.sizes[-1], config.sizes[-1] // 5),
                        work / "content-form",
                    )
                )
                site = largest.site if largest else None
                print("… plancher Starlette + SQLite", file=sys.stderr, flush=True)
                guarded(report, FLOOR_KEYS, lambda: form_steps.floor(report, work, config.load))
                print("… service de formulaire, 1 worker sur SQLite", file=sys.stderr, flush=True)
                guarded(
                    report,
                    FORM_KEYS,
                    lambda: form_steps.service(report, work, content, site, config.load),
                )
                print("… service et plancher en alternance", file=sys.stderr, flush=True)
                guarded(
                    report,
                    RATIO_KEYS,
                    lambda: form_steps.versus_floor(
                        report, work, content, site, config.load, rounds=1 if args.smoke else 5
                    ),
                )
                print("… le même service, 2 workers sur PostgreSQL", file=sys.stderr, flush=True)
                guarded(
                    report,
                    PG_KEYS,
                    lambda: form_steps.service_postgres(report, work, content, site, config.load),
                )
    finally:
        if args.workdir is None:
            shutil.rmtree(work, ignore_errors=True)
    report.note(f"Durée totale de la mesure : {time.perf_counter() - started:.0f} s.")
    text = report.markdown()
    out.write_text(text, encoding="utf-8")
    if args.json:
        args.json.write_text(report.json(), encoding="utf-8")
    print(report.table())
    print(f"\n→ {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
