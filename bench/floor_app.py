"""Floor of the form service: a bare Starlette handler that parses the same form, inserts one
SQLite row (WAL, synchronous=FULL, so a 303 means the row is on disk) and answers 303.

`BENCH_FLOOR_DB=/tmp/floor.sqlite3 uvicorn bench.floor_app:app`
"""

from __future__ import annotations

import json
import os
import sqlite3
from functools import cache

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import RedirectResponse
from starlette.routing import Route

SCHEMA = """CREATE TABLE IF NOT EXISTS demandes (
    id INTEGER PRIMARY KEY,
    recue TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
    donnees TEXT NOT NULL
)"""


@cache
def connection() -> sqlite3.Connection:
    db = sqlite3.connect(os.environ.get("BENCH_FLOOR_DB", "floor.sqlite3"), isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=FULL")
    db.execute(SCHEMA)
    return db


async def demandes(request: Request) -> RedirectResponse:
    form = await request.form()
    values = {key: form.getlist(key) for key in form}
    db = connection()
    db.execute("INSERT INTO demandes (donnees) VALUES (?)", (json.dumps(values),))
    return RedirectResponse("/demande/envoyee/", status_code=303)


app = Starlette(routes=[Route("/demandes", demandes, methods=["POST"])])


def count(path: str) -> int:
    """Rows stored, for the nothing-lost check."""
    with sqlite3.connect(path) as db:
        row = db.execute("SELECT count(*) FROM demandes").fetchone()
    return int(row[0])
