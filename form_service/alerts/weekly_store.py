"""The weekly digests' tables: the content ledger (when each aid was first seen, when its
dates changed) and the digests sent, each read and written in one transaction."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date

from form_service.alerts.digest import Deadline, Digest, Previous
from form_service.alerts.ledger import Seen
from form_service.alerts.store import (
    COLUMNS,
    Compose,
    Subscription,
    from_row,
    get,
    new_key,
    queue_mail,
)
from form_service.db.database import Database


def ledger(db: Database) -> dict[str, Seen]:
    with db.connect() as conn:
        rows = conn.execute(
            "SELECT slug, first_seen, date_hash, dates_changed FROM content_ledger"
        ).fetchall()
    return {r[0]: Seen(*r) for r in rows}


def record(db: Database, reconcile: Callable[[dict[str, Seen]], list[Seen]]) -> int:
    """Apply `reconcile` (ledger → entries to write) to the ledger, read and written in one
    transaction so that two processes loading the content do not both add an aid."""
    with db.transaction() as conn:
        rows = conn.execute(
            "SELECT slug, first_seen, date_hash, dates_changed FROM content_ledger"
        ).fetchall()
        changes = reconcile({r[0]: Seen(*r) for r in rows})
        conn.executemany(
            "INSERT INTO content_ledger (slug, first_seen, date_hash, dates_changed) "
            "VALUES (?, ?, ?, ?) ON CONFLICT (slug) DO UPDATE SET "
            "date_hash = excluded.date_hash, dates_changed = excluded.dates_changed",
            [(s.slug, s.first_seen, s.date_hash, s.dates_changed) for s in changes],
        )
    return len(changes)


# --- digests --------------------------------------------------------------------------


def without_digest(db: Database, week: str) -> list[tuple[Subscription, Previous]]:
    """Confirmed subscriptions with no digest for `week`, each with what its earlier digests
    said (the previous one's time, or the confirmation's; every deadline announced)."""
    with db.connect() as conn:
        subs = [from_row(r) for r in conn.execute(
            f"SELECT {COLUMNS} FROM alert_subscriptions s WHERE confirmed IS NOT NULL "
            "AND NOT EXISTS (SELECT 1 FROM alert_digests d "
            "WHERE d.subscription = s.id AND d.week = ?) ORDER BY created",
            (week,),
        )]  # fmt: skip
        found = []
        for sub in subs:
            since = sub.confirmed or sub.created
            deadlines: set[Deadline] = set()
            for created, announced in conn.execute(
                "SELECT created, deadlines FROM alert_digests WHERE subscription = ?", (sub.id,)
            ):
                since = max(since, created)
                deadlines |= {(s, date.fromisoformat(d)) for s, d in json.loads(announced)}
            found.append((sub, Previous(since, frozenset(deadlines))))
    return found


def queue_digest(
    db: Database, sub: Subscription, week: str, digest: Digest, now: float, compose: Compose
) -> bool:
    """Record the week's digest and queue its mail, in one transaction; False (nothing
    queued) when this week's digest exists already (another run, another process) or the
    subscription was erased meanwhile."""
    slugs = [i.aid.slug for i in digest.items]
    deadlines = sorted([s, d.isoformat()] for s, d in digest.deadlines)
    with db.transaction() as conn:
        current = get(conn, sub.id)
        if current is None or current.confirmed is None:
            return False
        inserted = conn.execute(
            "INSERT INTO alert_digests (subscription, week, created, slugs, deadlines) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            (sub.id, week, now, json.dumps(slugs), json.dumps(deadlines)),
        ).rowcount
        if not inserted:
            return False
        key = new_key()
        queue_mail(conn, current, key, compose(current, key), now)
    return True
