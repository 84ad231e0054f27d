"""A batch of new requests stored with a fixed number of statements, whatever its size.

Why: the group-commit writer is a thread, and Python's GIL is released during each SQLite
call and taken back after it, which waits while the event loop runs (up to the switch
interval). Storing requests one by one took 14 statements each, so the writer spent more
time waiting for the GIL than working, and the two threads ran in turn. Here each table
gets one statement for the whole batch: its rows travel as one JSON array that the database
unpacks (`json_each`; `jsonb_array_elements` on PostgreSQL, form_service/dialect.py), and
the work on indexes and pages runs with the GIL released, beside the event loop.

The rules are those of the one-by-one path (request_queries.insert, dossier_queries.create),
which stays the fallback: `store` raises on anything unexpected and the writer then stores
the batch request by request, each in its own savepoint. In batch order, a request
- already stored within the dedupe window (or earlier in the batch) is answered as that one;
- past its client's quota is refused (RateLimited), and nothing of it is written;
- otherwise is stored with its outbox rows and its dossier: the next references of the year,
  and the structure's latest dossier of the last 30 days (in the database or earlier in the
  batch) as the one it follows.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cache

from form_service.database import Connection
from form_service.dossier_queries import (
    DOSSIER_COLUMNS,
    FOLLOW_UP_WINDOW,
    KEY_COLUMNS,
    RECIPIENT_COLUMNS,
    dossier_row,
    key_rows,
    recipient_row,
    ts,
)
from form_service.request_queries import (
    DEDUPE_WINDOW,
    OUTBOX_COLUMNS,
    REQUEST_COLUMNS,
    Pending,
    RateLimited,
    Saved,
    outbox_rows,
    request_row,
)

# The columns that are numbers (the others are text): ->> gives text on PostgreSQL.
_NUMBERS = {"created", "next_attempt", "added", "at"}
_INTEGERS = {"fallback", "n"}


class MixedQuotas(Exception):
    """Two requests of one client under different quotas: left to the one-by-one path."""


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


def _insert(
    tx: Connection, table: str, columns: Sequence[str], rows: list[tuple[object, ...]]
) -> None:
    if rows:
        tx.execute(insert_sql(table, tuple(columns)), (json.dumps(rows, ensure_ascii=False),))


def _texts(values: Sequence[str]) -> str:
    return json.dumps([[v] for v in values])


@dataclass
class _Quota:
    """One client's quota during the batch: slots taken (after expiry) and granted."""

    count: int
    period: float
    known: int | None  # rate_keys.n before the batch (None: no row)
    taken: int
    cutoff: float  # slots at or before it have expired
    granted: list[float]
    oldest: float | None = None  # earliest slot still counted (read when first needed)


def _quotas(tx: Connection, batch: Sequence[Pending]) -> dict[str, _Quota]:
    """Each client's quota, read once for the batch; a slot expires when it is older than
    the period at the client's first request of the batch (never more than one by one)."""
    first: dict[str, Pending] = {}
    for p in batch:
        if p.rate is None:
            continue
        seen = first.setdefault(p.rate.key, p)
        if (seen.rate is not None) and (seen.rate.count, seen.rate.period) != (
            p.rate.count, p.rate.period,
        ):  # fmt: skip
            raise MixedQuotas(p.rate.key)
    if not first:
        return {}
    for key in sorted(first):  # PostgreSQL: the same order in every process
        tx.lock(f"aidess:rate:{key}")
    cutoffs = {key: p.created - p.rate.period for key, p in first.items() if p.rate}
    state = tx.execute(
        "SELECT j.value ->> 0, (SELECT n FROM rate_keys k WHERE k.key = j.value ->> 0), "
        "(SELECT count(*) FROM rate_slots s WHERE s.key = j.value ->> 0 "
        "AND s.at <= CAST(j.value ->> 1 AS DOUBLE PRECISION)) FROM json_each(?) AS j",
        (json.dumps([[k, c] for k, c in cutoffs.items()]),),
    ).fetchall()
    quotas = {}
    for key, known, expired in state:
        rate = first[key].rate
        assert rate is not None
        n = None if known is None else int(known)
        quotas[key] = _Quota(rate.count, rate.period, n, (n or 0) - int(expired),
                             cutoffs[key], [])  # fmt: skip
    return quotas


