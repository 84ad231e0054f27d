"""The shared quotas of the service beside /demandes (dossier actions, alert subscriptions,
signalements): each limit reserves its slots in the database (rate_slots, rate_keys, through
reserve_slot) inside the transaction of what it protects, so every worker and
every instance counts into the same quota. Each limit has its own namespace of keys; the
in-memory RateLimiter in front of it only refuses early what the database would refuse."""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable
from dataclasses import dataclass

from form_service.db.database import Connection

RATE_SLOTS_KEPT = 86400.0  # seconds: the longest rate-limit period (AIDESS_RATE_LIMIT …/day)


@dataclass(frozen=True)
class RateLimit:
    count: int
    period: float  # seconds

    def __str__(self) -> str:
        return f"{self.count} demande(s) par {self.period:g} s"


@dataclass(frozen=True)
class RateSlot:
    """The quota a request must fit in: at most `count` stored per `period` seconds for
    `key` (a client's address or /64 network, hashed)."""

    key: str
    count: int
    period: float


class RateLimited(Exception):
    """The client used its quota: nothing was stored."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"limite atteinte, réessayer dans {retry_after} s")
        self.retry_after = retry_after


def slot_key(key: str) -> str:
    """How a client key is stored in the database (rate_slots): hashed, not the address."""
    return hashlib.sha256(f"aidess-rate:{key}".encode()).hexdigest()[:32]


def reserve_slot(db: Connection, slot: RateSlot, now: float) -> None:
    """Take one slot of the quota, or raise RateLimited (inside the caller's transaction,
    which holds the write lock: concurrent requests, even from other processes, queue; on
    PostgreSQL, a lock on the key). A sliding window: at most `count` slots younger than
    `period`; each slot is deleted once, and rate_keys keeps their number, so a check costs
    the same whatever the quota."""
    db.lock(f"aidess:rate:{slot.key}")
    expired = db.execute(
        "DELETE FROM rate_slots WHERE key = ? AND at <= ?", (slot.key, now - slot.period)
    ).rowcount
    row = db.execute("SELECT n FROM rate_keys WHERE key = ?", (slot.key,)).fetchone()
    taken = (row[0] if row else 0) - expired
    if taken >= slot.count:
        (oldest,) = db.execute(
            "SELECT min(at) FROM rate_slots WHERE key = ?", (slot.key,)
        ).fetchone()
        raise RateLimited(max(1, math.ceil(oldest + slot.period - now)))
    db.execute(
        "INSERT INTO rate_keys (key, n) VALUES (?, ?) "
        "ON CONFLICT (key) DO UPDATE SET n = excluded.n",
        (slot.key, taken + 1),
    )
    db.execute("INSERT INTO rate_slots (key, at) VALUES (?, ?)", (slot.key, now))


def forget_rate_slots(db: Connection, now: float) -> None:
    """Rate-limit slots older than the longest period are of no use."""
    db.execute("DELETE FROM rate_slots WHERE at < ?", (now - RATE_SLOTS_KEPT,))
    db.execute("DELETE FROM rate_keys WHERE key NOT IN (SELECT key FROM rate_slots)")
    db.execute(
        "UPDATE rate_keys SET n = (SELECT count(*) FROM rate_slots s WHERE s.key = rate_keys.key)"
    )


# One namespace per limit: the same address has a quota of its own for each.
DOSSIER_IP = "dossier-ip"  # dossier actions from one client address
DOSSIER_KEY = "dossier-cle"  # dossier actions with one key (its digest)
ALERT = "alerte"  # alert subscriptions that queue a mail, per client address
SIGNALEMENT = "signalement"  # reports from the site's pages, per client address
PROPOSITION = "proposition"  # proposed aids (« Proposer une aide »), per client address


def slot(namespace: str, key: str, limit: RateLimit) -> RateSlot:
    """The quota of `key` in `namespace`, stored hashed (abuse.slot_key), never as sent."""
    return RateSlot(slot_key(f"{namespace}:{key}"), limit.count, limit.period)


def reserve(conn: Connection, slots: Iterable[RateSlot], now: float) -> None:
    """Take one slot of each quota, all or none (inside the caller's transaction: a
    RateLimited raised here rolls back the slots already taken). The keys are locked in one
    order, so two transactions reserving the same keys never wait for each other in a cycle."""
    for each in sorted(slots, key=lambda s: s.key):
        reserve_slot(conn, each, now)
