"""Running the alerts against the database: record the content in the ledger when it is
loaded, queue the week's digests through the outbox (`aidess alertes envoyer`, and the
service on Monday mornings), erase what is past its time."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

from form_service.alerts import mails, reminder_store, reminders, store, weekly_store
from form_service.alerts.digest import SOON, local_day, select
from form_service.alerts.filters import Aid, aid_from_content
from form_service.alerts.ledger import Seen, reconcile
from form_service.alerts.schedule import iso_week
from form_service.db.database import Database
from generator.content.catalog import Record
from generator.content.model import Aide

log = logging.getLogger("aidess.alertes")
DAY = 86400.0


def aids_of(aides: Mapping[str, Record[Aide]]) -> list[Aid]:
    return [aid_from_content(slug, record.data) for slug, record in aides.items()]


def record_content(db: Database, aids: Sequence[Aid], now: float) -> int:
    """Write in the ledger the aids never seen and those whose dates changed."""
    changed = weekly_store.record(db, lambda ledger: reconcile(ledger, aids, now))
    if changed:
        log.info("registre du contenu : %d aide(s) nouvelle(s) ou aux dates modifiées", changed)
    return changed


@dataclass(frozen=True)
class Mailing:
    """What the alert mails need from the configuration."""

    site_url: str
    sender: str  # AIDESS_MAIL_FROM
    unsubscribe_mailto: str  # read by a person: mail clients that only know mailto

    def envelope(self, sub: store.Subscription, message_id: str, now: float) -> mails.Envelope:
        return mails.Envelope(self.sender, sub.email, message_id, now, self.unsubscribe_mailto)

    def message_id(self, sub: store.Subscription, what: str) -> str:
        domain = self.sender.rpartition("@")[2]
        return f"<alerte.{sub.id}.{what}@{domain}>"

    def confirmation(self, now: float, already: bool) -> store.Compose:
        def compose(sub: store.Subscription, key: str) -> store.Outgoing:
            message_id = self.message_id(sub, f"confirmation.{uuid.uuid4().hex[:12]}")
            links = mails.Links(self.site_url, sub.id, key)
            body = mails.confirmation(
                self.envelope(sub, message_id, now), links, sub.filters, already
            )
            return store.Outgoing("alerte-confirmation", message_id, body)

        return compose


@dataclass
class Report:
    subscriptions: int = 0  # confirmed, without this week's digest yet
    queued: int = 0
    empty: int = 0  # nothing new for their filters: no mail


def queue_digests(db: Database, aids: Sequence[Aid], mailing: Mailing, now: float) -> Report:
    """One digest per confirmed subscription for the ISO week of `now`, only when something
    matches; a subscription that has this week's digest already is skipped, so running it
    again (or in two processes at once) queues nothing more."""
    week = iso_week(datetime.fromtimestamp(now, UTC))
    today = local_day(now)
    ledger = weekly_store.ledger(db)
    due = weekly_store.without_digest(db, week)
    report = Report(subscriptions=len(due))
    if not due:
        return report
    # Only aids that may be news for someone: new or changed since the oldest "since",
    # opened since then, or closing within 30 days (each subscription filters further).
    oldest = min(previous.since for _, previous in due)
    candidates = [a for a in aids if _maybe_news(a, ledger.get(a.slug), oldest, today)]
    for sub, previous in due:
        content = select(sub.filters, candidates, ledger, previous, today)
        if not content:
            report.empty += 1
            continue

        def compose(current: store.Subscription, key: str) -> store.Outgoing:
            message_id = mailing.message_id(current, week)
            links = mails.Links(mailing.site_url, current.id, key)
            envelope = mailing.envelope(current, message_id, now)
            body = mails.digest(envelope, links, current.filters, content)  # noqa: B023
            return store.Outgoing("alerte-resume", message_id, body)

        if weekly_store.queue_digest(db, sub, week, content, now, compose):
            report.queued += 1
    log.info(
        "alertes %s : %d résumé(s) mis en file, %d sans nouveauté, sur %d abonnement(s)",
        week, report.queued, report.empty, report.subscriptions,
    )  # fmt: skip
    return report


def queue_reminders(db: Database, aids: Sequence[Aid], mailing: Mailing, now: float) -> int:
    """Queue today's deadline reminders (Paris day of `now`) of every confirmed subscription
    that asked for them; each (aid, deadline) once per subscription, however many runs or
    processes. Returns how many were queued."""
    today = local_day(now)
    # Each deadline within the notice, computed once: each subscription filters them.
    upcoming = reminders.upcoming(aids, today)
    queued = 0
    if not upcoming:
        return queued
    for sub, sent in reminder_store.watching(db, today):
        for item in reminders.due(sub.filters, upcoming, sent):

            def compose(current: store.Subscription, key: str) -> store.Outgoing:
                slug, day = item.key  # noqa: B023
                message_id = mailing.message_id(current, f"echeance.{slug}.{day.isoformat()}")
                body = mails.reminder(
                    mailing.envelope(current, message_id, now),
                    mails.Links(mailing.site_url, current.id, key),
                    current.filters, slug, item.aid.titre, day, item.days_left(today),  # noqa: B023
                )  # fmt: skip
                return store.Outgoing("alerte-echeance", message_id, body)

            if reminder_store.queue_reminder(db, sub, item, now, compose):
                queued += 1
    if queued:
        log.info("alertes : %d rappel(s) de date limite mis en file", queued)
    return queued


def _maybe_news(aid: Aid, seen: Seen | None, since: float, today: date) -> bool:
    """A cheap superset of what `digest.select` may list for a subscription with this
    `since` or a later one."""
    if seen is not None and (seen.first_seen > since or (seen.dates_changed or 0.0) > since):
        return True
    if aid.recurrence == "recurrente" and aid.ouverture and aid.ouverture >= local_day(since):
        return True
    return aid.cloture is not None and today <= aid.cloture <= today + SOON


def purge(db: Database, now: float) -> int:
    """Erase the subscriptions never confirmed within 7 days."""
    count = store.purge_unconfirmed(db, now - mails.UNCONFIRMED_DAYS * DAY)
    if count:
        log.info("%d alerte(s) non confirmée(s) effacée(s) après 7 jours", count)
    return count
