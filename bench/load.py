"""Load generator for the form endpoint: wrk (another process, C, so the client costs little
of the 2 cores) with a Lua script posting valid, distinct form-urlencoded requests. Each
request has its own structure name and e-mail address, so duplicate protection merges none.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote_plus

ORIGIN = "https://aides.example.org"
DEPARTEMENTS = ["59", "75", "35", "13", "69", "2A", "971", "33", "67", "44", "31", "63"]
FORMES = ["association", "cooperative", "mutuelle", "fondation", "entreprise-sociale"]
EFFECTIFS = ["0", "1-3", "4-10", "11-49", "50+"]
SECTEURS = ["culture", "sport", "social-sante", "environnement", "insertion", "numerique"]
BESOINS = [
    ["tresorerie"],
    ["emploi", "financer-projet"],
    ["benevolat", "gouvernance", "formation"],
    ["numerique", "locaux"],
    ["transition-ecologique", "cooperation", "creation"],
]
ETAPES = ["", "emergence", "creation", "developpement", "consolidation", "difficulte"]
MESSAGE = (
    "Bonjour, notre association cherche à consolider un poste de coordination et à "
    "financer l'aménagement d'un atelier partagé. Merci de nous rappeler en semaine."
)


@dataclass
class LoadResult:
    requests: int  # responses received
    accepted: int  # 303 answers
    other: int  # any other answer (or socket error)
    duration: float  # seconds
    p50_ms: float
    p99_ms: float
    errors: dict[str, int]
    stored: int = -1  # rows found in the database afterwards
    rejected_sample: str = ""  # body of the first answer other than 303

    @property
    def rate(self) -> float:
        return self.accepted / self.duration if self.duration else 0.0

    @property
    def nothing_lost(self) -> bool:
        """Every 303 has its row; extra rows can only be requests still in flight when the
        client stopped (at most one per connection)."""
        return self.accepted > 0 and self.stored >= self.accepted

    def in_flight(self) -> int:
        return self.stored - self.accepted


def _lua_list(values: list[str], encode: bool = True) -> str:
    """A Lua array of the values, form-urlencoded ("50+" must travel as "50%2B")."""
    return "{" + ", ".join(f'"{quote_plus(v) if encode else v}"' for v in values) + "}"


def lua_script(run: str, sample_path: Path, path: str = "/demandes", origin: str = ORIGIN) -> str:
    """The wrk script: one distinct valid form per request, counting 303s per thread."""
    besoins = ["&".join(f"besoins={b}" for b in group) for group in BESOINS]
    return f"""
local threads = {{}}
local deps = {_lua_list(DEPARTEMENTS)}
local formes = {_lua_list(FORMES)}
local effectifs = {_lua_list(EFFECTIFS)}
local secteurs = {_lua_list(SECTEURS)}
local besoins = {_lua_list(besoins, encode=False)}
local etapes = {_lua_list(ETAPES)}
local message = "{quote_plus(MESSAGE)}"
local headers = {{
  ["Content-Type"] = "application/x-www-form-urlencoded",
  ["Origin"] = "{origin}",
}}

function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  n = 0
  accepted = 0
  other = 0
  codes = {{}}
  sample = ""
end

