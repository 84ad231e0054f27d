"""Alert subscriptions and their keys (migration in form_service/db/scripts.py; the content
ledger and the digests sent: weekly_store.py). Every function takes the `Database` and writes in
one transaction; personal data is the address alone, erased with its subscription.

Keys: ≥ 128 random bits, URL-safe, one per mail that carries links; only their SHA-256 is
stored, and a presented key is compared in constant time with each of the subscription's.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from form_service.alerts.filters import Filters
from form_service.db import quotas
from form_service.db.database import Connection, Database
from form_service.db.quotas import RateSlot
from form_service.outbox import queries as outbox
from form_service.outbox.queries import Mail

REPEAT_WINDOW = 86400.0  # the same address and filters again within it: no second mail
MAX_MAILS_PER_ADDRESS = 3  # confirmation mails to one address per window, all filters
MAX_KEY_LENGTH = 64
COLUMNS = "id, email, filters, created, confirmed, last_confirmation"

OWNER = "alerte"  # its mails in the outbox


def new_id() -> str:
    return secrets.token_hex(16)  # 128 bits


def new_key() -> str:
    return secrets.token_urlsafe(24)  # 192 bits, 32 characters


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "replace")).hexdigest()


def fingerprint(email: str, filters: Filters) -> str:
    text = email.casefold() + "\n" + filters.identity()
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True)
class Subscription:
    id: str
    email: str
    filters: Filters
    created: float
    confirmed: float | None
    last_confirmation: float


def from_row(row: tuple[str, str, str, float, float | None, float]) -> Subscription:
    return Subscription(row[0], row[1], Filters.from_json(row[2]), *row[3:])


def get(conn: Connection, subscription: str) -> Subscription | None:
    row = conn.execute(
        f"SELECT {COLUMNS} FROM alert_subscriptions WHERE id = ?", (subscription,)
    ).fetchone()
    return from_row(row) if row else None


@dataclass(frozen=True)
class Outgoing:
    """A mail to queue through the outbox, rendered with a new key."""

    kind: str  # "alerte-confirmation", "alerte-resume" or "alerte-echeance"
    message_id: str
    message: bytes


# Renders a mail for a subscription, with the given key.
Compose = Callable[[Subscription, str], Outgoing]


def queue_mail(conn: Connection, sub: Subscription, key: str, mail: Outgoing, now: float) -> None:
    conn.execute(
        "INSERT INTO alert_keys (subscription, key_hash, created) VALUES (?, ?, ?)",
        (sub.id, key_hash(key), now),
    )
    # Its message carries the subscription's key: cleared once sent.
    queued = Mail(OWNER, sub.id, mail.kind, sub.email, mail.message_id, message=mail.message,
                  forget=True)  # fmt: skip
    outbox.queue(conn, [queued], now)


def subscribe(
    db: Database,
    email: str,
    filters: Filters,
    now: float,
    compose: Compose,
    quota: RateSlot | None = None,
) -> Subscription | None:
    """Record a subscription (unconfirmed) and queue its confirmation mail. The same address
    and filters again is the same subscription: a new confirmation mail (or, confirmed, its
    links) only once per 24 h, and at most 3 mails a day to one address. Returns the
    subscription a mail was queued for, None when none was. A mail to queue takes a slot of
    `quota` (the client's, form_service/db/quotas.py) first: past it, RateLimited, nothing stored.
    The address is locked for the transaction, so that two workers asked at once for it count
    each other's mails (PostgreSQL; SQLite's write lock already does)."""
    print_ = fingerprint(email, filters)
    with db.transaction() as conn:
        conn.lock(f"aidess:alerte:{key_hash(email.casefold())}")
        row = conn.execute(
            f"SELECT {COLUMNS} FROM alert_subscriptions WHERE fingerprint = ?", (print_,)
        ).fetchone()
        sub = from_row(row) if row else None
        if sub is not None and sub.confirmed is None and sub.filters != filters:
            # Asked again before confirming, with or without the deadlines: the last choice
            # is the one confirmed (a confirmed one changes on its own page only).
            conn.execute(
                "UPDATE alert_subscriptions SET filters = ? WHERE id = ?",
                (filters.to_json(), sub.id),
            )
            sub = replace(sub, filters=filters)
        if sub is not None and sub.last_confirmation > now - REPEAT_WINDOW:
            return None
        (recent,) = conn.execute(
            # Letter case does not make another mailbox (the addresses are ASCII before the @
            # and their domain in its ASCII form: lower() is enough on both back-ends).
            "SELECT count(*) FROM alert_subscriptions WHERE lower(email) = lower(?) "
            "AND last_confirmation > ?",
            (email, now - REPEAT_WINDOW),
        ).fetchone()
        if recent >= MAX_MAILS_PER_ADDRESS:
            return None
        if quota is not None:
            quotas.reserve(conn, (quota,), now)
        if sub is None:
            sub = Subscription(new_id(), email, filters, now, None, now)
            conn.execute(
                "INSERT INTO alert_subscriptions (id, email, filters, fingerprint, created, "
                "last_confirmation) VALUES (?, ?, ?, ?, ?, ?)",
                (sub.id, email, filters.to_json(), print_, now, now),
            )
        else:
            conn.execute(
                "UPDATE alert_subscriptions SET last_confirmation = ? WHERE id = ?",
                (now, sub.id),
            )
        key = new_key()
        queue_mail(conn, sub, key, compose(sub, key), now)
    return sub


def _key_matches(conn: Connection, subscription: str, key: str) -> bool:
    if not key or len(key) > MAX_KEY_LENGTH:
        return False
    presented = key_hash(key)
    found = False
    for (stored,) in conn.execute(
        "SELECT key_hash FROM alert_keys WHERE subscription = ?", (subscription,)
    ):
        found |= hmac.compare_digest(presented, stored)
    return found


def open_with_key(
    db: Database, subscription: str, key: str, confirm_at: float | None = None
) -> Subscription | None:
    """The subscription if `key` is one of its keys, else None: unknown, erased and wrong
    key look the same. With `confirm_at`, an unconfirmed subscription is confirmed then."""
    with db.transaction() as conn:
        sub = get(conn, subscription)
        if sub is None or not _key_matches(conn, subscription, key):
            return None
        if sub.confirmed is None and confirm_at is not None:
            conn.execute(
                "UPDATE alert_subscriptions SET confirmed = ? WHERE id = ?", (confirm_at, sub.id)
            )
            sub = get(conn, subscription)
    return sub


def change_filters(db: Database, subscription: str, key: str, filters: Filters, now: float) -> bool:
    """New filters for a subscription, if the key is one of its keys. Posting them from the
    page is a person's act: an unconfirmed subscription is confirmed too."""
    with db.transaction() as conn:
        sub = get(conn, subscription)
        if sub is None or not _key_matches(conn, subscription, key):
            return False
        conn.execute(
            "UPDATE alert_subscriptions SET filters = ?, fingerprint = ?, "
            "confirmed = coalesce(confirmed, ?) WHERE id = ?",
            (filters.to_json(), fingerprint(sub.email, filters), now, subscription),
        )
    return True


