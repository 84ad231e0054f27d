"""The shared quotas of the service beside /demandes (dossier actions, alert subscriptions,
signalements): each limit reserves its slots in the database (rate_slots, rate_keys, through
request_queries.reserve_slot) inside the transaction of what it protects, so every worker and
every instance counts into the same quota. Each limit has its own namespace of keys; the
in-memory RateLimiter in front of it only refuses early what the database would refuse."""

from __future__ import annotations

from collections.abc import Iterable

from form_service.db.database import Connection
from form_service.requests.queries import RateSlot, reserve_slot
from form_service.settings import RateLimit
from form_service.web.abuse import slot_key

# One namespace per limit: the same address has a quota of its own for each.
DOSSIER_IP = "dossier-ip"  # dossier actions from one client address
DOSSIER_KEY = "dossier-cle"  # dossier actions with one key (its digest)
ALERT = "alerte"  # alert subscriptions that queue a mail, per client address
SIGNALEMENT = "signalement"  # reports from the site's pages, per client address


def slot(namespace: str, key: str, limit: RateLimit) -> RateSlot:
    """The quota of `key` in `namespace`, stored hashed (abuse.slot_key), never as sent."""
    return RateSlot(slot_key(f"{namespace}:{key}"), limit.count, limit.period)


def reserve(conn: Connection, slots: Iterable[RateSlot], now: float) -> None:
    """Take one slot of each quota, all or none (inside the caller's transaction: a
    RateLimited raised here rolls back the slots already taken). The keys are locked in one
    order, so two transactions reserving the same keys never wait for each other in a cycle."""
    for each in sorted(slots, key=lambda s: s.key):
        reserve_slot(conn, each, now)