local function pick(list, i)
  return list[(i % #list) + 1]
end

function request()
  n = n + 1
  local i = n * 7 + tid
  local id = "{run}-" .. tid .. "-" .. n
  local body = "structure=Association+de+quartier+" .. id
    .. "&forme=" .. pick(formes, i)
    .. "&effectif=" .. pick(effectifs, i + 1)
    .. "&departement=" .. pick(deps, i + 2)
    .. "&secteur=" .. pick(secteurs, i + 3)
    .. "&" .. pick(besoins, i + 4)
    .. "&etape=" .. pick(etapes, i + 5)
    .. "&aide=&nom=Camille+Martin&email=camille." .. id .. "%40asso.example"
    .. "&telephone=%2B33+1+23+45+67+89&message=" .. message
    .. "&consentement=oui&site_web="
  return wrk.format("POST", "{path}", headers, body)
end

function response(status, headers, body)
  if status == 303 then
    accepted = accepted + 1
  else
    other = other + 1
    codes[status] = (codes[status] or 0) + 1
    if sample == "" then sample = string.sub(body, 1, 20000) end
  end
end

function done(summary, latency, requests)
  local a, o, merged, s = 0, 0, {{}}, ""
  for _, t in ipairs(threads) do
    a = a + t:get("accepted")
    o = o + t:get("other")
    for code, count in pairs(t:get("codes")) do
      merged[code] = (merged[code] or 0) + count
    end
    if s == "" then s = t:get("sample") end
  end
  local c = ""
  for code, count in pairs(merged) do c = c .. code .. ":" .. count .. "," end
  local f = io.open("{sample_path}", "w")
  f:write(s)
  f:close()
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {{"requests": %d, "duration_us": %d, "accepted": %d, "other": %d, '
    .. '"p50_us": %d, "p99_us": %d, "codes": "%s", "connect": %d, "read": %d, '
    .. '"write": %d, "status": %d, "timeout": %d}}\\n',
    summary.requests, summary.duration, a, o, latency:percentile(50),
    latency:percentile(99), c, e.connect, e.read, e.write, e.status, e.timeout))
end
"""


def wrk_available() -> bool:
    return shutil.which("wrk") is not None


def run_wrk(
    url: str, duration: float, connections: int, threads: int, script: Path, run: str
) -> LoadResult:
    sample = script.with_suffix(".rejected.html")
    script.write_text(lua_script(run, sample), encoding="utf-8")
    argv = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{max(1, round(duration))}s",
        "--timeout",
        "10s",
        "-s",
        str(script),
        url,
    ]
    done = subprocess.run(argv, capture_output=True, text=True, check=True)
    line = next(
        (ln for ln in done.stdout.splitlines() if ln.startswith("BENCH_JSON ")),
        None,
    )
    if line is None:
        raise RuntimeError(f"wrk n'a pas donné de résultat :\n{done.stdout}\n{done.stderr}")
    raw = json.loads(line.removeprefix("BENCH_JSON "))
    errors = {k: raw[k] for k in ("connect", "read", "write", "timeout") if raw[k]}
    codes: dict[str, int] = {}
    for pair in filter(None, raw["codes"].split(",")):
        code, _, count = pair.partition(":")
        codes[code] = int(count)
    errors.update({f"http {c}": n for c, n in codes.items()})
    return LoadResult(
        requests=raw["requests"],
        accepted=raw["accepted"],
        other=raw["other"],
        duration=raw["duration_us"] / 1e6,
        p50_ms=raw["p50_us"] / 1000,
        p99_ms=raw["p99_us"] / 1000,
        errors=errors,
        rejected_sample=sample.read_text(errors="replace") if sample.exists() else "",
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_for_port(port: int, proc: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"le serveur s'est arrêté (code {proc.returncode})")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
            return
        time.sleep(0.1)
    raise RuntimeError(f"le serveur n'écoute pas sur le port {port} après {timeout} s")


@contextlib.contextmanager
def uvicorn(
    app: str, env: Mapping[str, str], log: Path, cwd: Path | None = None
) -> Iterator[tuple[int, subprocess.Popen[bytes]]]:
    """`app` served by one uvicorn worker on a free loopback port, in its own process."""
    port = free_port()
    argv = [sys.executable, "-m", "uvicorn", app, "--host", "127.0.0.1", "--port", str(port)]
    argv += ["--workers", "1", "--no-access-log", "--log-level", "warning"]
    with _serving(argv, port, env, log, cwd) as proc:
        yield port, proc


@contextlib.contextmanager
def aidess_service(
    env: Mapping[str, str], log: Path, cwd: Path | None = None, workers: int = 1
) -> Iterator[tuple[int, subprocess.Popen[bytes]]]:
    """`aidess service` (the production launcher: its proxies, timeouts and limits) with
    `workers` processes on a free loopback port, in its own process."""
    port = free_port()
    argv = [sys.executable, "-m", "aidess.cli", "service", "--host", "127.0.0.1"]
    argv += ["--port", str(port), "--workers", str(workers), "--no-access-log"]
    with _serving(argv, port, env, log, cwd) as proc:
        yield port, proc


@contextlib.contextmanager
def _serving(
    argv: list[str], port: int, env: Mapping[str, str], log: Path, cwd: Path | None
) -> Iterator[subprocess.Popen[bytes]]:
    with log.open("wb") as out:
        proc = subprocess.Popen(
            argv, env={**os.environ, **env}, cwd=cwd, stdout=out, stderr=subprocess.STDOUT
        )
        try:
            wait_for_port(port, proc, timeout=300)  # a large catalogue on a busy machine
            yield proc
        finally:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