def _retry_after(tx: Connection, key: str, quota: _Quota, now: float) -> int:
    if quota.oldest is None:
        (oldest,) = tx.execute(
            "SELECT min(at) FROM rate_slots WHERE key = ? AND at > ?", (key, quota.cutoff)
        ).fetchone()
        candidates = [t for t in (oldest, *quota.granted[:1]) if t is not None]
        quota.oldest = min(float(t) for t in candidates) if candidates else now
    return max(1, math.ceil(quota.oldest + quota.period - now))


def _write_quotas(tx: Connection, quotas: dict[str, _Quota]) -> None:
    expired = {k: q.cutoff for k, q in quotas.items() if (q.known or 0) - q.taken > 0}
    if expired:
        tx.execute(
            "DELETE FROM rate_slots WHERE key IN (SELECT j.value ->> 0 FROM json_each(?) AS j) "
            "AND at <= ? AND EXISTS (SELECT 1 FROM json_each(?) AS j WHERE "
            "j.value ->> 0 = rate_slots.key AND rate_slots.at <= CAST(j.value ->> 1 AS DOUBLE "
            "PRECISION))",
            (_texts(list(expired)), max(expired.values()),
             json.dumps([[k, c] for k, c in expired.items()])),
        )  # fmt: skip
    counts = [(k, q.taken + len(q.granted)) for k, q in quotas.items()]
    changed = [(k, n) for k, n in counts if n != quotas[k].known]
    if changed:
        # WHERE true: SQLite needs it to read ON CONFLICT after a SELECT.
        tx.execute(
            "INSERT INTO rate_keys (key, n) SELECT j.value ->> 0, CAST(j.value ->> 1 AS INTEGER) "
            "FROM json_each(?) AS j WHERE true ON CONFLICT (key) DO UPDATE SET n = excluded.n",
            (json.dumps(changed),),
        )
    _insert(tx, "rate_slots", ("key", "at"),
            [(k, at) for k, q in quotas.items() for at in q.granted])  # fmt: skip


def _recent(
    tx: Connection, fingerprints: Sequence[str], since: float
) -> dict[str, list[tuple[float, Saved]]]:
    """The requests of the dedupe window with these fingerprints, oldest first, each as
    its duplicates are answered."""
    found: dict[str, list[tuple[float, Saved]]] = {}
    for fp, created, rid, reseaux, ref in tx.execute(
        "SELECT r.fingerprint, r.created, r.id, r.reseaux, d.reference FROM requests r "
        "LEFT JOIN dossiers d ON d.id = r.id WHERE r.fingerprint IN "
        "(SELECT j.value ->> 0 FROM json_each(?) AS j) AND r.created >= ?",
        (_texts(sorted(set(fingerprints))), since),
    ).fetchall():
        saved = Saved(rid, json.loads(reseaux), True, ref)
        found.setdefault(fp, []).append((float(created), saved))
    for rows in found.values():
        rows.sort(key=lambda row: row[0])
    return found


def _dossiers_of(
    tx: Connection, column: str, hashes: Sequence[str], since: float
) -> dict[str, list[tuple[float, str]]]:
    """The dossiers of the follow-up window by address (or SIRET/RNA) hash."""
    found: dict[str, list[tuple[float, str]]] = {}
    if hashes:
        for value, created, did in tx.execute(
            f"SELECT {column}, created, id FROM dossiers WHERE {column} IN "
            "(SELECT j.value ->> 0 FROM json_each(?) AS j) AND created >= ? AND purged IS NULL",
            (_texts(sorted(set(hashes))), since),
        ).fetchall():
            found.setdefault(value, []).append((float(created), did))
    return found


def _references(tx: Connection, years: Sequence[int]) -> list[str]:
    """The next references of each year, one per new dossier, in batch order."""
    per_year: dict[int, int] = {}
    for year in years:
        per_year[year] = per_year.get(year, 0) + 1
    first: dict[int, int] = {}
    for year, n in per_year.items():
        row = tx.execute(
            "UPDATE dossier_numbers SET last = last + ? WHERE year = ? RETURNING last", (n, year)
        ).fetchone()
        if row is None:
            tx.execute("INSERT INTO dossier_numbers (year, last) VALUES (?, ?)", (year, n))
            first[year] = 1
        else:
            first[year] = int(row[0]) - n + 1
    out = []
    for year in years:
        out.append(f"AID-{year}-{first[year]:05d}")
        first[year] += 1
    return out


