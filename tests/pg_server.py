"""A real PostgreSQL server for the tests and the bench (bench/form_steps.py), started in a
temporary folder from Debian's `postgresql` package (initdb, pg_ctl): reached only by its unix
socket, no TCP port.

initdb refuses to run as root: as root, the server runs as `nobody`. The tests' data are
thrown away, so their server runs without fsync; the bench's is `durable` (fsync on).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from urllib.parse import quote

USER = "aidess"
MISSING = (
    "PostgreSQL absent (pas de initdb dans /usr/lib/postgresql/*/bin) : tests PostgreSQL "
    "IGNORÉS — apt-get install postgresql (.ci/run le fait)"
)


def binaries() -> Path | None:
    """The newest installed PostgreSQL's bin folder (Debian: /usr/lib/postgresql/N/bin)."""
    found = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"),
        key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0,
    )
    if found:
        return found[-1].parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


class Server:
    def __init__(self, bin_dir: Path, durable: bool = False) -> None:
        self.bin_dir, self.durable = bin_dir, durable
        self.root = Path(tempfile.mkdtemp(prefix="aidess-pg-"))
        self.data, self.socket = self.root / "data", self.root / "socket"
        self.socket.mkdir()
        self._as_root = os.geteuid() == 0

    def _run(self, *args: str) -> None:
        command = [str(self.bin_dir / args[0]), *args[1:]]
        if self._as_root:
            command = ["runuser", "-u", "nobody", "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            log = self.root / "server.log"
            tail = log.read_text()[-2000:] if log.exists() else ""
            raise RuntimeError(f"{args[0]} a échoué : {done.stderr or done.stdout}\n{tail}")

    def start(self) -> Server:
        if self._as_root:
            shutil.chown(self.root, "nobody")
            shutil.chown(self.socket, "nobody")
        self._run("initdb", "-D", str(self.data), "-U", USER, "--auth=trust", "-E", "UTF8",
                  "--locale=C", "--no-sync", "--no-instructions")  # fmt: skip
        options = [
            f"-k {self.socket}", "-c listen_addresses=''", "-c max_connections=200",
            "-c shared_buffers=32MB",
        ]  # fmt: skip
        if not self.durable:
            options += ["-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off"]
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.root / "server.log"), "-w",
                  "-t", "60", "-o", " ".join(options), "start")  # fmt: skip
        return self

    def url(self, database: str = "postgres", schema: str | None = None) -> str:
        url = f"postgresql://{USER}@/{database}?host={quote(str(self.socket), safe='')}"
        if schema is not None:
            url += f"&options=-csearch_path%3D{schema}"
        return url

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)


def execute(url: str, sql: str) -> None:
    """One statement in autocommit (CREATE/DROP SCHEMA around a test)."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(sql)
