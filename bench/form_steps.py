"""The form service under load, 1 worker on SQLite and 2 workers on PostgreSQL (a server
started here, as the tests do: tests/pg_server.py), its floor, and the outbox draining into a
local SMTP sink; the same load and the same checks for both set-ups."""

from __future__ import annotations

import importlib.util
import sqlite3
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from bench import load, outbox_drain
from bench.report import Report
from form_service.db.database import Database, Postgres, Target
from tests import pg_server

SENDER = "aidess@aides.example.org"


@dataclass(frozen=True)
class LoadPlan:
    duration: float  # seconds
    connections: int
    threads: int
    drain_timeout: float  # seconds at most spent draining the outbox


def _count(db: Path, sql: str) -> int:
    with sqlite3.connect(db) as conn:
        return int(conn.execute(sql).fetchone()[0])


def _count_in(where: Target, sql: str) -> int:
    """A count in the service's database, SQLite or PostgreSQL."""
    db = Database(where)
    try:
        with db.connect() as conn:
            return int(conn.execute(sql).fetchone()[0])
    finally:
        db.close()


def _url(where: Target) -> str:
    return where.url if isinstance(where, Postgres) else str(where)


def _service_env(
    content: Path, database: Target, site: Path | None, smtp_port: int
) -> dict[str, str]:
    env = {
        "AIDESS_CONTENT": str(content),
        "AIDESS_DATABASE": _url(database),
        "AIDESS_SITE_URL": load.ORIGIN,
        "AIDESS_ALLOWED_ORIGINS": load.ORIGIN,
        "AIDESS_RATE_LIMIT": "1000000/second",
        "AIDESS_MAIL_FROM": SENDER,
        "AIDESS_FALLBACK_EMAIL": "secours@aides.example.org",
        "AIDESS_SMTP_HOST": "127.0.0.1",
        "AIDESS_SMTP_PORT": str(smtp_port),
        "AIDESS_OUTBOX_WORKER": "false",
    }
    if site is not None:
        env["AIDESS_SITE_DIR"] = str(site)
    return env


def _load_rows(
    report: Report, key: str, label: str, result: load.LoadResult, plan: LoadPlan, workers: int = 1
) -> None:
    lost = "rien de perdu" if result.nothing_lost else "PERTE"
    errors = ", ".join(f"{k}: {v}" for k, v in result.errors.items()) or "aucune"
    report.add(
        f"{key}.rate",
        f"{label} : requêtes acceptées (303) par seconde, {workers} worker{'s' * (workers > 1)}",
        f"{result.rate:,.0f} req/s ({result.accepted:,} en {result.duration:.1f} s, "
        f"{plan.connections} clients)",
        "≥ 1 000 req/s",
        result.rate >= 1000,
    )
    report.add(
        f"{key}.latency",
        f"{label} : latence p50 / p99",
        f"{result.p50_ms:.1f} ms / {result.p99_ms:.1f} ms",
        "p99 ≤ 100 ms",
        result.p99_ms <= 100,
    )
    report.add(
        f"{key}.lost",
        f"{label} : demandes enregistrées = réponses 303",
        f"{result.stored:,} lignes pour {result.accepted:,} réponses 303 ({lost} ; "
        f"{result.in_flight()} en vol à l'arrêt du client ; autres réponses : {errors})",
        "rien de perdu",
        result.nothing_lost,
    )


def floor(report: Report, work: Path, plan: LoadPlan) -> None:
    """Bare Starlette + SQLite (WAL, synchronous=FULL) under the same load."""
    db = work / "floor.sqlite3"
    for path in work.glob("floor.sqlite3*"):
        path.unlink()
    env = {"BENCH_FLOOR_DB": str(db)}
    with load.uvicorn("bench.floor_app:app", env, work / "floor.log") as (port, _):
        result = load.run_wrk(
            f"http://127.0.0.1:{port}/demandes",
            plan.duration,
            plan.connections,
            plan.threads,
            work / "floor.lua",
            f"floor{int(time.time())}",
        )
    result.stored = _count(db, "SELECT count(*) FROM demandes")
    report.command(
        f"BENCH_FLOOR_DB={db} uvicorn bench.floor_app:app --workers 1 & "
        f"wrk -t{plan.threads} -c{plan.connections} -d{plan.duration:g}s -s {work}/floor.lua …"
    )
    _load_rows(report, "floor", "Plancher Starlette + SQLite", result, plan)


