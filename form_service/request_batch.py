"""A batch of new requests stored with a fixed number of statements, whatever its size.

Why: storing requests one by one took 14 statements each, and each statement costs its
round of Python and of SQLite's work; when the writer was a thread, each also handed the GIL
back and forth with the event loop. Here each table gets one statement for the whole batch:
its rows travel as one JSON array that the database unpacks (`json_each`;
`jsonb_array_elements` on PostgreSQL, form_service/dialect.py).

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
from collections.abc import Sequence
from dataclasses import dataclass, replace

from form_service import batch_quotas
from form_service.batch_rows import (
    BATCH_DOSSIER_COLUMNS,
    Row,
    Rows,
    array,
    insert_sql,
    rows,
    texts,
)
from form_service.database import Connection
from form_service.dossier_queries import FOLLOW_UP_WINDOW, KEY_COLUMNS, RECIPIENT_COLUMNS, ts
from form_service.request_queries import (
    DEDUPE_WINDOW,
    OUTBOX_COLUMNS,
    REQUEST_COLUMNS,
    Pending,
    RateLimited,
    Saved,
)


def _insert(tx: Connection, table: str, columns: Sequence[str], rows: list[Row]) -> None:
    if rows:
        tx.execute(insert_sql(table, tuple(columns)), (array(rows),))


# The batch's reads in one statement (each statement is a round of Python and SQLite
# calls): the requests of the dedupe window with its fingerprints, the dossiers of the
# follow-up window with its addresses and SIRET/RNA, and its clients' quotas. Columns:
# kind, key, time or number, id, and for a request its networks and reference.
_READ = (
    "SELECT 'd', r.fingerprint, r.created, r.id, r.reseaux, d.reference FROM requests r "
    "LEFT JOIN dossiers d ON d.id = r.id WHERE r.fingerprint IN "
    "(SELECT j.value ->> 0 FROM json_each(?) AS j) AND r.created >= ? "
    "UNION ALL SELECT 'e', email_hash, created, id, NULL, NULL FROM dossiers WHERE email_hash IN "
    "(SELECT j.value ->> 0 FROM json_each(?) AS j) AND created >= ? AND purged IS NULL "
    "UNION ALL SELECT 'i', ident_hash, created, id, NULL, NULL FROM dossiers WHERE ident_hash IN "
    "(SELECT j.value ->> 0 FROM json_each(?) AS j) AND created >= ? AND purged IS NULL "
    f"UNION ALL {batch_quotas.STATE}"
)


@dataclass
class _Known:
    """What the database holds that the batch's rules need."""

    recent: dict[str, list[tuple[float, Saved]]]  # by fingerprint, oldest first
    dossiers: dict[str, dict[str, list[tuple[float, str]]]]  # by column, by hash
    quotas: dict[str, batch_quotas.Quota]


def _read(
    tx: Connection, batch: Sequence[Pending], prepared: Sequence[Rows],
    first: dict[str, Pending],
) -> _Known:  # fmt: skip
    news = [p.dossier for p in batch if p.dossier is not None]
    dedupe_since = min(p.created for p in batch) - DEDUPE_WINDOW
    follow_since = min(p.created for p in batch) - FOLLOW_UP_WINDOW
    params = (
        texts(sorted({r.fingerprint for r in prepared})), dedupe_since,
        texts(sorted({d.email_hash for d in news})), follow_since,
        texts(sorted({d.ident_hash for d in news if d.ident_hash})), follow_since,
        batch_quotas.state_param(first),
    )  # fmt: skip
    known = _Known({}, {"email_hash": {}, "ident_hash": {}}, {})
    state: list[tuple[str, float, str | None]] = []
    for kind, key, number, ident, reseaux, ref in tx.execute(_READ, params).fetchall():
        if kind == "d":
            saved = Saved(ident, json.loads(reseaux), True, ref)
            known.recent.setdefault(key, []).append((float(number), saved))
        elif kind == "q":
            state.append((key, float(number), ident))
        else:
            column = "email_hash" if kind == "e" else "ident_hash"
            known.dossiers[column].setdefault(key, []).append((float(number), ident))
    for matches in known.recent.values():
        matches.sort(key=lambda match: match[0])
    known.quotas = batch_quotas.from_state(first, state)
    return known


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

    def __init__(self, known: dict[str, dict[str, list[tuple[float, str]]]]) -> None:
        self.known = known

    def latest(self, pending: Pending) -> str | None:
        new = pending.dossier
        assert new is not None
        since = pending.created - FOLLOW_UP_WINDOW
        found = [
            max(seen)
            for column, value in (("email_hash", new.email_hash), ("ident_hash", new.ident_hash))
            if value is not None
            and (seen := [r for r in self.known[column].get(value, []) if r[0] >= since])
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
    if not batch:
        return []
    prepared = [rows(p) for p in batch]
    first = batch_quotas.firsts(batch)
    batch_quotas.lock(tx, first)
    known = _read(tx, batch, prepared, first)
    recent, quotas, follows = known.recent, known.quotas, _Follows(known.dossiers)
    outcomes: list[Saved | Exception] = []
    stored: list[tuple[Pending, Rows, str | None]] = []  # with its rows and follows
    for p, r in zip(batch, prepared, strict=True):
        fp = r.fingerprint
        earlier = [s for created, s in recent.get(fp, []) if created >= p.created - DEDUPE_WINDOW]
        if earlier:
            outcomes.append(earlier[0])
            continue
        if p.rate is not None:
            quota = quotas[p.rate.key]
            if quota.taken + len(quota.granted) >= quota.count:
                wait = batch_quotas.retry_after(tx, p.rate.key, quota, p.created)
                outcomes.append(RateLimited(wait))
                continue
            quota.granted.append(p.created)
        follow = None
        if p.dossier is not None:
            follow = follows.latest(p)
            follows.add(p)
        stored.append((p, r, follow))
        saved = Saved(p.request_id, list(p.reseaux), False)
        recent.setdefault(fp, []).append((p.created, replace(saved, duplicate=True)))
        outcomes.append(saved)
    batch_quotas.write(tx, quotas)
    with_dossier = [(p, r, follow) for p, r, follow in stored if p.dossier is not None]
    refs = dict(zip(
        (p.request_id for p, _, _ in with_dossier),
        _references(tx, [ts(p.created).year for p, _, _ in with_dossier]),
        strict=True,
    ))  # fmt: skip
    _insert(tx, "requests", REQUEST_COLUMNS, [r.request for _, r, _ in stored])
    _insert(tx, "outbox", OUTBOX_COLUMNS, [row for _, r, _ in stored for row in r.outbox])
    dossiers = [r.dossier_with(refs[p.request_id], follow) for p, r, follow in with_dossier]
    _insert(tx, "dossiers", BATCH_DOSSIER_COLUMNS, dossiers)
    recipients = [row for _, r, _ in with_dossier for row in r.recipients]
    _insert(tx, "recipients", RECIPIENT_COLUMNS, recipients)
    _insert(tx, "dossier_keys", KEY_COLUMNS, [row for _, r, _ in with_dossier for row in r.keys])
    requester = {p.request_id: p.dossier.requester_key for p, _, _ in with_dossier if p.dossier}
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