def _erase(conn: Connection, ids: Iterable[str]) -> int:
    params = [(i,) for i in ids]
    outbox.erase(conn, OWNER, [i for (i,) in params])
    conn.executemany("DELETE FROM alert_keys WHERE subscription = ?", params)
    conn.executemany("DELETE FROM alert_digests WHERE subscription = ?", params)
    conn.executemany("DELETE FROM alert_reminders WHERE subscription = ?", params)
    conn.executemany("DELETE FROM alert_subscriptions WHERE id = ?", params)
    return len(params)


def unsubscribe(db: Database, subscription: str, key: str) -> bool:
    """Erase the subscription, its address and its mails, if the key is one of its keys."""
    with db.transaction() as conn:
        if not _key_matches(conn, subscription, key):
            return False
        return _erase(conn, [subscription]) == 1


def erase_address(db: Database, email: str) -> int:
    """Erase every subscription of an address (a request by mail, `aidess alertes effacer`)."""
    with db.transaction() as conn:
        ids = [r[0] for r in conn.execute(
            "SELECT id FROM alert_subscriptions WHERE lower(email) = lower(?)", (email,)
        )]  # fmt: skip
        return _erase(conn, ids)


def purge_unconfirmed(db: Database, before: float) -> int:
    """Erase the subscriptions created before `before` and never confirmed."""
    with db.transaction() as conn:
        ids = [r[0] for r in conn.execute(
            "SELECT id FROM alert_subscriptions WHERE confirmed IS NULL AND created < ?",
            (before,),
        )]  # fmt: skip
        return _erase(conn, ids)
