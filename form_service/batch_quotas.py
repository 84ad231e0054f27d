"""Client quotas for a batch of requests (request_batch.py): read once, decided in batch
order, written once, with the rules of request_queries.reserve_slot: at most `count` slots
younger than `period` per client key, rate_keys keeping their number."""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass

from form_service.batch_rows import insert_sql, texts
from form_service.database import Connection
from form_service.request_queries import Pending


class MixedQuotas(Exception):
    """Two requests of one client under different quotas: left to the one-by-one path."""


@dataclass
class Quota:
    """One client's quota during the batch: slots taken (after expiry) and granted."""

    count: int
    period: float
    known: int | None  # rate_keys.n before the batch (None: no row)
    taken: int
    cutoff: float  # slots at or before it have expired
    granted: list[float]
    oldest: float | None = None  # earliest slot still counted (read when first needed)


def firsts(batch: Sequence[Pending]) -> dict[str, Pending]:
    """Each client's first request in the batch (MixedQuotas if one client's requests come
    under different quotas)."""
    first: dict[str, Pending] = {}
    for p in batch:
        if p.rate is None:
            continue
        seen = first.setdefault(p.rate.key, p)
        if (seen.rate is not None) and (seen.rate.count, seen.rate.period) != (
            p.rate.count, p.rate.period,
        ):  # fmt: skip
            raise MixedQuotas(p.rate.key)
    return first


def lock(tx: Connection, first: dict[str, Pending]) -> None:
    for key in sorted(first):  # PostgreSQL: the same order in every process
        tx.lock(f"aidess:rate:{key}")


def _cutoffs(first: dict[str, Pending]) -> dict[str, float]:
    """A slot expires when it is older than the period at the client's first request of the
    batch (so never more expire than one by one)."""
    return {key: p.created - p.rate.period for key, p in first.items() if p.rate}


# One branch of request_batch's read: per client key, the slots that expired and
# rate_keys.n, in the columns (kind, key, number, text, text, text) of the others.
STATE = (
    "SELECT 'q', j.value ->> 0, CAST((SELECT count(*) FROM rate_slots s WHERE "
    "s.key = j.value ->> 0 AND s.at <= CAST(j.value ->> 1 AS DOUBLE PRECISION)) AS DOUBLE "
    "PRECISION), CAST((SELECT n FROM rate_keys k WHERE k.key = j.value ->> 0) AS TEXT), "
    "NULL, NULL FROM json_each(?) AS j"
)


def state_param(first: dict[str, Pending]) -> str:
    return json.dumps([[k, c] for k, c in _cutoffs(first).items()])


def from_state(
    first: dict[str, Pending], state: Sequence[tuple[str, float, str | None]]
) -> dict[str, Quota]:
    """Each client's quota from the STATE rows."""
    cutoffs = _cutoffs(first)
    quotas = {}
    for key, expired, known in state:
        rate = first[key].rate
        assert rate is not None
        n = None if known is None else int(known)
        quotas[key] = Quota(rate.count, rate.period, n, (n or 0) - int(expired),
                             cutoffs[key], [])  # fmt: skip
    return quotas


def retry_after(tx: Connection, key: str, quota: Quota, now: float) -> int:
    if quota.oldest is None:
        (oldest,) = tx.execute(
            "SELECT min(at) FROM rate_slots WHERE key = ? AND at > ?", (key, quota.cutoff)
        ).fetchone()
        candidates = [t for t in (oldest, *quota.granted[:1]) if t is not None]
        quota.oldest = min(float(t) for t in candidates) if candidates else now
    return max(1, math.ceil(quota.oldest + quota.period - now))


def write(tx: Connection, quotas: dict[str, Quota]) -> None:
    expired = {k: q.cutoff for k, q in quotas.items() if (q.known or 0) - q.taken > 0}
    if expired:
        tx.execute(
            "DELETE FROM rate_slots WHERE key IN (SELECT j.value ->> 0 FROM json_each(?) AS j) "
            "AND at <= ? AND EXISTS (SELECT 1 FROM json_each(?) AS j WHERE "
            "j.value ->> 0 = rate_slots.key AND rate_slots.at <= CAST(j.value ->> 1 AS DOUBLE "
            "PRECISION))",
            (texts(list(expired)), max(expired.values()),
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
    slots = [[k, at] for k, q in quotas.items() for at in q.granted]
    if slots:
        tx.execute(insert_sql("rate_slots", ("key", "at")), (json.dumps(slots),))
