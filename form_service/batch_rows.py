"""A request's rows, ready to gather into the one JSON array per table a batch inserts
(request_batch.py), and the INSERT that unpacks such an array.

Each table's rows of the whole batch are encoded in one `json.dumps` (C code, a few
microseconds a request): a dumps per row cost about 10 µs of setup each, twelve per request.
In the service, all of it runs in the storage process (form_service/store_process.py).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from form_service.dossier_queries import key_rows, recipient_row
from form_service.request_queries import Pending, outbox_rows, request_row

# The columns that are numbers (the others are text): ->> gives text on PostgreSQL.
_NUMBERS = {"created", "next_attempt", "added", "at"}
_INTEGERS = {"fallback", "n"}
# A dossier's columns in a batch: those known before storing, then the reference and the
# earlier dossier it follows, which the writer decides.
BATCH_DOSSIER_COLUMNS = (
    "id", "created", "departement", "besoins", "email_hash", "ident_hash", "reference", "follows",
)  # fmt: skip


Row = tuple[object, ...]


@dataclass(frozen=True)
class Rows:
    """One request's rows, in the columns' order of their tables."""

    fingerprint: str
    request: Row
    outbox: list[Row]
    dossier: Row  # the first six of BATCH_DOSSIER_COLUMNS (() if none)
    recipients: list[Row]
    keys: list[Row]

    def dossier_with(self, reference: str, follows: str | None) -> Row:
        return (*self.dossier, reference, follows)


def rows(p: Pending) -> Rows:
    fingerprint = p.submission.fingerprint()
    dossier: Row = ()
    recipients: list[Row] = []
    keys: list[Row] = []
    if p.dossier is not None:
        new, s = p.dossier, p.submission
        dossier = (p.request_id, p.created, s.departement, json.dumps(list(s.besoins)),
                   new.email_hash, new.ident_hash)  # fmt: skip
        recipients = [recipient_row(p.request_id, n.recipient) for n in new.recipients]
        keys = key_rows(p.request_id, new)
    return Rows(
        fingerprint=fingerprint,
        request=request_row(p, fingerprint),
        outbox=outbox_rows(p),
        dossier=dossier,
        recipients=recipients,
        keys=keys,
    )


def texts(values: Sequence[str]) -> str:
    """A JSON array of one-item arrays: what `j.value ->> 0` reads on both back-ends."""
    return json.dumps([[v] for v in values])


def array(rows: Sequence[Row]) -> str:
    """One JSON array of these rows, each an array in its columns' order."""
    return json.dumps(rows, ensure_ascii=False)


@cache
def insert_sql(table: str, columns: tuple[str, ...]) -> str:
    """INSERT of the rows of one JSON array of arrays (one array per row, in `columns`' order)."""
    values = []
    for i, column in enumerate(columns):
        item = f"j.value ->> {i}"
        if column in _NUMBERS:
            item = f"CAST({item} AS DOUBLE PRECISION)"
        elif column in _INTEGERS:
            item = f"CAST({item} AS INTEGER)"
        values.append(item)
    return (
        f"INSERT INTO {table} ({', '.join(columns)}) "
        f"SELECT {', '.join(values)} FROM json_each(?) AS j"
    )
