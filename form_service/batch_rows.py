"""A request's rows as JSON, ready to join into the one array per table a batch inserts
(request_batch.py), and the INSERT that unpacks such an array.

`rows(pending)` runs in `Writer.save`, on the event loop's thread, while the previous batch
is being stored: the writer thread then only joins strings and runs SQL, so it spends less
time holding the GIL that the event loop also needs.
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


@dataclass(frozen=True)
class Rows:
    """One request's rows: each text is JSON arrays (one per row) separated by commas."""

    fingerprint: str
    request: str
    outbox: str
    dossier: str  # the first six of BATCH_DOSSIER_COLUMNS, the array left open ("" if none)
    recipients: str
    keys: str

    def dossier_with(self, reference: str, follows: str | None) -> str:
        return f"{self.dossier}, {json.dumps(reference)}, {json.dumps(follows)}]"


def _joined(rows: Sequence[Sequence[object]]) -> str:
    return ", ".join(_dumps(r) for r in rows)


def _dumps(row: Sequence[object]) -> str:
    return json.dumps(row, ensure_ascii=False)


def rows(p: Pending) -> Rows:
    fingerprint = p.submission.fingerprint()
    dossier = recipients = keys = ""
    if p.dossier is not None:
        new, s = p.dossier, p.submission
        fixed = [p.request_id, p.created, s.departement, json.dumps(list(s.besoins)),
                 new.email_hash, new.ident_hash]  # fmt: skip
        dossier = _dumps(fixed)[:-1]
        recipients = _joined([recipient_row(p.request_id, n.recipient) for n in new.recipients])
        keys = _joined(key_rows(p.request_id, new))
    return Rows(
        fingerprint=fingerprint,
        request=_dumps(request_row(p, fingerprint)),
        outbox=_joined(outbox_rows(p)),
        dossier=dossier,
        recipients=recipients,
        keys=keys,
    )


def texts(values: Sequence[str]) -> str:
    """A JSON array of one-item arrays: what `j.value ->> 0` reads on both back-ends."""
    return json.dumps([[v] for v in values])


def array(fragments: Sequence[str]) -> str:
    """One JSON array of the rows of these fragments (empty ones skipped)."""
    return "[" + ", ".join(f for f in fragments if f) + "]"


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
