"""The deadline reminders in the database (table `alert_reminders`, form_service/db/scripts.py):
who asked for them, what each was already reminded of, and one reminder recorded with its
mail in one transaction."""

from __future__ import annotations

from datetime import date

from form_service.alerts import store
from form_service.alerts.reminders import Reminded, Reminder
from form_service.db.database import Database


def watching(db: Database) -> list[tuple[store.Subscription, frozenset[Reminded]]]:
    """Confirmed subscriptions that asked for the deadlines, each with the deadlines it was
    reminded of."""
    with db.connect() as conn:
        subs = [
            store.from_row(row)
            for row in conn.execute(
                f"SELECT {store.COLUMNS} FROM alert_subscriptions "
                "WHERE confirmed IS NOT NULL ORDER BY created"
            )
        ]
        found = []
        for sub in subs:
            if not sub.filters.echeances:
                continue
            sent = frozenset(
                (slug, date.fromisoformat(day))
                for slug, day in conn.execute(
                    "SELECT slug, cloture FROM alert_reminders WHERE subscription = ?", (sub.id,)
                )
            )
            found.append((sub, sent))
    return found


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