class _Follows:
    """The latest dossier of a structure within the follow-up window, by address and by
    SIRET/RNA, from the database and from the batch's dossiers stored so far."""

    def __init__(self, tx: Connection, batch: Sequence[Pending]) -> None:
        news = [p.dossier for p in batch if p.dossier is not None]
        since = min((p.created for p in batch), default=0.0) - FOLLOW_UP_WINDOW
        self.known = {
            "email_hash": _dossiers_of(tx, "email_hash", [d.email_hash for d in news], since),
            "ident_hash": _dossiers_of(
                tx, "ident_hash", [d.ident_hash for d in news if d.ident_hash], since
            ),
        }

    def latest(self, pending: Pending) -> str | None:
        new = pending.dossier
        assert new is not None
        since = pending.created - FOLLOW_UP_WINDOW
        found = [
            max(rows)
            for column, value in (("email_hash", new.email_hash), ("ident_hash", new.ident_hash))
            if value is not None
            and (rows := [r for r in self.known[column].get(value, []) if r[0] >= since])
        ]
        return max(found)[1] if found else None

    def add(self, pending: Pending) -> None:
        new = pending.dossier
        assert new is not None
        for column, value in (("email_hash", new.email_hash), ("ident_hash", new.ident_hash)):
            if value is not None:
                self.known[column].setdefault(value, []).append(
                    (pending.created, pending.request_id)
                )


def store(tx: Connection, batch: Sequence[Pending]) -> list[Saved | Exception]:
    """Store the batch in the caller's transaction (which holds the requests' lock): the
    outcome of each request, in order (Saved, or RateLimited for a refused one)."""
    fingerprints = [p.submission.fingerprint() for p in batch]
    since = min(p.created for p in batch) - DEDUPE_WINDOW
    recent = _recent(tx, fingerprints, since)
    quotas = _quotas(tx, batch)
    follows = _Follows(tx, batch)
    outcomes: list[Saved | Exception] = []
    stored: list[tuple[Pending, str, str | None]] = []  # with its fingerprint and follows
    for p, fp in zip(batch, fingerprints, strict=True):
        earlier = [s for created, s in recent.get(fp, []) if created >= p.created - DEDUPE_WINDOW]
        if earlier:
            outcomes.append(earlier[0])
            continue
        if p.rate is not None:
            quota = quotas[p.rate.key]
            if quota.taken + len(quota.granted) >= quota.count:
                outcomes.append(RateLimited(_retry_after(tx, p.rate.key, quota, p.created)))
                continue
            quota.granted.append(p.created)
        follow = None
        if p.dossier is not None:
            follow = follows.latest(p)
            follows.add(p)
        stored.append((p, fp, follow))
        saved = Saved(p.request_id, list(p.reseaux), False)
        recent.setdefault(fp, []).append((p.created, replace(saved, duplicate=True)))
        outcomes.append(saved)
    _write_quotas(tx, quotas)
    with_dossier = [(p, follow) for p, _, follow in stored if p.dossier is not None]
    refs = dict(zip(
        (p.request_id for p, _ in with_dossier),
        _references(tx, [ts(p.created).year for p, _ in with_dossier]),
        strict=True,
    ))  # fmt: skip
    _insert(tx, "requests", REQUEST_COLUMNS, [request_row(p, fp) for p, fp, _ in stored])
    _insert(tx, "outbox", OUTBOX_COLUMNS, [r for p, _, _ in stored for r in outbox_rows(p)])
    dossiers, recipients, keys = [], [], []
    for p, follow in with_dossier:
        new = p.dossier
        assert new is not None
        dossiers.append(dossier_row(p.request_id, refs[p.request_id], p.created,
                                    p.submission, follow, new))  # fmt: skip
        recipients += [recipient_row(p.request_id, n.recipient) for n in new.recipients]
        keys += key_rows(p.request_id, new)
    _insert(tx, "dossiers", DOSSIER_COLUMNS, dossiers)
    _insert(tx, "recipients", RECIPIENT_COLUMNS, recipients)
    _insert(tx, "dossier_keys", KEY_COLUMNS, keys)
    requester = {p.request_id: p.dossier.requester_key for p, _ in with_dossier if p.dossier}
    return [_answer(o, refs, requester) for o in outcomes]


def _answer(
    outcome: Saved | Exception, refs: dict[str, str], requester: dict[str, str]
) -> Saved | Exception:
    """A stored request gets its reference and the requester's key; a duplicate of a request
    of this batch, that request's reference."""
    if not isinstance(outcome, Saved) or outcome.id not in refs:
        return outcome
    if outcome.duplicate:
        return replace(outcome, reference=refs[outcome.id])
    return replace(outcome, reference=refs[outcome.id], requester_key=requester[outcome.id])
