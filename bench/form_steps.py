"""The form service under load, its floor, and the outbox draining into a local SMTP sink."""

from __future__ import annotations

import importlib.util
import os
import sqlite3
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench import load
from bench.measure import run
from bench.report import Report

SENDER = "aidess@aides.example.org"


@dataclass(frozen=True)
class LoadPlan:
    duration: float  # seconds
    connections: int
    threads: int
    drain_timeout: float  # seconds at most spent draining the outbox


class Sink:
    """aiosmtpd handler: accepts every message, remembers when the first and last arrived."""

    def __init__(self) -> None:
        self.count = 0
        self.first = 0.0
        self.last = 0.0
        self._lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        now = time.perf_counter()
        with self._lock:
            self.count += 1
            self.first = self.first or now
            self.last = now
        return "250 Message accepted"

    def rate(self) -> float:
        span = self.last - self.first
        return (self.count - 1) / span if self.count > 1 and span > 0 else 0.0


def _count(db: Path, sql: str) -> int:
    with sqlite3.connect(db) as conn:
        return int(conn.execute(sql).fetchone()[0])


def _service_env(
    content: Path, database: Path, site: Path | None, smtp_port: int
) -> dict[str, str]:
    env = {
        "AIDESS_CONTENT": str(content),
        "AIDESS_DATABASE": str(database),
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
    report: Report, key: str, label: str, result: load.LoadResult, plan: LoadPlan
) -> None:
    lost = "rien de perdu" if result.nothing_lost else "PERTE"
    errors = ", ".join(f"{k}: {v}" for k, v in result.errors.items()) or "aucune"
    report.add(
        f"{key}.rate",
        f"{label} : requêtes acceptées (303) par seconde, 1 worker",
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


def service(report: Report, work: Path, content: Path, site: Path | None, plan: LoadPlan) -> None:
    """`form_service.app:app` under load, then its outbox drained into a local sink."""
    if importlib.util.find_spec("form_service.app") is None:
        for key in ("form.rate", "form.latency", "form.lost", "outbox.rate"):
            report.missing(key, "form_service/app.py absent")
        return
    from aiosmtpd.controller import Controller

    db = work / "form.sqlite3"
    for path in work.glob("form.sqlite3*"):
        path.unlink()
    sink = Sink()
    smtp_port = load.free_port()
    env = _service_env(content, db, site, smtp_port)
    with load.aidess_service(env, work / "form.log") as (port, _):
        result = load.run_wrk(
            f"http://127.0.0.1:{port}/demandes",
            plan.duration,
            plan.connections,
            plan.threads,
            work / "form.lua",
            f"form{int(time.time())}",
        )
    result.stored = _count(db, "SELECT count(*) FROM requests")
    settings = " ".join(f"{k}={v}" for k, v in env.items())
    report.command(f"{settings} aidess service --no-access-log & wrk … (même script)")
    _load_rows(report, "form", "Service de formulaire", result, plan)
    if result.accepted == 0:
        log = (work / "form.log").read_text(errors="replace")[-2000:]
        report.note(f"Journal du service de formulaire (fin) :\n\n```\n{log}\n```")

    queued = _count(db, "SELECT count(*) FROM outbox WHERE status = 'queued'")
    controller = Controller(sink, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    try:
        drain = _drain_command(env)
        measured = run(drain, env={**os.environ, **env}, timeout=plan.drain_timeout)
    finally:
        controller.stop()
    sent = _count(db, "SELECT count(*) FROM outbox WHERE status = 'sent'")
    report.command(f"{settings} {' '.join(drain)}  # SMTP : puits aiosmtpd local")
    complete = "file vidée" if sent >= queued else f"arrêté après {plan.drain_timeout:g} s"
    report.add(
        "outbox.rate",
        "Outbox vers un puits SMTP local : courriels par seconde",
        f"{sink.rate():,.0f} courriels/s ({sink.count:,} reçus, {sent:,}/{queued:,} "
        f"marqués envoyés, {complete}, {measured.wall:.1f} s avec le démarrage)",
        "",
        None,
    )


def _drain_command(env: dict[str, str]) -> list[str]:
    """`aidess outbox --once` once the command exists; until then the same worker, directly."""
    if importlib.util.find_spec("form_service.commands") is not None:
        aidess = Path(sys.executable).with_name("aidess")
        return [str(aidess), "outbox", "--once", "--content", env["AIDESS_CONTENT"]]
    return [sys.executable, "-m", "bench.drain"]
