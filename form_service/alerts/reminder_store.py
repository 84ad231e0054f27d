"""The deadline reminders in the database (table `alert_reminders`, form_service/db/scripts.py):
who asked for them, what each was already reminded of, and one reminder recorded with its
mail in one transaction."""

from __future__ import annotations

from datetime import date

from form_service.alerts import store
from form_service.alerts.reminders import Reminded, Reminder
from form_service.db.database import Database


def watching(db: Database, today: date) -> list[tuple[store.Subscription, frozenset[Reminded]]]:
    """Confirmed subscriptions that asked for the deadlines, each with the deadlines still to
    come on `today` it was reminded of: one query, however many subscriptions."""
    columns = ", ".join(f"s.{c.strip()}" for c in store.COLUMNS.split(","))
    with db.connect() as conn:
        rows = conn.execute(
            f"SELECT {columns}, r.slug, r.cloture FROM alert_subscriptions s "
            "LEFT JOIN alert_reminders r ON r.subscription = s.id AND r.cloture >= ? "
            "WHERE s.confirmed IS NOT NULL ORDER BY s.created, s.id",
            (today.isoformat(),),
        ).fetchall()
    subs: dict[str, store.Subscription] = {}
    sent: dict[str, set[Reminded]] = {}
    for row in rows:
        sub_id, slug, day = row[0], row[-2], row[-1]
        if sub_id not in subs:
            subs[sub_id] = store.from_row(tuple(row[:-2]))
            sent[sub_id] = set()
        if slug is not None:
            sent[sub_id].add((slug, date.fromisoformat(day)))
    return [(sub, frozenset(sent[sub.id])) for sub in subs.values() if sub.filters.echeances]


def queue_reminder(
    db: Database, sub: store.Subscription, reminder: Reminder, now: float, compose: store.Compose
) -> bool:
    """Record the reminder and queue its mail in one transaction; False (nothing queued) when
    it was sent already (another run, another process), or the subscription was erased or no
    longer asks for the deadlines meanwhile."""
    slug, day = reminder.key
    with db.transaction() as conn:
        current = store.get(conn, sub.id)
        if current is None or current.confirmed is None or not current.filters.echeances:
            return False
        inserted = conn.execute(
            "INSERT INTO alert_reminders (subscription, slug, cloture, created) "
            "VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
            (sub.id, slug, day.isoformat(), now),
        ).rowcount
        if not inserted:
            return False
        key = store.new_key()
        store.queue_mail(conn, current, key, compose(current, key), now)
    return True