def versus_floor(
    report: Report, work: Path, content: Path, site: Path | None, plan: LoadPlan,
    rounds: int = 5, seconds: float = 6.0,
) -> None:  # fmt: skip
    """The service's rate (1 worker, SQLite) as a share of the floor's. On a shared machine
    the speed drifts within seconds (the same run gave 44 % and 53 % a minute apart), so
    both run side by side and take turns under the same load, after a warm-up of each
    (a new profile's first plan, the thread pool); the figure is the median of the rounds."""
    for path in work.glob("vs-*.sqlite3*"):
        path.unlink()
    seconds = min(seconds, plan.duration)
    floor_env = {"BENCH_FLOOR_DB": str(work / "vs-floor.sqlite3")}
    env = _service_env(content, work / "vs-form.sqlite3", site, load.free_port())
    pairs: list[tuple[float, float]] = []
    with (
        load.uvicorn("bench.floor_app:app", floor_env, work / "vs-floor.log") as (floor_port, _),
        load.aidess_service(env, work / "vs-form.log") as (port, _),
    ):

        def turn(target: int, name: str, duration: float) -> float:
            tag = f"{name}{len(pairs)}t{int(time.time() * 1000)}"
            result = load.run_wrk(
                f"http://127.0.0.1:{target}/demandes", duration, plan.connections,
                plan.threads, work / f"vs-{name}.lua", tag,
            )  # fmt: skip
            return result.rate

        turn(floor_port, "floor", 2)
        turn(port, "form", 2)
        for _ in range(rounds):
            base = turn(floor_port, "floor", seconds)
            pairs.append((turn(port, "form", seconds), base))
    ratios = sorted(ours / base for ours, base in pairs if base)
    median = ratios[len(ratios) // 2] if ratios else 0.0
    listing = ", ".join(f"{ours:,.0f}/{base:,.0f}" for ours, base in pairs)
    report.command(
        f"uvicorn bench.floor_app:app & aidess service & wrk {seconds:g} s sur l'un puis "
        f"l'autre, {rounds} fois (après 2 s d'échauffement chacun)"
    )
    report.add(
        "form.vs_floor",
        "Service de formulaire, SQLite, 1 worker, rapporté au plancher : manches alternées, "
        "les deux en marche côte à côte",
        f"{median:.0%} (médiane de {rounds} manches de {seconds:g} s ; service/plancher, req/s : "
        f"{listing})",
        "≥ 50 %",
        median >= 0.5,
    )


@dataclass(frozen=True)
class Setup:
    """One way to deploy the service: which database, how many workers and senders."""

    key: str  # row keys: {key}.rate, .latency, .lost, .once and {outbox}.rate
    outbox: str
    label: str
    database: str  # for the outbox row
    workers: int  # `aidess service --workers`
    senders: int  # `aidess outbox --once` processes emptying the outbox together


SQLITE = Setup("form", "outbox", "Service de formulaire, SQLite", "SQLite", 1, 1)
POSTGRES = Setup("pg", "pg.outbox", "Service de formulaire, PostgreSQL", "PostgreSQL", 2, 2)
PG_MISSING = (
    "!!! PostgreSQL absent (pas de initdb dans /usr/lib/postgresql/*/bin) : lignes PostgreSQL "
    "du bench NON MESURÉES — apt-get install postgresql !!!"
)


def keys(setup: Setup) -> list[str]:
    k = setup.key
    return [f"{k}.rate", f"{k}.latency", f"{k}.lost", f"{setup.outbox}.rate", f"{k}.once"]


def service(report: Report, work: Path, content: Path, site: Path | None, plan: LoadPlan) -> None:
    """`aidess service`, 1 worker on a SQLite file, under load, then its outbox drained into a
    local sink by one sender."""
    if importlib.util.find_spec("form_service.app") is None:
        for key in keys(SQLITE):
            report.missing(key, "form_service/app.py absent")
        return
    db = work / "form.sqlite3"
    for path in work.glob("form.sqlite3*"):
        path.unlink()
    _measure(report, work, content, site, plan, SQLITE, db)


def service_postgres(
    report: Report, work: Path, content: Path, site: Path | None, plan: LoadPlan
) -> None:
    """The same load and checks, `aidess service --workers 2` on a PostgreSQL server started
    here (durable: fsync on, like SQLite's synchronous=FULL), its outbox drained by 2 senders
    at once (rows claimed FOR UPDATE SKIP LOCKED)."""
    bin_dir = pg_server.binaries()
    if bin_dir is None:
        print(PG_MISSING, file=sys.stderr, flush=True)
        for key in keys(POSTGRES):
            report.missing(key, "PostgreSQL absent (apt-get install postgresql)")
        return
    server = pg_server.Server(bin_dir, durable=True).start()
    try:
        pg_server.execute(server.url(), "CREATE DATABASE bench")
        _measure(report, work, content, site, plan, POSTGRES, Postgres(server.url("bench")))
    finally:
        from form_service.db.postgres import close_all

        close_all()
        server.stop()


def _measure(
    report: Report,
    work: Path,
    content: Path,
    site: Path | None,
    plan: LoadPlan,
    setup: Setup,
    db: Target,
) -> None:
    smtp_port = load.free_port()
    env = _service_env(content, db, site, smtp_port)
    log = work / f"{setup.key}.log"
    with load.aidess_service(env, log, workers=setup.workers) as (port, _):
        result = load.run_wrk(
            f"http://127.0.0.1:{port}/demandes",
            plan.duration,
            plan.connections,
            plan.threads,
            work / f"{setup.key}.lua",
            f"{setup.key}{int(time.time())}",
        )
    result.stored = _count_in(db, "SELECT count(*) FROM requests")
    settings = " ".join(f"{k}={v}" for k, v in env.items())
    report.command(
        f"{settings} aidess service --workers {setup.workers} --no-access-log & wrk … (même script)"
    )
    _load_rows(report, setup.key, setup.label, result, plan, setup.workers)
    if result.accepted == 0:
        tail = log.read_text(errors="replace")[-2000:]
        report.note(f"Journal ({setup.label}, fin) :\n\n```\n{tail}\n```")

    out = outbox_drain.drain(env, db, smtp_port, setup.senders, plan.drain_timeout)
    report.command(
        f"{settings} {' '.join(out.command)}  # × {setup.senders} en même temps ; "
        "SMTP : puits aiosmtpd local"
    )
    received = sum(out.received.values())
    left = len(out.queued) - len(out.sent)
    complete = "file vidée" if out.drained else f"{left:,} encore en file après {out.wall:.0f} s"
    report.add(
        f"{setup.outbox}.rate",
        f"Outbox ({setup.database}, {setup.senders} envoyeur{'s' * (setup.senders > 1)}) "
        "vers un puits SMTP local : courriels par seconde",
        f"{out.rate:,.0f} courriels/s ({received:,} reçus, {len(out.sent):,}/"
        f"{len(out.queued):,} marqués envoyés, {complete}, {out.wall:.1f} s avec le démarrage)",
        "file vidée",
        out.drained,
    )
    report.add(
        f"{setup.key}.once",
        f"{setup.label} : chaque courriel reçu une seule fois (Message-ID)",
        f"{len(out.received):,} Message-ID distincts pour {received:,} courriels reçus, "
        f"{out.duplicates} en double, {out.unexpected} inconnu(s), "
        f"{len(out.sent - set(out.received))} marqué(s) envoyé(s) mais pas reçu(s)",
        "une fois chacun",
        out.once,
    )
